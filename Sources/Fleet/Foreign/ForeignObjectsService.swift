import Controller
import Foundation
import Kube
import Logging
import Manifests
import ServiceLifecycle

/// Runs Argo CD's and Flux's objects as they are: it watches `argoproj.io` Applications and
/// AppProjects and Flux's Kustomizations and HelmReleases (with their sources) wherever their CRDs
/// are served, translates them (`ArgoCDTranslation`, `FluxTranslation`) and keeps the Keelson
/// Applications and Projects they stand for applied, so a repository laid out for either tool
/// syncs without being rewritten.
///
/// Each translated object carries `keelson.dev/translated-from` (its origin), the label
/// `keelson.dev/translated` (`argocd` or `flux`), and `keelson.dev/unsupported`: the fields not
/// carried over. An origin that cannot be translated leaves what was translated from it before
/// unchanged and is logged with the field that stopped it; a translated object is deleted only
/// once every served kind has been listed and its origin is gone. Projects are taken only from
/// AppProjects in the controller's namespace or Argo CD's own, where tenants cannot write.
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

    /// What passes remember: the text last applied per object, and the failures already logged.
    struct PassMemory {
        var applied: [String: String] = [:]
        var logged: Set<String> = []
    }

    /// Translates everything the stores hold and applies what changed; deletes what lost its origin.
    func pass(_ stores: [(GroupVersionKind, Store)], memory: inout PassMemory) async {
        var objects: [Manifest] = []
        var complete = true
        for (kind, store) in stores {
            if let entries = await store.all() {
                objects += entries.map(\.object)
            } else if (try? await client.resource(for: kind)) != nil {
                complete = false  // served, but its first list has not arrived: nothing may be deleted yet
            }
        }
        var options = TranslationOptions()
        options.controllerNamespace = configuration.controllerNamespace
        options.clusters = await RegisteredClusters.servers(client: client, namespace: configuration.controllerNamespace)
        let origins = Dictionary(objects.map { (TranslatedFrom.name(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        var translations: [(tool: String, Translation)] = []
        if configuration.readArgoCD { translations.append(("argocd", ArgoCDTranslation.translate(objects, options: options))) }
        if configuration.readFlux { translations.append(("flux", FluxTranslation.translate(objects, options: options))) }
        for (tool, translation) in translations {
            for failure in translation.failures where memory.logged.insert(failure.description).inserted {
                logger.warning(
                    "cannot run \(failure.object) as a Keelson object", metadata: ["field": "\(failure.field)", "error": "\(failure.message)"])
            }
            let unsupported = Dictionary(grouping: translation.unsupported, by: \.object)
            // Sources produce no object of their own to annotate: what they lose is logged once.
            let produced = Set(translation.objects.compactMap { $0.annotations[TranslatedFrom.annotation] })
            for entry in translation.unsupported where !produced.contains(entry.object) && memory.logged.insert(entry.description).inserted {
                logger.notice("\(entry.object): \(entry.field) is not carried over", metadata: ["reason": "\(entry.reason)"])
            }
            for object in translation.objects {
                let origin = object.annotations[TranslatedFrom.annotation] ?? ""
                guard let source = origins[origin], !source.isMarkedForDeletion, mayTranslate(object, from: source) else { continue }
                let prepared = Self.prepared(object, tool: tool, origin: source, unsupported: unsupported[origin] ?? [])
                let id = "\(object.kind) \(object.namespace)/\(object.name)"
                let text = JSONWriter.compact(prepared.value)
                guard memory.applied[id] != text else { continue }
                do {
                    _ = try await client.apply(prepared, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
                    memory.applied[id] = text
                    logger.info("applied \(id), translated from \(origin)")
                } catch {
                    logger.warning("cannot apply \(id), translated from \(origin)", metadata: ["error": "\(error)"])
                }
            }
        }
        guard complete else { return }
        // An origin marked for deletion is as good as gone (nothing may be left to finalize it):
        // its translation goes, and with the resources finalizer takes its objects along.
        await deleteOrphans(origins: Set(origins.filter { !$0.value.isMarkedForDeletion }.keys), memory: &memory)
    }

    /// Whether `object` may come from `source`: Projects only from AppProjects where tenants cannot write.
    func mayTranslate(_ object: Manifest, from source: Manifest) -> Bool {
        guard object.kind == Project.kind else { return true }
        let trusted = source.namespace == configuration.controllerNamespace || TranslationOptions().controlPlaneNamespaces.contains(source.namespace)
        if !trusted {
            logger.warning(
                "AppProject \(source.namespace)/\(source.name) is not in the controller's namespace or Argo CD's: it is not run as a Project")
        }
        return trusted
    }

    /// `object` labelled and annotated as translated, owned by `origin` when they share a namespace.
    static func prepared(_ object: Manifest, tool: String, origin: Manifest, unsupported: [Unsupported]) -> Manifest {
        var result = object
        var metadata = result.metadata
        var labels = metadata["labels"]?.objectValue ?? [:]
        labels[translatedLabel] = .string(tool)
        metadata["labels"] = .object(labels)
        var annotations = metadata["annotations"]?.objectValue ?? [:]
        annotations[unsupportedAnnotation] = .string(report(unsupported))
        metadata["annotations"] = .object(annotations)
        if origin.namespace == object.namespace, let uid = origin.metadata["uid"]?.stringValue {
            metadata["ownerReferences"] = [
                [
                    "apiVersion": .string(origin.apiVersion), "kind": .string(origin.kind), "name": .string(origin.name), "uid": .string(uid),
                ]
            ]
        }
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

    /// Deletes the translated Applications and Projects whose origin no longer exists.
    func deleteOrphans(origins: Set<String>, memory: inout PassMemory) async {
        var tools: [String] = []
        if configuration.readArgoCD { tools.append("argocd") }
        if configuration.readFlux { tools.append("flux") }
        let selector: LabelSelector = [.in(Self.translatedLabel, tools)]
        for kind in [
            GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: Application.kind),
            GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: Project.kind),
        ] {
            guard let list = try? await client.listAll(kind, namespace: nil, options: ListOptions(labelSelector: selector)) else { continue }
            for object in list.items {
                guard let origin = object.annotations[TranslatedFrom.annotation], !origins.contains(origin) else { continue }
                do {
                    _ = try await client.delete(kind, name: object.name, namespace: object.namespace, options: DeleteOptions())
                    memory.applied["\(object.kind) \(object.namespace)/\(object.name)"] = nil
                    logger.info("deleted \(object.kind) \(object.namespace)/\(object.name): \(origin) is gone")
                } catch {
                    guard !error.isNotFound else { continue }
                    logger.warning("cannot delete \(object.kind) \(object.namespace)/\(object.name)", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
