import Controller
import Foundation
import GitSource
import Kube
import Logging
import Manifests
import ServiceLifecycle

/// Runs ApplicationSets (Keelson's `keelson.dev/v1alpha1`, and Argo CD's `argoproj.io/v1alpha1`
/// when a translation of Argo CD Applications is configured), following them and the
/// Applications by watch. A set's generators run when it changes and every `requeueAfterSeconds`;
/// a change of its Applications plans again from the last successful generation.
///
/// Safety: a generator or template that fails changes nothing — no Application is created,
/// updated or deleted — and `ErrorOccurred` says why; deletion follows only a successful
/// generation that no longer lists an Application, at most `maxDeletionShare` per generation; an
/// Application the set does not own is never touched.
///
/// ```swift
/// let sets = ApplicationSetService(client: client, git: git)
/// let group = ServiceGroup(configuration: .init(services: [.init(service: sets)], logger: logger))
/// ```
public struct ApplicationSetService<C: Clock>: Service where C.Duration == Duration {
    let client: any KubernetesAPI
    let configuration: ApplicationSetConfiguration
    let sources: any GeneratorSources
    let clock: C
    let logger: Logger
    let state = ApplicationSetState<C.Instant>()

    static var fieldManager: String { "keelson-applicationset" }
    static var applicationKind: GroupVersionKind { GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application") }
    /// The longest wait without a timer (every change wakes the loop anyway).
    static var idleWait: Duration { .seconds(3600) }

    /// Creates the service on `clock`, reading Git through `git`.
    public init(
        client: any KubernetesAPI, git: GitCache, configuration: ApplicationSetConfiguration = ApplicationSetConfiguration(), clock: C,
        logger: Logger = Logger(label: "keelson.applicationsets")
    ) {
        self.client = client
        self.configuration = configuration
        self.sources =
            configuration.sources
            ?? LiveGeneratorSources(
                client: client, git: git, controllerNamespace: configuration.controllerNamespace, forgeRetry: configuration.forgeRetry)
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        if configuration.installCRDs {
            do { try await installCRDs() } catch { logger.warning("cannot install the ApplicationSet CRD", metadata: ["error": "\(error)"]) }
        }
        let wakeup = state.wakeup
        let stores = ApplicationSetStores(client: client, configuration: configuration, logger: logger) { wakeup.wake() }
        await withDiscardingTaskGroup { watches in
            watches.addTask { await stores.run() }
            await withGracefulShutdownHandler {
                await loop(stores)
            } onGracefulShutdown: {
                wakeup.wake()
            }
            watches.cancelAll()
        }
    }

    /// Runs due passes whenever a watch or a timer says so, until shutdown.
    func loop(_ stores: ApplicationSetStores) async {
        let wakeup = state.wakeup
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await passes(stores)
            let timer = await state.nextTimer().map { clock.now.duration(to: $0) }
            await wakeup.wait(timeout: max(.milliseconds(10), timer ?? Self.idleWait), clock: clock)
        }
    }

    /// One look at every set: a full pass for those whose generators are due, a plan from the last
    /// generation for those whose Applications changed.
    func passes(_ stores: ApplicationSetStores) async {
        guard let applications = await stores.applications.all() else { return }
        var ids: Set<String> = []
        for (api, store) in stores.sets {
            for entry in await store.all() ?? [] where configuration.namespaces?(entry.object.namespace) ?? true {
                let id = "\(api.rawValue) \(entry.object.namespace)/\(entry.object.name)"
                ids.insert(id)
                let generation = entry.object.metadata["generation"]?.intValue ?? 0
                var record = await state.record(id)
                switch entry.parsed {
                case .failure(let error):
                    if record.reportedInvalid != generation {
                        record.reportedInvalid = generation
                        record.desired = nil
                        await state.set(id, record)
                        let failure = ApplicationSetError(
                            .invalidSpec, set: "\(entry.object.namespace)/\(entry.object.name)", field: error.field, error.message)
                        logger.warning("invalid ApplicationSet", metadata: ["k8s.resource": "ApplicationSet \(failure.set)", "error": "\(failure)"])
                        await writeStatus(entry.object) { existing, generation in
                            Self.failedStatus(failure, existing: existing, generation: generation, now: configuration.now())
                        }
                    }
                case .success(let set):
                    let inNamespace = applications.map(\.object).filter { $0.namespace == set.namespace }
                    let fingerprint = Self.fingerprint(inNamespace, set: set)
                    let due = record.generation != generation || record.nextGeneration.map { $0 <= clock.now } ?? true
                    if due {
                        record.generation = generation
                        record.reportedInvalid = nil
                        record.nextGeneration = clock.now.advanced(by: requeue(set))
                        if record.rollout.isEmpty { record.rollout = ApplicationSetStatus.rolloutEntries(entry.object.object["status"]) }
                        record = await fullPass(set, object: entry.object, existing: inNamespace, record: record)
                        record.applicationsFingerprint = fingerprint
                        await state.set(id, record)
                    } else if record.desired != nil && record.applicationsFingerprint != fingerprint {
                        record.applicationsFingerprint = fingerprint
                        record = await apply(
                            set, object: entry.object, desired: record.desired ?? [], existing: inNamespace, record: record, freshGeneration: false)
                        await state.set(id, record)
                    }
                }
            }
        }
        await state.keep(ids)
    }

    /// How soon a set's generators run again: the shortest interval any of them asks for.
    func requeue(_ set: ApplicationSet) -> Duration {
        func interval(_ generator: Generator) -> Duration {
            switch generator.source {
            case .list, .clusters: configuration.resyncInterval
            case .git(let git): git.requeueAfterSeconds.map { .seconds($0) } ?? configuration.gitRequeue
            case .pullRequest(let pull): pull.requeueAfterSeconds.map { .seconds($0) } ?? configuration.pullRequestRequeue
            case .matrix(let children), .merge(_, let children): children.map(interval).min() ?? configuration.resyncInterval
            }
        }
        return set.generators.map(interval).min() ?? configuration.resyncInterval
    }

    /// The versions of the Applications labelled as the set's: a change plans again.
    static func fingerprint(_ applications: [Manifest], set: ApplicationSet) -> Int {
        var hasher = Hasher()
        for application in applications.sorted(by: { $0.name < $1.name }) where application.labels[ApplicationSet.setLabel] == set.name {
            hasher.combine(application.name)
            hasher.combine(application.resourceVersion)
        }
        return hasher.finalize()
    }

    /// Applies the CRD and waits until it is served.
    func installCRDs() async throws {
        for (file, yaml) in ApplicationSetCRDs.all {
            for object in try Manifest.decode(Array(yaml.utf8), file: file) {
                _ = try await client.apply(object, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
            }
        }
        for attempt in 0..<100 {
            if (try? await client.resource(for: ApplicationSet.API.keelson.kind)) != nil { break }
            if attempt == 99 { logger.warning("CRD not served yet", metadata: ["kind": "ApplicationSet"]) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

extension ApplicationSetService where C == ContinuousClock {
    /// Creates the service on the system's continuous clock.
    public init(
        client: any KubernetesAPI, git: GitCache, configuration: ApplicationSetConfiguration = ApplicationSetConfiguration(),
        logger: Logger = Logger(label: "keelson.applicationsets")
    ) {
        self.init(client: client, git: git, configuration: configuration, clock: ContinuousClock(), logger: logger)
    }
}
