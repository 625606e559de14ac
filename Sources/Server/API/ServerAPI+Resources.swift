import Controller
import Foundation
import Hummingbird
import Kube
import Manifests
import Sync

/// One object of an application as the API shows it: desired, live, and how they compare.
struct ResourceState: Sendable {
    var key: ResourceKey
    var apiVersion: String
    var desired: Manifest?
    var live: Manifest?
    var sync: ResourceSyncState
    var fields: [String]

    var version: String {
        guard let slash = apiVersion.lastIndex(of: "/") else { return apiVersion }
        return String(apiVersion[apiVersion.index(after: slash)...])
    }

    /// group, version, kind, namespace, name.
    var identity: JSONObject {
        [
            "group": .string(key.group), "version": .string(version), "kind": .string(key.kind), "namespace": .string(key.namespace),
            "name": .string(key.name),
        ]
    }
}

extension ServerAPI {
    /// Metadata that says nothing about the object's content, left out of `live`.
    static let noisyMetadata = ["managedFields", "selfLink"]

    /// Compares the last render of `view` with the cluster the way a sync would (the sync
    /// engine's preview, pruning on, so every inventory object Git no longer holds shows).
    func resourceStates(_ view: ApplicationView) async throws -> [ResourceState] {
        guard let application = view.application else {
            throw APIError.conflict("InvalidSpec", "application \(view.id) has an invalid spec; see its conditions")
        }
        try Self.refuseOtherClusters(application)
        guard let desired = await handle.desiredState(view.id) else { return [] }
        var options = application.syncOptions
        options.prune = true
        options.allowEmpty = true
        options.dryRun = true
        let preview: SyncPreview
        do {
            preview = try await syncEngine.preview(app: application.identity, desired: desired.manifests, options: options)
        } catch {
            throw APIError(.badGateway, "CompareFailed", "cannot compare application \(view.id) with the cluster: \(error)")
        }
        var states: [ResourceState] = []
        for step in preview.plan.steps {
            for object in step.objects {
                states.append(
                    ResourceState(
                        key: object.manifest.key, apiVersion: object.manifest.apiVersion, desired: object.manifest, live: object.live,
                        sync: ResourceSyncState(object.action),
                        fields: object.fields))
            }
        }
        let extraneous = preview.plan.prune + preview.plan.keep.filter(\.reason.staysInInventory).map(\.entry)
        for entry in extraneous.sorted() {
            guard let live = preview.live[entry.key] else { continue }
            states.append(ResourceState(key: entry.key, apiVersion: entry.apiVersion, desired: nil, live: live, sync: .extraneous, fields: []))
        }
        return states
    }

    /// `GET .../resources`: one entry per desired object and per inventory object Git no longer holds.
    func resources(_ request: Request, _ context: ServerContext) async throws -> Response {
        JSONResponse.make(["items": .array(try await resourcesJSON(try await resolve(request, context)).map(JSONValue.object))])
    }

    /// The resources of `view` as the API shows them.
    func resourcesJSON(_ view: ApplicationView) async throws -> [JSONObject] {
        try await resourceStates(view).map { state in
            let health = HealthAssessor.assess(state.live)
            var item = state.identity
            item["health"] = ["status": .string(health.status.rawValue), "message": .string(health.message)]
            item["sync"] = .string(state.sync.rawValue)
            item["fields"] = .array(state.fields.map(JSONValue.string))
            return item
        }
    }

    /// `GET .../diff[?group=&kind=&namespace=&name=]`: live, desired and their diff for every
    /// out-of-sync object, or for the one object named (404 when the application has no such object).
    /// With an object filter (`kind` or `name` given), `namespace` is the object's namespace and
    /// `appNamespace` the application's.
    func diff(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = request.uri.queryParameters
        let filtered = query.get("kind") != nil || query.get("name") != nil
        let view = try await resolve(request, context, namespaceParameter: filtered ? "appNamespace" : "namespace")
        let filter = filtered ? ["group", "kind", "namespace", "name"].compactMap { key in query.get(key).map { (key, $0) } } : []
        var states = try await resourceStates(view)
        if filter.isEmpty {
            states = states.filter { $0.sync != .synced }
        } else {
            states = states.filter { state in filter.allSatisfy { key, value in state.identity[key]?.stringValue == value } }
            guard !states.isEmpty else {
                throw APIError.notFound("application \(view.id) has no object matching " + filter.map { "\($0)=\($1)" }.joined(separator: ", "))
            }
        }
        return JSONResponse.make(["items": .array(Self.diffJSON(states).map(JSONValue.object))])
    }

    /// The out-of-sync objects of `view` with live, desired (both masked) and their diff.
    func diffJSON(_ view: ApplicationView) async throws -> [JSONObject] {
        Self.diffJSON(try await resourceStates(view).filter { $0.sync != .synced })
    }

    static func diffJSON(_ states: [ResourceState]) -> [JSONObject] {
        states.map { state in
            // One masker per object: equal Secret values share a mask across live, desired and diff.
            var masker = SecretMasker()
            let desired = state.desired.map { masker.mask($0) }
            let live = state.live.map { masker.mask(Self.withoutNoise($0)) }
            let diff = SyncPreview.diff(live: state.live.map(Self.withoutNoise), desired: state.desired, masker: &masker)
            var item = state.identity
            item["sync"] = .string(state.sync.rawValue)
            item["live"] = live?.value ?? .null
            item["desired"] = desired?.value ?? .null
            item["diff"] = .string(diff)
            return item
        }
    }

    /// What a sync of the last render would do now (the sync engine in dry-run mode), masked.
    func dryRunSync(_ view: ApplicationView, prune: Bool?) async throws -> Response {
        guard let application = view.application else {
            throw APIError.conflict("InvalidSpec", "application \(view.id) has an invalid spec; see its conditions")
        }
        try Self.refuseOtherClusters(application)
        guard let desired = await handle.desiredState(view.id) else {
            throw APIError.conflict("NotRendered", "application \(view.id) has not been rendered yet; try again after its first reconcile")
        }
        var options = application.syncOptions
        options.dryRun = true
        if let prune { options.prune = prune }
        let changes = await syncEngine.sync(app: application.identity, desired: desired.manifests, options: options)
        if changes.result == .failed { throw APIError.conflict("DryRunFailed", changes.message) }
        let items: [JSONValue] = changes.objects.map { change in
            let version = change.apiVersion.split(separator: "/").last.map(String.init) ?? change.apiVersion
            return [
                "group": .string(change.key.group), "version": .string(version), "kind": .string(change.key.kind),
                "namespace": .string(change.key.namespace), "name": .string(change.key.name), "action": .string(change.action.rawValue),
                "fields": .array(change.fields.map(JSONValue.string)), "diff": .string(change.diff),
            ]
        }
        return JSONResponse.make(["items": .array(items), "revision": .string(desired.revision), "summary": .string(changes.summary)])
    }

    /// `live` without managed fields and the like, and without the last-applied annotation (a full copy of an older spec).
    static func withoutNoise(_ live: Manifest) -> Manifest {
        var object = live
        for field in noisyMetadata { object.setMetadata(field, nil) }
        if case .object(var annotations) = object.metadata["annotations"], annotations["kubectl.kubernetes.io/last-applied-configuration"] != nil {
            annotations["kubectl.kubernetes.io/last-applied-configuration"] = nil
            object.setMetadata("annotations", annotations.isEmpty ? nil : .object(annotations))
        }
        return object
    }

    /// The server compares with the controller's own cluster only: an Application of another
    /// cluster is refused (501) rather than shown as if none of its objects existed.
    static func refuseOtherClusters(_ application: Controller.Application) throws {
        guard application.spec.destination.isInCluster else {
            throw APIError(
                .notImplemented, "OtherCluster",
                "application \(application.id) deploys to cluster \(application.spec.destination.cluster); the server compares with its own cluster only (its status shows sync and health)"
            )
        }
    }

    /// A sync engine whose inventories are the controller's (in its namespace).
    var syncEngine: SyncEngine {
        SyncEngine(client: client, inventory: ConfigMapInventoryStore(client: client, namespace: handle.controllerNamespace), logger: logger)
    }
}
