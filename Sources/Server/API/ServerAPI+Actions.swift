import Controller
import Foundation
import Hummingbird
import Kube
import Manifests
import Sync

extension ServerAPI {
    /// `POST .../sync` `{"prune"?, "dryRun"?, "revision"?}`: queues a sync (202), or with `dryRun`
    /// answers what a sync of the last render would do (200), writing nothing. A `revision` on an
    /// application with `syncPolicy.automated` is refused (403) unless the caller is admin: its
    /// revision is what Git review approved (`spec.source.revision`), as in Argo CD.
    func sync(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (view, principal) = try await resolveForAction("sync", request, context)
        let body = try await Self.bodyObject(request)
        let prune = try Self.optionalBool(body, "prune")
        let dryRun = try Self.optionalBool(body, "dryRun") ?? false
        let revision = try Self.optionalString(body, "revision", limit: 256)
        if revision != nil, Self.isAutomated(view), principal.role < .admin {
            record(
                "sync", principal, context, application: view.id, outcome: "denied", status: 403,
                detail: "revision override on an automated application")
            throw APIError.forbidden(
                "application \(view.id) syncs automatically from spec.source.revision; only an admin may sync it to another revision "
                    + "(or turn off syncPolicy.automated, or change spec.source.revision in Git)")
        }
        if dryRun {
            let response = try await dryRunSync(view, prune: prune)
            record("sync", principal, context, application: view.id, outcome: "succeeded", status: 200, detail: "dry run")
            return response
        }
        try await queue(view, .sync(prune: prune, revision: revision))
        record("sync", principal, context, application: view.id, outcome: "accepted", status: 202, detail: revision.map { "revision \($0)" } ?? "")
        return accepted(view, "sync")
    }

    /// `POST .../refresh`: fetch and compare now (202).
    func refresh(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (view, principal) = try await resolveForAction("refresh", request, context)
        try await queue(view, .refresh)
        record("refresh", principal, context, application: view.id, outcome: "accepted", status: 202)
        return accepted(view, "refresh")
    }

    /// `POST .../rollback` `{"id": int}`: pin the revision of that history entry (202); 404 when the id is not kept.
    func rollback(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (view, principal) = try await resolveForAction("rollback", request, context)
        let body = try await Self.bodyObject(request)
        guard let idValue = body["id"], let id = idValue.intValue, idValue.doubleValue == Double(id) else {
            record("rollback", principal, context, application: view.id, outcome: "failed", status: 400, detail: "no integer id")
            throw APIError.badRequest("the body must be {\"id\": <history id>}")
        }
        let ids = ApplicationJSON.history(view).compactMap { $0["id"]?.intValue }
        guard ids.contains(id) else {
            record("rollback", principal, context, application: view.id, outcome: "failed", status: 404, detail: "history id \(id) not kept")
            throw APIError.notFound("application \(view.id) keeps no history entry \(id) (kept: \(ids.map(String.init).joined(separator: ", ")))")
        }
        try await queue(view, .rollback(historyID: Int(id)))
        record("rollback", principal, context, application: view.id, outcome: "accepted", status: 202, detail: "history id \(id)")
        return accepted(view, "rollback")
    }

    /// Hands `request` to the controller: 404 when the application is gone, 503 when this replica
    /// is a standby that could not pass it to the leader.
    private func queue(_ view: ApplicationView, _ request: ApplicationRequest) async throws {
        do {
            guard try await handle.request(view.id, request) else { throw APIError.notFound("application \(view.id) not found") }
        } catch let error as RequestNotForwarded {
            throw APIError(.serviceUnavailable, "LeaderUnavailable", error.description, headers: [.retryAfter: "5"])
        }
    }

    /// `POST .../suspend` and `.../resume`: merge-patches `spec.suspend` and answers the summary.
    func setSuspended(_ suspended: Bool, _ request: Request, _ context: ServerContext) async throws -> Response {
        let action = suspended ? "suspend" : "resume"
        let (view, principal) = try await resolveForAction(action, request, context)
        let patched: Manifest
        do {
            patched = try await client.mergePatch(
                Self.applicationKind, name: view.name, namespace: view.namespace, patch: ["spec": ["suspend": .bool(suspended)]],
                options: WriteOptions(fieldManager: Self.fieldManager))
        } catch {
            record(action, principal, context, application: view.id, outcome: "failed", status: 502, detail: error.message)
            throw APIError(.badGateway, "KubernetesError", "cannot patch Application \(view.id): \(error.message)")
        }
        await handle.refresh([view.id])
        record(action, principal, context, application: view.id, outcome: "succeeded", status: 200)
        // The controller's status with the spec just written.
        var object = patched
        object.object["status"] = view.status
        return JSONResponse.make(.object(ApplicationJSON.summary(ApplicationView(object: object, application: try? Application(object)))))
    }

    /// Whether `view` syncs by itself: its parsed policy says so, or (for a spec that does not
    /// parse) its raw `spec.syncPolicy.automated` is set.
    static func isAutomated(_ view: ApplicationView) -> Bool {
        if let application = view.application { return application.spec.syncPolicy.automated != nil }
        guard let automated = view.object.object["spec"]?[path: ["syncPolicy", "automated"]] else { return false }
        return !automated.isNull
    }

    func accepted(_ view: ApplicationView, _ action: String) -> Response {
        JSONResponse.make(["accepted": true, "application": .string(view.id), "action": .string(action)], status: .accepted)
    }

    static func optionalBool(_ body: JSONObject, _ key: String) throws -> Bool? {
        guard let value = body[key], !value.isNull else { return nil }
        guard let bool = value.boolValue else { throw APIError.badRequest("\(key) must be true or false") }
        return bool
    }

    static func optionalString(_ body: JSONObject, _ key: String, limit: Int) throws -> String? {
        guard let value = body[key], !value.isNull else { return nil }
        guard let text = value.stringValue, !text.isEmpty, text.count <= limit else {
            throw APIError.badRequest("\(key) must be a non-empty string of at most \(limit) characters")
        }
        return text
    }
}
