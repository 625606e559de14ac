import Foundation
import GitSource
import Kube
import Logging
import Manifests
import Registry
import ServiceLifecycle

/// Settings of the image automation loop.
public struct ImageAutomationConfiguration: Sendable {
    /// Install the two CRDs when missing.
    public var installCRDs = true
    /// Registry client tunables (timeouts, extra CA); `insecure` comes from each policy.
    public var registry = RegistryOptions()
    /// How many scans and automation runs proceed at once.
    public var concurrency = 4
    /// The controller's namespace: only automations here may name an Application of another
    /// namespace or a `file://` repository.
    public var controllerNamespace = "keelson"
    /// Which namespaces' ImagePolicies and ImageUpdateAutomations are run (the controller's
    /// `--namespace` and `--application-namespaces`); all when `nil`.
    public var namespaces: (@Sendable (String) -> Bool)?
    /// Where the objects are watched: across the cluster, or in some namespaces only.
    public var watchScope: WatchScope = .cluster

    /// Defaults.
    public init() {}
}

/// Runs `ImagePolicy` and `ImageUpdateAutomation` objects from the cluster, which it watches
/// (it never lists them on a timer): each policy on its
/// interval scans its registry and writes `status.latestImage`; each automation on its
/// interval (and soon after a policy of its namespace moves) runs the setters under its path,
/// commits and pushes. Errors go to the objects' `Ready` condition; no credential reaches a
/// status or a log line. Registry webhooks ask for a scan at once through `rescan(_:)`.
///
/// ```swift
/// let images = ImageAutomationService(client: client, git: cache)
/// let group = ServiceGroup(configuration: .init(services: [.init(service: images)], logger: logger))
/// ```
public struct ImageAutomationService: Service, ImagePolicyDirectory {
    let client: any KubernetesAPI
    let git: GitCache
    let configuration: ImageAutomationConfiguration
    let logger: Logger
    let state = ImageAutomationState()

    static let policyKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: ImagePolicy.kind)
    static let automationKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: ImageUpdateAutomation.kind)
    static let fluxPolicyKind = GroupVersionKind(group: ImagePolicy.fluxGroup, version: "v1beta2", kind: ImagePolicy.kind)
    static let fluxRepositoryKind = GroupVersionKind(group: ImagePolicy.fluxGroup, version: "v1beta2", kind: ImageRepositorySpec.kind)
    static let applicationKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let fieldManager = "keelson-image-automation"

    /// Creates the service.
    public init(
        client: any KubernetesAPI, git: GitCache, configuration: ImageAutomationConfiguration = ImageAutomationConfiguration(),
        logger: Logger = Logger(label: "keelson.image-automation")
    ) {
        self.client = client
        self.git = git
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        if configuration.installCRDs {
            // Without the CRDs (no RBAC to create them, say) the loop still runs, and says why it finds nothing.
            do { try await installCRDs() } catch { logger.warning("cannot install the image automation CRDs", metadata: ["error": "\(error)"]) }
        }
        let wakeup = state.wakeup
        let stores = ImageAutomationStores(client: client, scope: configuration.watchScope, logger: logger) { wakeup.wake() }
        await withDiscardingTaskGroup { watches in
            watches.addTask { await stores.run() }
            await withGracefulShutdownHandler {
                await runDueWork(stores)
            } onGracefulShutdown: {
                wakeup.wake()
            }
            watches.cancelAll()
        }
    }

    /// Starts what is due whenever the watches, a finished run, a webhook or a timer says so,
    /// until graceful shutdown; then waits for the scans and pushes in flight.
    func runDueWork(_ stores: ImageAutomationStores) async {
        let wakeup = state.wakeup
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let now = ContinuousClock.now
                for work in await dueWork(stores, now: now) {
                    guard await state.runningCount() < max(1, configuration.concurrency) else { break }
                    guard await state.begin(work.key) else { continue }
                    group.addTask {
                        await work.run()
                        await state.end(work.key)
                        wakeup.wake()
                    }
                }
                // Nothing is due before the next timer unless something wakes the loop.
                let timer = await state.nextTimer(after: now).map { ContinuousClock.now.duration(to: $0) }
                await wakeup.wait(timeout: timer ?? Self.idleWait)
            }
            logger.info("image automation stopping; waiting for scans and pushes in flight")
        }
    }

    /// The longest wait without a timer (every change wakes the loop anyway).
    static let idleWait: Duration = .seconds(3600)

    /// Scans `policies` (`NAMESPACE:NAME`) at once, e.g. after a registry webhook.
    public func rescan(_ policies: [String]) async {
        await state.requestScan(policies)
    }

    /// The policies whose repository is `image`'s (for registry webhooks).
    public func policies(watching image: ImageReference) async -> [String] {
        await state.policies(watching: image)
    }

    /// One scan or automation run to start now.
    struct Work: Sendable {
        var key: String
        var run: @Sendable () async -> Void
    }

    /// What is due now, from the watched objects; invalid objects get their status written.
    func dueWork(_ stores: ImageAutomationStores, now: ContinuousClock.Instant) async -> [Work] {
        var work: [Work] = []
        for entry in await listPolicies(stores) where configuration.namespaces?(entry.object.namespace) ?? true {
            let generation = entry.object.metadata["generation"]?.intValue ?? 0
            switch entry.outcome {
            case .failure(let error):
                if await state.shouldReportInvalidPolicy(entry.id, generation: generation) {
                    await writeStatus(entry.object, conditions: ResourceCondition(ready: false, reason: error.reason, message: error.message)) { _ in
                    }
                }
            case .success(let (policy, repository)):
                guard !policy.suspend, await state.policyDue(entry.id, generation: generation, now: now) else { continue }
                work.append(Work(key: "policy " + entry.id) { await scan(policy, repository: repository, object: entry.object) })
            }
        }
        var ids: Set<String> = []
        for entry in await stores.automations.all() ?? [] where configuration.namespaces?(entry.object.namespace) ?? true {
            let object = entry.object
            let generation = object.metadata["generation"]?.intValue ?? 0
            switch entry.parsed {
            case .failure(let error):
                let id = "\(object.namespace)/\(object.name)"
                ids.insert(id)
                if await state.shouldReportInvalidAutomation(id, generation: generation) {
                    await writeStatus(object, conditions: ResourceCondition(ready: false, reason: "InvalidSpec", message: error.description)) { _ in }
                }
            case .success(let automation):
                ids.insert(automation.id)
                guard !automation.suspend, await state.automationDue(automation.id, namespace: automation.namespace, generation: generation, now: now)
                else { continue }
                work.append(Work(key: "automation " + automation.id) { await runAutomation(automation, object: object) })
            }
        }
        await state.keepAutomations(ids)
        return work
    }

    // MARK: Cluster writes

    /// Rewrites the object's status: `update` edits it, `condition` is merged into `conditions`.
    func writeStatus(_ object: Manifest, conditions condition: ResourceCondition, _ update: (inout JSONObject) -> Void) async {
        let gvk = GroupVersionKind(group: object.group, version: object.version, kind: object.kind)
        for _ in 0..<3 {
            do {
                var current = try await client.get(gvk, name: object.name, namespace: object.namespace)
                let generation = current.metadata["generation"]?.intValue ?? 0
                var status = current.object["status"]?.objectValue ?? [:]
                update(&status)
                status["observedGeneration"] = .number(JSONNumber(generation))
                status["conditions"] = condition.merged(into: status["conditions"], generation: generation, now: Date())
                current.object["status"] = .object(status)
                _ = try await client.updateStatus(current, options: WriteOptions(fieldManager: Self.fieldManager))
                return
            } catch {
                guard error.isConflict else {
                    logger.warning(
                        "cannot write status", metadata: ["k8s.resource": "\(object.kind)/\(object.namespace)/\(object.name)", "error": "\(error)"])
                    return
                }
            }
        }
    }

    /// Applies the ImagePolicy and ImageUpdateAutomation CRDs and waits until they are served.
    func installCRDs() async throws {
        for (file, yaml) in ImageAutomationCRDs.all {
            for object in try Manifest.decode(Array(yaml.utf8), file: file) {
                _ = try await client.apply(object, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
            }
        }
        for kind in [Self.policyKind, Self.automationKind] {
            for attempt in 0..<100 {
                if (try? await client.resource(for: kind)) != nil { break }
                if attempt == 99 { logger.warning("CRD not served yet", metadata: ["kind": "\(kind.kind)"]) }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
