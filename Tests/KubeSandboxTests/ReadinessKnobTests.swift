import Foundation
import KeelsonTesting
import Testing

@Suite("Per-workload readiness knobs", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct ReadinessKnobTests {
    @Test("ready-delay replaces the sandbox's ready delay for one workload")
    func readyDelay() async throws {
        try await withSandbox({ $0.readyDelay = .seconds(600) }) { kubectl, _ in
            let quick = Fixtures.deployment("quick", annotations: ["sandbox.keelson.dev/ready-delay": "200ms"])
            try await kubectl.ok(["apply", "-f", "-"], stdin: [Fixtures.deployment("slow"), quick].joined(separator: "---\n"))
            try await kubectl.ok(["wait", "--for=condition=Available", "deployment/quick", "--timeout=30s"])
            // Applied together, the workload without the knob still waits for the sandbox's 600 s.
            let slow = try await kubectl.json(["get", "deployment", "slow"])
            #expect(slow["status.readyReplicas"] == nil)
            #expect(slow["status.observedGeneration"]?.intValue == 1)
        }
    }

    @Test("ready-replicas caps the ready replicas; below spec.replicas the Deployment is neither available nor complete")
    func readyReplicasCap() async throws {
        try await withSandbox({ $0.readyDelay = .milliseconds(100) }) { kubectl, _ in
            let capped = Fixtures.deployment("canary", replicas: 3, annotations: ["sandbox.keelson.dev/ready-replicas": "1"])
            try await kubectl.ok(["apply", "-f", "-"], stdin: capped)
            try await kubectl.ok(["wait", "--for=jsonpath={.status.readyReplicas}=1", "deployment/canary", "--timeout=30s"])
            let deployment = try await kubectl.json(["get", "deployment", "canary"])
            #expect(deployment["status.availableReplicas"]?.intValue == 1)
            #expect(deployment["status.unavailableReplicas"]?.intValue == 2)
            #expect(deployment["status.updatedReplicas"]?.intValue == 3)
            let conditions = deployment["status.conditions"]?.arrayValue ?? []
            let available = conditions.first { $0["type"]?.stringValue == "Available" }
            let progressing = conditions.first { $0["type"]?.stringValue == "Progressing" }
            #expect(available?["status"]?.stringValue == "False")
            // Still progressing, not complete (NewReplicaSetAvailable) and not failed (ProgressDeadlineExceeded).
            #expect(progressing?["status"]?.stringValue == "True")
            #expect(progressing?["reason"]?.stringValue == "ReplicaSetUpdated")
            // Scaled down to the cap, it is complete.
            try await kubectl.ok(["scale", "deployment", "canary", "--replicas=1"])
            try await kubectl.ok(["wait", "--for=condition=Available", "deployment/canary", "--timeout=30s"])
            try await kubectl.ok(["rollout", "status", "deployment/canary", "--timeout=30s"])
        }
    }
}
