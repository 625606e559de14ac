import Foundation
import Testing

@Suite("Simulated controllers with the real kubectl", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct SimulationTests {
    @Test("a Deployment becomes Available after the ready delay; kubectl wait sees it")
    func deploymentBecomesAvailable() async throws {
        try await withSandbox({ $0.readyDelay = .milliseconds(500) }) { kubectl, _ in
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Fixtures.deployment("web", replicas: 3))
            try await kubectl.ok(["wait", "--for=condition=Available", "deployment/web", "--timeout=20s"])
            let deploy = try await kubectl.json(["get", "deploy", "web"])
            #expect(deploy["status.readyReplicas"]?.intValue == 3)
            #expect(deploy["status.observedGeneration"]?.intValue == deploy["metadata.generation"]?.intValue)
            try await kubectl.ok(["scale", "deployment", "web", "--replicas=5"])
            try await kubectl.ok(["wait", "--for=jsonpath={.status.readyReplicas}=5", "deployment/web", "--timeout=20s"])
        }
    }

    @Test("status is not ready before the delay has passed")
    func notReadyBeforeDelay() async throws {
        try await withSandbox({ $0.readyDelay = .seconds(30) }) { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.deployment("slow"))
            let result = try await kubectl.run(["wait", "--for=condition=Available", "deployment/slow", "--timeout=2s"])
            #expect(result.status != 0)
            let deploy = try await kubectl.json(["get", "deploy", "slow"])
            #expect(deploy["status.readyReplicas"] == nil)
            #expect(deploy["status.observedGeneration"]?.intValue == 1)
        }
    }

    /// Each case pins one way a workload is marked as never becoming ready.
    @Test(
        "a broken workload reports ProgressDeadlineExceeded",
        arguments: [
            Fixtures.deployment("bad", image: "nginx:1.25-broken"),
            Fixtures.deployment("bad", annotations: ["sandbox.keelson.dev/fail": "true"]),
        ])
    func brokenWorkload(manifest: String) async throws {
        try await withSandbox({ $0.readyDelay = .milliseconds(300) }) { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            try await kubectl.ok(["wait", "--for=condition=Progressing=False", "deployment/bad", "--timeout=20s"])
            let deploy = try await kubectl.json(["get", "deploy", "bad"])
            let progressing = deploy["status.conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Progressing" }
            #expect(progressing?["reason"]?.stringValue == "ProgressDeadlineExceeded")
            #expect(deploy["status.availableReplicas"] == nil)
        }
    }

    /// Each case pins the settled status of one simulated kind.
    @Test(
        "Jobs complete, Pods run, PVCs bind, Services get a cluster IP",
        arguments: [
            (
                "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n",
                ["wait", "--for=condition=Complete", "job/j", "--timeout=20s"]
            ),
            (
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n",
                ["wait", "--for=condition=Ready", "pod/p", "--timeout=20s"]
            ),
            (
                "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n",
                ["wait", "--for=jsonpath={.status.phase}=Bound", "pvc/data", "--timeout=20s"]
            ),
            (
                "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n",
                ["wait", "--for=jsonpath={.spec.type}=ClusterIP", "service/s", "--timeout=20s"]
            ),
        ])
    func otherKinds(manifest: String, wait: [String]) async throws {
        try await withSandbox({ $0.readyDelay = .milliseconds(300) }) { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            try await kubectl.ok(wait)
        }
    }

    @Test("Services get distinct cluster IPs")
    func clusterIPs() async throws {
        try await withSandbox { kubectl, _ in
            for name in ["a", "b"] {
                try await kubectl.ok(
                    ["create", "-f", "-"], stdin: "apiVersion: v1\nkind: Service\nmetadata: {name: \(name)}\nspec:\n  ports: [{port: 80}]\n")
            }
            let list = try await kubectl.json(["get", "svc"])
            let ips = list.items.compactMap { $0.string("spec.clusterIP") }
            #expect(ips.count == 2)
            #expect(Set(ips).count == 2)
            #expect(ips.allSatisfy { $0.hasPrefix("10.96.") })
        }
    }
}
