import Controller
import Foundation
import Kube
import Logging
import Manifests
import ServiceLifecycle

/// Runs Argo CD's and Flux's objects as they are: it watches `argoproj.io` Applications,
/// AppProjects and ApplicationSets and Flux's Kustomizations and HelmReleases (with their sources)
/// wherever their CRDs are served, translates them (`ArgoCDTranslation`, `FluxTranslation`) and
/// keeps the Keelson objects they stand for applied, so a repository laid out for either tool
/// syncs without being rewritten.
///
/// Each translated object carries `keelson.dev/translated-from` (its origin), the label
/// `keelson.dev/translated` (`argocd` or `flux`), and `keelson.dev/unsupported`: the fields not
/// carried over. It is never owned by its origin, so removing the tools' CRDs (which sweeps their
/// objects) cannot take Keelson's objects, and their workloads, along.
///
/// Safety:
/// - An origin that cannot be translated leaves what was translated from it before unchanged, and
///   the field that stopped it is logged.
/// - An existing object that was not translated from the same origin is never overwritten; two
///   origins that translate to one object are both left out; objects bound for a namespace the
///   controller does not reconcile are not written.
/// - A translated object is deleted only when every served kind has been listed, its origin's kind
///   is among them, the origin's CRD is not being deleted, and the origin is confirmed gone (a read
///   answers NotFound) or translates without error to objects that no longer include it. A Project
///   is deleted only once no Application names it.
/// - Projects come only from AppProjects in the controller's namespace or Argo CD's own, where
///   tenants cannot write.
public struct ForeignObjectsService: Service {
    let client: any KubernetesAPI
    let configuration: ForeignObjectsConfiguration
    let logger: Logger

    static let fieldManager = "keelson-fleet"
    /// The label naming the tool a Keelson object was translated from.
    public static let translatedLabel = "keelson.dev/translated"
    /// The annotation listing the fields not carried over, one `field: reason` per line.
    public static let unsupportedAnnotation = "keelson.dev/unsupported"
    /// The most bytes `unsupportedAnnotation` holds; longer reports end with a count of the rest.
    static let maximumReportBytes = 8 * 1024

    typealias Store = ResourceStore<Manifest, Never>

    /// Creates the service.
    public init(client: any KubernetesAPI, configuration: ForeignObjectsConfiguration, logger: Logger = Logger(label: "keelson.fleet")) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let wakeup = WakeSignal()
        let kinds = (configuration.readArgoCD ? ForeignKinds.argoCD : []) + (configuration.readFlux ? ForeignKinds.flux : [])
        let stores = kinds.map { kind in
            (
                kind,
                Store(
                    client: client, kind: kind, scope: configuration.watchScope, retryDelay: configuration.optionalKindRetry,
                    clock: configuration.clock, logger: logger, parse: { $0 }, onChange: { wakeup.wake() })
            )
        }
        await withDiscardingTaskGroup { group in
            for (_, store) in stores { group.addTask { await store.run() } }
            await withGracefulShutdownHandler {
                var memory = PassMemory()
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    await pass(stores, memory: &memory)
                    await wakeup.wait(timeout: configuration.resyncInterval, clock: configuration.clock)
                }
            } onGracefulShutdown: {
                wakeup.wake()
            }
            group.cancelAll()
        }
    }

    /// What passes remember: the text last applied per object, and what was already logged.
    struct PassMemory {
        var applied: [String: String] = [:]
        var logged: Set<String> = []
    }

    /// What one pass read and made of it.
    struct PassResult {
        /// Every origin object by its report name (`group/Kind namespace/name`).
        var origins: [String: Manifest] = [:]
        /// `group/Kind` of the kinds whose objects were all listed.
        var listedKinds: Set<String> = []
        /// Whether every served kind was listed.
        var complete = true
        /// Per origin translated without failure, the ids (`Kind namespace/name`) of what it produced.
        var produced: [String: Set<String>] = [:]
    }

    /// Translates everything the stores hold and applies what changed; deletes what lost its origin.
    func pass(_ stores: [(GroupVersionKind, Store)], memory: inout PassMemory) async {
        var result = PassResult()
        var objects: [Manifest] = []
        for (kind, store) in stores {
            if let entries = await store.all() {
                objects += entries.map(\.object)
                result.listedKinds.insert("\(kind.group)/\(kind.kind)")
                continue
            }
            // Only a kind discovery positively does not serve counts as holding nothing.
            do {
                _ = try await client.resource(for: kind)
                result.complete = false
            } catch {
                if error.code != .unknownKind { result.complete = false }
            }
        }
        result.origins = Dictionary(objects.map { (TranslatedFrom.name(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        var options = TranslationOptions()
        options.controllerNamespace = configuration.controllerNamespace
        options.clusters = await RegisteredClusters.servers(client: client, namespace: configuration.controllerNamespace)
        var translations: [(tool: String, Translation)] = []
        if configuration.readArgoCD { translations.append(("argocd", ArgoCDTranslation.translate(objects, options: options))) }
        if configuration.readFlux { translations.append(("flux", FluxTranslation.translate(objects, options: options))) }

        var targets: [String: [(tool: String, object: Manifest, origin: String, unsupported: [Unsupported])]] = [:]
        for (tool, translation) in translations {
            let failed = Set(translation.failures.map(\.object))
            for failure in translation.failures {
                note(&memory, "cannot run \(failure.object) as a Keelson object: \(failure.field): \(failure.message)")
            }
            let unsupported = Dictionary(grouping: translation.unsupported, by: \.object)
            // Sources produce no object of their own to annotate: what they lose is logged once.
            let producing = Set(translation.objects.compactMap { $0.annotations[TranslatedFrom.annotation] })
            for entry in translation.unsupported where !producing.contains(entry.object) {
                note(&memory, "\(entry.object): \(entry.field) is not carried over: \(entry.reason)", level: .notice)
            }
            for object in translation.objects {
                let origin = object.annotations[TranslatedFrom.annotation] ?? ""
                guard let source = result.origins[origin], mayTranslate(object, from: source, memory: &memory) else { continue }
                let id = Self.id(object)
                if !failed.contains(origin) { result.produced[origin, default: []].insert(id) }
                targets[id, default: []].append((tool, object, origin, unsupported[origin] ?? []))
            }
        }
        for (id, candidates) in targets.sorted(by: { $0.key < $1.key }) {
            guard candidates.count == 1, let target = candidates.first else {
                note(&memory, "\(id) is translated from \(candidates.map(\.origin).sorted().joined(separator: " and ")): neither is run")
                continue
            }
            await write(target.object, id: id, tool: target.tool, origin: target.origin, unsupported: target.unsupported, memory: &memory)
        }
        guard result.complete else { return }
        await deleteOrphans(result, memory: &memory)
    }

    /// `Kind namespace/name` of a translated object.
    static func id(_ object: Manifest) -> String { "\(object.kind) \(object.namespace)/\(object.name)" }

    /// Logs `message` once per process.
    func note(_ memory: inout PassMemory, _ message: String, level: Logger.Level = .warning) {
        guard memory.logged.insert(message).inserted else { return }
        logger.log(level: level, "\(message)")
    }

    /// Whether `object` may come from `source`: Projects only from AppProjects where tenants cannot
    /// write, everything else only into namespaces the controller reconciles.
    func mayTranslate(_ object: Manifest, from source: Manifest, memory: inout PassMemory) -> Bool {
        if object.kind == Project.kind {
            let trusted =
                source.namespace == configuration.controllerNamespace || TranslationOptions().controlPlaneNamespaces.contains(source.namespace)
            if !trusted {
                note(
                    &memory,
                    "AppProject \(source.namespace)/\(source.name) is not in the controller's namespace or Argo CD's: it is not run as a Project")
            }
            return trusted
        }
        guard configuration.namespaces?(object.namespace) ?? true else {
            note(
                &memory,
                "\(TranslatedFrom.name(of: source)) translates into namespace \(object.namespace), which the controller does not reconcile: it is not run"
            )
            return false
        }
        return true
    }

    /// Applies `object` when it changed since this process last did, unless the cluster holds an
    /// object of that name that was not translated from `origin`.
    func write(_ object: Manifest, id: String, tool: String, origin: String, unsupported: [Unsupported], memory: inout PassMemory) async {
        let prepared = Self.prepared(object, tool: tool, unsupported: unsupported)
        let text = JSONWriter.compact(prepared.value)
        guard memory.applied[id] != text else { return }
        if memory.applied[id] == nil {
            let kind = GroupVersionKind(group: object.group, version: object.version, kind: object.kind)
            do {
                let live = try await client.get(kind, name: object.name, namespace: object.namespace)
                guard live.annotations[TranslatedFrom.annotation] == origin else {
                    note(&memory, "\(id) exists and was not translated from \(origin): it is left as it is")
                    return
                }
            } catch {
                guard error.isNotFound else {
                    logger.warning("cannot read \(id)", metadata: ["error": "\(error)"])
                    return
                }
            }
        }
        do {
            _ = try await client.apply(prepared, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
            memory.applied[id] = text
            logger.info("applied \(id), translated from \(origin)")
        } catch {
            logger.warning("cannot apply \(id), translated from \(origin)", metadata: ["error": "\(error)"])
        }
    }

    /// `object` labelled and annotated as translated.
    static func prepared(_ object: Manifest, tool: String, unsupported: [Unsupported]) -> Manifest {
        var result = object
        var metadata = result.metadata
        var labels = metadata["labels"]?.objectValue ?? [:]
        labels[translatedLabel] = .string(tool)
        metadata["labels"] = .object(labels)
        var annotations = metadata["annotations"]?.objectValue ?? [:]
        annotations[unsupportedAnnotation] = .string(report(unsupported))
        metadata["annotations"] = .object(annotations)
        result.object["metadata"] = .object(metadata)
        return result
    }

    /// The report as the annotation holds it, within `maximumReportBytes`.
    static func report(_ unsupported: [Unsupported]) -> String {
        var lines: [String] = []
        var size = 0
        for (index, entry) in unsupported.enumerated() {
            let line = "\(entry.field): \(entry.reason)"
            if size + line.utf8.count + 1 > maximumReportBytes {
                lines.append("… and \(unsupported.count - index) more (keelson import prints them all)")
                break
            }
            lines.append(line)
            size += line.utf8.count + 1
        }
        return lines.joined(separator: "\n")
    }
}
