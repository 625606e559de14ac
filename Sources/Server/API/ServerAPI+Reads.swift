import Controller
import Foundation
import Hummingbird
import Manifests
import Sync

extension ServerAPI {
    /// `GET /api/v1/me`: the caller's name, role, application and project globs.
    func me(_ context: ServerContext) throws -> Response {
        let principal = try context.requirePrincipal()
        return JSONResponse.make([
            "name": .string(principal.name), "role": .string(principal.role.rawValue),
            "applications": .array(principal.applications.map { .string($0.pattern) }),
            "projects": .array(principal.projects.map { .string($0.pattern) }),
        ])
    }

    /// `GET /api/v1/applications[?sync=&health=&q=]`: the applications the caller may see.
    /// `GET /api/v1/clusters` (admin): the registered clusters, whether each answered its last
    /// check, and how many Applications use it; never a credential.
    func clusters(_ context: ServerContext) async throws -> Response {
        JSONResponse.make(["items": .array(try await clustersJSON(for: try context.requirePrincipal()))])
    }

    /// The Cluster objects of `GET /api/v1/clusters`; 403 for anyone but an admin.
    func clustersJSON(for principal: Principal) async throws(APIError) -> [JSONValue] {
        guard principal.role >= .admin else { throw APIError.forbidden("only an admin may list clusters") }
        var uses: [String: Int] = [:]
        for view in await handle.applications() {
            if let cluster = view.application?.spec.destination.cluster { uses[cluster, default: 0] += 1 }
        }
        return await handle.clusters().map { cluster in
            [
                "name": .string(cluster.name), "server": .string(cluster.server), "reachable": cluster.reachable.map(JSONValue.bool) ?? .null,
                "message": .string(cluster.message), "applications": .number(JSONNumber(Int64(uses[cluster.name] ?? 0))),
            ]
        }
    }

    func list(_ request: Request, _ context: ServerContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = request.uri.queryParameters
        let sync = try Self.filter(query.get("sync"), named: "sync", among: SyncStatus.allCases.map(\.rawValue))
        let health = try Self.filter(query.get("health"), named: "health", among: HealthStatus.allCases.map(\.rawValue))
        let text = query.get("q").flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if let text, text.count > 256 { throw APIError.badRequest("q is limited to 256 characters") }
        let items = await summaries(for: principal, sync: sync, health: health, text: text)
        return JSONResponse.make(["items": .array(items.map(JSONValue.object))])
    }

    /// A status filter's value, lowercased; nil when absent or empty. A value no application can
    /// have is a 400, so that a typo does not read as "none match".
    static func filter(_ value: String?, named name: String, among known: [String]) throws(APIError) -> String? {
        guard let value = value?.lowercased(), !value.isEmpty else { return nil }
        guard known.contains(where: { $0.lowercased() == value }) else {
            throw APIError.badRequest("\(name) must be one of \(known.joined(separator: ", "))")
        }
        return value
    }

    /// The summaries of the applications `principal` may see, filtered by sync status, health
    /// (both case-insensitive) and a substring of `namespace/name` or the repository URL.
    func summaries(for principal: Principal, sync: String?, health: String?, text: String?) async -> [JSONObject] {
        var items: [JSONObject] = []
        for view in await handle.applications() where principal.canAccess(view) {
            let summary = ApplicationJSON.summary(view)
            if let sync, summary["sync"]?["status"]?.stringValue?.lowercased() != sync.lowercased() { continue }
            if let health, summary["health"]?["status"]?.stringValue?.lowercased() != health.lowercased() { continue }
            if let text = text?.lowercased(), !view.id.lowercased().contains(text),
                !(summary["repoURL"]?.stringValue ?? "").lowercased().contains(text)
            {
                continue
            }
            items.append(summary)
        }
        return items
    }

    /// `GET /api/v1/applications/{name}`: the summary with drift, inventory and history.
    func get(_ request: Request, _ context: ServerContext) async throws -> Response {
        JSONResponse.make(.object(ApplicationJSON.detail(try await resolve(request, context))))
    }

    /// `GET /api/v1/applications/{name}/history`: the history, oldest first, and the rollback pin.
    func history(_ request: Request, _ context: ServerContext) async throws -> Response {
        let view = try await resolve(request, context)
        return JSONResponse.make(["items": .array(ApplicationJSON.history(view)), "pinned": ApplicationJSON.pinned(view)])
    }
}
