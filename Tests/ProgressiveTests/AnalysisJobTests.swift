import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Progressive
import Testing

@Suite(.serialized) struct AnalysisJobTests {
    static let jobs = GroupVersionKind(group: "batch", version: "v1", kind: "Job")

    /// A job metric whose pod template carries `annotations`.
    static func metric(annotations: [String: String] = [:]) throws -> ResolvedMetric {
        let podAnnotations = JSONValue.object(JSONObject(.init(uniqueKeysWithValues: annotations.map { ($0.key, JSONValue.string($0.value)) })))
        let template: JSONValue = [
            "metadata": ["labels": ["team": "shop"]],
            "spec": [
                "backoffLimit": 0,
                "template": [
                    "metadata": ["annotations": podAnnotations],
                    "spec": [
                        "containers": [
                            ["name": "check", "image": "curlimages/curl", "args": ["-sf", "http://{{canary.service}}.{{rollout.namespace}}/"]]
                        ]
                    ],
                ],
            ],
        ]
        return try Metric.parseList([["name": "smoke", "provider": ["job": ["template": template]]]], path: "metrics", arguments: [])[0]
            .resolve(AnalysisSupport.context)
    }

    static func withCluster(_ body: @Sendable (KubeClient) async throws -> Void) async throws {
        var quiet = Logger(label: "sandbox")
        quiet.logLevel = .critical
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let configuration = SandboxConfiguration(kubeconfigPath: folder.path + "/kubeconfig", readyDelay: .milliseconds(200))
        try await Sandbox.withRunning(configuration, logger: quiet) { _ in
            let kube = try KubeConfiguration.load(KubeconfigOptions(explicitPath: folder.path + "/kubeconfig"))
            try await KubeClient.withClient(kube) { client in
                try await client.createNamespaceIfMissing("shop", fieldManager: "test")
                try await body(client)
            }
        }
    }

    /// Whether Job `name` no longer exists.
    static func isGone(_ name: String, client: KubeClient) async -> Bool {
        do throws(KubeError) {
            _ = try await client.get(jobs, name: name, namespace: "shop")
            return false
        } catch {
            return error.isNotFound
        }
    }

    /// Measures until the Job has a verdict, resuming with the in-flight measurement each time.
    static func measureToEnd(_ provider: JobProvider, _ metric: ResolvedMetric, context: AnalysisContext) async throws -> (Observation, String) {
        var observation = await provider.measure(AnalysisSupport.request(metric, context: context))
        guard case .running(let name, _) = observation else { throw JobDidNotStart(observation: observation) }
        let inFlight = MetricMeasurement(phase: .running, startedAt: AnalysisSupport.start, resumeKey: name)
        let deadline = ContinuousClock.now + .seconds(30)
        while case .running = observation, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            observation = await provider.measure(AnalysisSupport.request(metric, inFlight: inFlight, context: context))
        }
        return (observation, name)
    }

    // A Job that completes is Successful; it is labelled, owned by the Rollout, filled from the context, and deleted.
    @Test func completedJobPasses() async throws {
        try await Self.withCluster { client in
            var context = AnalysisSupport.context
            context.rolloutUID = "0b7e-uid"
            let provider = JobProvider(client: client)
            let first = await provider.measure(AnalysisSupport.request(try Self.metric(), context: context))
            guard case .running(let name, _) = first else { Issue.record("expected a running Job, got \(first)"); return }
            #expect(name == "web-r1-smoke-1")
            let job = try await client.get(Self.jobs, name: name, namespace: "shop")
            #expect(job.labels["keelson.dev/generated-by"] == "rollout.web")
            #expect(job.labels["team"] == "shop")
            let owner = job.metadata["ownerReferences"]?.arrayValue?.first
            #expect(owner?["kind"] == "Rollout")
            #expect(owner?["uid"] == "0b7e-uid")
            let args = job.object["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["args"]?.arrayValue
            #expect(args?.last == "http://web-canary.shop/")
            #expect(job.object["spec"]?["template"]?["spec"]?["restartPolicy"] == "Never")
            let (observation, _) = try await Self.measureToEnd(provider, try Self.metric(), context: context)
            #expect(observation == .finished(.successful, message: "Job web-r1-smoke-1 completed"))
            try await eventually("the Job is deleted") { await Self.isGone(name, client: client) }
        }
    }

    // A Job that fails is Failed, with the Job's reason.
    @Test func failedJobFails() async throws {
        try await Self.withCluster { client in
            let metric = try Self.metric(annotations: ["sandbox.keelson.dev/fail": "true"])
            let (observation, name) = try await Self.measureToEnd(JobProvider(client: client), metric, context: AnalysisSupport.context)
            #expect(
                observation == .finished(.failed, message: "Job \(name) failed: BackoffLimitExceeded: Job has reached the specified backoff limit"))
        }
    }

    // A controller killed after creating the Job finds the same Job again instead of a second one.
    @Test func recreatingResumesTheSameJob() async throws {
        try await Self.withCluster { client in
            let provider = JobProvider(client: client)
            let first = await provider.measure(AnalysisSupport.request(try Self.metric()))
            let again = await provider.measure(AnalysisSupport.request(try Self.metric()))
            #expect(first == again)
            let list = try await client.listAll(Self.jobs, namespace: "shop")
            #expect(list.items.count == 1)
        }
    }

    // Stopping a run deletes its in-flight Job.
    @Test func terminateDeletesTheJob() async throws {
        try await Self.withCluster { client in
            let provider = JobProvider(client: client)
            let metric = try Self.metric()
            guard case .running(let name, _) = await provider.measure(AnalysisSupport.request(metric)) else { Issue.record("no Job"); return }
            let inFlight = MetricMeasurement(phase: .running, startedAt: AnalysisSupport.start, resumeKey: name)
            _ = await provider.terminate(AnalysisSupport.request(metric, inFlight: inFlight))
            try await eventually("the Job is deleted") { await Self.isGone(name, client: client) }
        }
    }
}

/// The provider did not start a Job.
struct JobDidNotStart: Error {
    var observation: Observation
}
