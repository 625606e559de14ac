import AsyncHTTPClient
import Foundation
import Kube
import Manifests

/// The analyst the controller uses: reads the AnalysisTemplates (from the render, else the
/// cluster) and the Secrets metrics name, and measures through `AnalysisRunner`.
public struct RunnerAnalyst: RolloutAnalyst {
    public var runner: AnalysisRunner
    /// Reads AnalysisTemplates and Secrets in the Rollout's namespace.
    public var client: any KubernetesAPI

    public init(runner: AnalysisRunner, client: any KubernetesAPI) {
        self.runner = runner
        self.client = client
    }

    /// The analyst of a cluster: Jobs, templates and Secrets through `client`, HTTP through the
    /// process's shared client.
    public init(client: any KubernetesAPI, fieldManager: String) {
        self.init(runner: AnalysisRunner(providers: AnalysisProviders(http: .shared, client: client, fieldManager: fieldManager)), client: client)
    }

    static let templateKind = GroupVersionKind(group: RolloutAPI.group, version: "v1alpha1", kind: RolloutAPI.analysisTemplateKind)
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    public func start(_ slot: AnalysisSlot, spec: RolloutSpec, canaryHash: String, render: [Manifest], now: Date) async -> AnalysisSlot {
        await judged(slot) { () async throws -> AnalysisRun in
            let (metrics, resolved, context) = try await prepare(slot, spec: spec, canaryHash: canaryHash, render: render)
            let id = "\(canaryHash.prefix(6))-\(Int(now.timeIntervalSince1970) % 100_000)"
            return await runner.tick(AnalysisRun(id: id, metrics: metrics, now: now), metrics: resolved, context: context, now: now)
        }
    }

    public func advance(_ slot: AnalysisSlot, spec: RolloutSpec, canaryHash: String, render: [Manifest], now: Date) async -> AnalysisSlot {
        guard let stored = slot.run, let run = try? AnalysisRun(json: stored) else {
            return await judged(slot) { () async throws -> AnalysisRun in
                throw AnalysisSpecError(.invalidField, path: "status.analysis", "holds no run Keelson wrote")
            }
        }
        let prepared: ([Metric], [ResolvedMetric], AnalysisContext)
        do {
            prepared = try await prepare(slot, spec: spec, canaryHash: canaryHash, render: render)
        } catch {
            // The templates or a Secret could not be read this time (an API hiccup): the run goes
            // on and measures when they can be read, rather than failing the rollout.
            var waiting = slot
            waiting.message = "waiting to read the analysis' templates or Secrets: \(error)"
            return waiting
        }
        return await judged(slot) { await runner.tick(run, metrics: prepared.1, context: prepared.2, now: now) }
    }

    public func stop(_ slot: AnalysisSlot, spec: RolloutSpec, canaryHash: String, render: [Manifest], now: Date) async -> AnalysisSlot {
        await judged(slot) { () async throws -> AnalysisRun in
            guard let stored = slot.run else { throw AnalysisSpecError(.invalidField, path: "status.analysis", "holds no run") }
            let run = try AnalysisRun(json: stored)
            let (_, resolved, context) = try await prepare(slot, spec: spec, canaryHash: canaryHash, render: render)
            return await runner.stop(run, metrics: resolved, context: context, now: now)
        }
    }

    /// The slot after `body`'s run, or in Error saying why there is no run.
    func judged(_ slot: AnalysisSlot, _ body: () async throws -> AnalysisRun) async -> AnalysisSlot {
        var slot = slot
        do {
            let run = try await body()
            slot.run = run.json
            slot.outcome = run.phase.rawValue.lowercased()
            slot.message = run.message ?? ""
        } catch {
            slot.outcome = "error"
            slot.message = "\(error)"
        }
        return slot
    }

    /// The metrics of the slot's templates, resolved against the Rollout.
    func prepare(
        _ slot: AnalysisSlot, spec: RolloutSpec, canaryHash: String, render: [Manifest]
    ) async throws -> ([Metric], [ResolvedMetric], AnalysisContext) {
        var templates: [AnalysisTemplate] = []
        for name in slot.templates {
            let manifest =
                if let rendered = render.first(where: {
                    $0.group == RolloutAPI.group && $0.kind == RolloutAPI.analysisTemplateKind && $0.name == name && $0.namespace == spec.namespace
                }) {
                    rendered
                } else {
                    try await client.get(Self.templateKind, name: name, namespace: spec.namespace)
                }
            templates.append(try AnalysisTemplate(manifest))
        }
        let metrics = try AnalysisTemplate.metrics(of: templates)
        let arguments = try AnalysisArgument.resolve(
            declared: templates.flatMap(\.arguments),
            overrides: slot.args.sorted { $0.key < $1.key }.map { AnalysisArgument(name: $0.key, value: $0.value) })
        let context = AnalysisContext(
            rollout: spec.name, namespace: spec.namespace, canaryDeployment: spec.canaryDeployment,
            canaryService: spec.canaryService ?? spec.service?.name ?? spec.canaryDeployment, stableDeployment: spec.target,
            canaryHash: canaryHash, arguments: arguments)
        var resolved: [ResolvedMetric] = []
        for metric in metrics {
            var secretData: [String: String] = [:]
            if let secret = metric.source.secretRef {
                let object = try await client.get(Self.secretKind, name: secret, namespace: spec.namespace)
                for (key, value) in object.object["data"]?.objectValue ?? [:] {
                    guard let text = value.stringValue, let data = Data(base64Encoded: text) else { continue }
                    secretData[key] = String(decoding: data, as: UTF8.self)
                }
            }
            resolved.append(try metric.resolve(context, secretData: secretData))
        }
        return (metrics, resolved, context)
    }
}
