import AsyncHTTPClient
import Foundation
import Kube
import Logging
import Manifests

/// Steps every Rollout of one application's render: reads what runs, asks the machine what
/// comes next, persists the state in `Rollout.status`, and writes what the overlay changes.
/// The controller calls it between render and sync, in the application's own work-queue
/// slot, so a sync and a rollout tick never race; the sync then applies the overlaid render.
public struct RolloutEngine: Sendable {
    /// Reads and writes the destination cluster (as the application's identity).
    public var client: any KubernetesAPI
    /// The field manager of the controller's writes, so sync and rollout own fields as one.
    public var fieldManager: String
    /// Runs the analyses; without one, an analysis step waits with a message saying so.
    public var analyst: (any RolloutAnalyst)?
    /// Calls the Rollouts' hooks.
    public var webhooks = WebhookCaller(http: .shared)
    public var logger: Logger
    public var now: @Sendable () -> Date

    public init(
        client: any KubernetesAPI, fieldManager: String, analyst: (any RolloutAnalyst)? = nil, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.fieldManager = fieldManager
        self.analyst = analyst
        self.logger = logger
        self.now = now
    }

    static let rolloutKind = GroupVersionKind(group: RolloutAPI.group, version: "v1alpha1", kind: RolloutAPI.rolloutKind)
    static let deploymentKind = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")

    /// The result of one tick over an application's render.
    public struct Outcome: Sendable {
        /// The render with every rollout's overlay: what sync applies and drift compares with.
        public var manifests: [Manifest]
        /// Each rollout as the Application shows it.
        public var reports: [RolloutReport] = []
        /// History entries to complete: the revision and how its rollout ended.
        public var completions: [Completion] = []
        /// When to tick again while a rollout runs.
        public var requeue: Duration?
        /// The phase changes written this tick.
        public var transitions: [Transition] = []
        /// The analysis measurements taken this tick.
        public var measurements: [Measured] = []
    }

    /// A history entry to complete.
    public struct Completion: Sendable, Hashable {
        public var revision: String
        public var result: RolloutEffect.Result
        public var message: String
    }

    /// One tick over `prepared` (namespaced render objects) rendered from `revision`. Without
    /// `mayStart` (a manual-sync application whose new revision nobody synced yet) a new template
    /// does not start a rollout; rollouts already running go on.
    public func tick(_ prepared: [Manifest], revision: String, mayStart: Bool = true) async -> Outcome {
        var outcome = Outcome(manifests: prepared)
        for manifest in prepared where manifest.group == RolloutAPI.group && manifest.kind == RolloutAPI.rolloutKind {
            var logger = self.logger
            logger[metadataKey: "k8s.resource"] = "\(manifest.key)"
            let spec: RolloutSpec
            do {
                spec = try RolloutSpec(manifest)
            } catch {
                outcome.reports.append(RolloutReport(namespace: manifest.namespace, name: manifest.name, problem: error.description))
                await hold(&outcome.manifests, of: manifest)
                continue
            }
            do {
                var tick = RolloutTick(engine: self, spec: spec, manifest: manifest, revision: revision, mayStart: mayStart, logger: logger)
                try await tick.run(&outcome)
                if let report = outcome.reports.last, report.name == spec.name, report.phase == "Error" {
                    await hold(&outcome.manifests, of: manifest)
                }
            } catch {
                logger.warning("rollout tick failed", metadata: ["error": "\(error)"])
                outcome.reports.append(RolloutReport(namespace: spec.namespace, name: spec.name, problem: "\(error)"))
                outcome.requeue = min(outcome.requeue ?? .seconds(5), .seconds(5))
                await hold(&outcome.manifests, of: manifest)
            }
        }
        return outcome
    }
}

extension RolloutEngine {
    /// Fails closed: a Rollout that could not be followed this time keeps its target on the
    /// template it runs, so a sync never ships an unanalysed template to every pod. The target
    /// is named by the Rollout's raw `spec.targetRef.name`, readable even when the rest is not.
    func hold(_ manifests: inout [Manifest], of rollout: Manifest) async {
        guard let target = rollout.value[path: ["spec", "targetRef", "name"]]?.stringValue,
            let index = manifests.firstIndex(where: {
                $0.group == "apps" && $0.kind == "Deployment" && $0.name == target && $0.namespace == rollout.namespace
            }),
            let live = try? await client.get(Self.deploymentKind, name: target, namespace: rollout.namespace),
            let template = live.object["spec"]?["template"]
        else { return }
        manifests[index].object["spec"]?["template"] = template
        if let replicas = live.object["spec"]?["replicas"] { manifests[index].object["spec"]?["replicas"] = replicas }
        if let hash = live.annotations[PodTemplate.hashAnnotation] { manifests[index].setAnnotation(PodTemplate.hashAnnotation, hash) }
    }
}

/// Runs the analyses a rollout asks for; their state lives in the Rollout's status.
public protocol RolloutAnalyst: Sendable {
    /// Starts a run of `slot`'s templates for `spec`'s canary.
    func start(_ slot: AnalysisSlot, spec: RolloutSpec, canaryHash: String, render: [Manifest], now: Date) async -> AnalysisSlot
    /// Takes the measurements that are due and judges the run.
    func advance(_ slot: AnalysisSlot, spec: RolloutSpec, canaryHash: String, render: [Manifest], now: Date) async -> AnalysisSlot
    /// Stops the run (deleting what it created).
    func stop(_ slot: AnalysisSlot, spec: RolloutSpec, canaryHash: String, render: [Manifest], now: Date) async -> AnalysisSlot
}
