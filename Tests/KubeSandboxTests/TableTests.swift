import Foundation
import Testing

@testable import KubeSandbox

@Suite("Server-side printing for kubectl get")
struct TableTests {
    /// Each case pins one band of kubectl's human-readable durations.
    @Test(
        "ages print like kubectl's",
        arguments: [
            (5, "5s"), (119, "119s"), (200, "3m20s"), (300, "5m"), (3900, "65m"), (3 * 3600 + 600, "3h10m"), (30 * 3600, "30h"), (5 * 86400, "5d"),
        ])
    func humanAge(seconds: Int, text: String) {
        #expect(TablePrinter.humanAge(seconds) == text)
    }

    /// Splits a printed table into rows of whitespace-separated cells.
    static func cells(_ output: String) -> [[String]] {
        output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
    }

    @Test("kubectl get prints the kind's columns", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
    func printedColumns() async throws {
        try await withSandbox({ $0.readyDelay = .milliseconds(200) }) { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.deployment("web", replicas: 3))
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1", "b": "2"]))
            try await kubectl.ok(["wait", "--for=condition=Available", "deployment/web", "--timeout=20s"])
            let deployments = Self.cells(try await kubectl.ok(["get", "deployments"]))
            #expect(deployments.first == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
            #expect(deployments.dropFirst().first.map { Array($0.prefix(4)) } == ["web", "3/3", "3", "3"])
            let configMaps = Self.cells(try await kubectl.ok(["get", "cm", "c"]))
            #expect(configMaps.first == ["NAME", "DATA", "AGE"])
            #expect(configMaps.dropFirst().first.map { Array($0.prefix(2)) } == ["c", "2"])
            let all = Self.cells(try await kubectl.ok(["get", "cm", "-A"]))
            #expect(all.first == ["NAMESPACE", "NAME", "DATA", "AGE"])
        }
    }

    // Pins the Job and DaemonSet tables: a finished Job prints Complete (not the first condition,
    // SuccessCriteriaMet), its completions and how long it ran.
    @Test(
        "kubectl get prints a Job's status, completions and duration, and a DaemonSet's counts",
        .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
    func jobAndDaemonSetColumns() async throws {
        try await withSandbox({ $0.readyDelay = .milliseconds(200) }) { kubectl, _ in
            try await kubectl.ok(["create", "job", "once", "--image=busybox:1.36"])
            try await kubectl.ok(["wait", "--for=condition=Complete", "job/once", "--timeout=30s"])
            let jobs = Self.cells(try await kubectl.ok(["get", "jobs"]))
            #expect(jobs.first == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"])
            #expect(jobs.dropFirst().first.map { Array($0.prefix(3)) } == ["once", "Complete", "1/1"])
            #expect(jobs.dropFirst().first?[3].hasSuffix("s") == true, "\(jobs)")

            let daemonSet = """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      nodeSelector: {kubernetes.io/os: linux}
                      containers: [{name: agent, image: "busybox:1.36"}]
                """
            try await kubectl.ok(["apply", "-f", "-"], stdin: daemonSet)
            try await kubectl.ok(["rollout", "status", "daemonset/agent", "--timeout=30s"])
            let daemonSets = Self.cells(try await kubectl.ok(["get", "daemonsets"]))
            #expect(daemonSets.first == ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE", "SELECTOR", "AGE"])
            #expect(daemonSets.dropFirst().first.map { Array($0.prefix(7)) } == ["agent", "1", "1", "1", "1", "1", "kubernetes.io/os=linux"])
        }
    }

    // Pins: -o wide adds the columns a real API server marks with a priority: a workload's
    // containers, images and selector, a Service's selector, a Pod's IP and node.
    @Test("kubectl get -o wide adds containers, images and selectors", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
    func wideColumns() async throws {
        // Nothing becomes ready during the test: the pod stays Pending, with no IP yet.
        try await withSandbox({ $0.readyDelay = .seconds(600) }) { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.deployment("web", replicas: 1, image: "nginx:1.27"))
            try await kubectl.ok(["create", "service", "clusterip", "web", "--tcp=80:80"])
            try await kubectl.ok(["run", "solo", "--image=busybox:1.36", "--restart=Never"])

            let deployments = Self.cells(try await kubectl.ok(["get", "deployments", "-o", "wide"]))
            #expect(deployments.first == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"])
            #expect(deployments.dropFirst().first.map { Array($0.suffix(3)) } == ["main", "nginx:1.27", "app=web"])
            let services = Self.cells(try await kubectl.ok(["get", "service", "web", "-o", "wide"]))
            #expect(services.first?.last == "SELECTOR")
            #expect(services.dropFirst().first?.last == "app=web")
            let pods = Self.cells(try await kubectl.ok(["get", "pod", "solo", "-o", "wide"]))
            #expect(pods.first == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"])
            #expect(pods.dropFirst().first.map { Array($0.suffix(3)) } == ["<none>", "<none>", "<none>"])
        }
    }
}

@Suite("OpenAPI for kubectl explain", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct ExplainTests {
    /// Each case pins a kind kubectl explain must find in the OpenAPI v3 documents, CRDs included.
    @Test(
        "kubectl explain finds built-in and custom kinds",
        arguments: [("deployment", "Deployment"), ("configmaps", "ConfigMap"), ("widgets", "Widget")])
    func explain(resource: String, kind: String) async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.widgetCRD)
            let out = try await kubectl.ok(["explain", resource])
            #expect(out.contains("KIND:       \(kind)"), "\(out)")
            #expect(out.contains("apiVersion"), "\(out)")
        }
    }

    /// Fields are explained from the schemas the sandbox serves: built-in kinds from Kubernetes'
    /// own types, a custom resource from its CRD.
    @Test(
        "kubectl explain walks into fields",
        arguments: [
            ("deployment.spec.replicas", "FIELD: replicas <integer>"),
            ("deployment.spec.template.spec.containers", "FIELD: containers <[]Container>"),
            ("service.spec.ports.targetPort", "FIELD: targetPort <"),
            ("configmap.metadata.labels", "FIELD: labels <map[string]string>"),
            ("widgets.spec.replicas", "FIELD: replicas <integer>"),
        ])
    func explainField(path: String, expected: String) async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: SchemaValidationTests.crd)
            let out = try await kubectl.ok(["explain", path])
            #expect(out.contains(expected), "\(out)")
        }
    }
}
