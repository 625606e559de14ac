import Controller
import Manifests

/// The API's data for other parts of the server (the dashboard), in the same JSON shapes the
/// API answers (see docs/openapi.yaml), with the same scoping: applications outside the
/// principal's globs are left out or not found. Secret values are masked.
///
/// ```swift
/// let apps = await server.data.applications(for: principal)          // [AppSummary]
/// let app = try await server.data.application("web", namespace: nil, for: principal)  // AppDetail
/// ```
public struct ApplicationData: Sendable {
    let api: ServerAPI

    /// AppSummary objects of the applications `principal` may see, optionally filtered by sync
    /// status, health and a substring of `namespace/name` or the repository URL.
    public func applications(for principal: Principal, sync: String? = nil, health: String? = nil, text: String? = nil) async -> [JSONObject] {
        await api.summaries(for: principal, sync: sync, health: health, text: text)
    }

    /// The AppDetail of one application; `APIError` 404 when `principal` may not see it, 409 when ambiguous.
    public func application(_ name: String, namespace: String?, for principal: Principal) async throws(APIError) -> JSONObject {
        ApplicationJSON.detail(try await api.resolve(name: name, namespace: namespace, for: principal))
    }

    /// The Resource objects of one application (see `GET .../resources`).
    public func resources(_ name: String, namespace: String?, for principal: Principal) async throws -> [JSONObject] {
        try await api.resourcesJSON(try await api.resolve(name: name, namespace: namespace, for: principal))
    }

    /// The Cluster objects (see `GET /api/v1/clusters`); `APIError` 403 for anyone but an admin.
    public func clusters(for principal: Principal) async throws(APIError) -> [JSONValue] {
        try await api.clustersJSON(for: principal)
    }

    /// Providers and Alerts (see `GET /api/v1/notifications`); `APIError` 403 for anyone but an admin.
    public func notifications(for principal: Principal) async throws(APIError) -> JSONValue {
        try await api.notificationsJSON(for: principal)
    }

    /// The rollouts of one application and its delivery verdict (see `GET .../rollouts`).
    public func rollouts(_ name: String, namespace: String?, for principal: Principal) async throws -> JSONObject {
        try await api.rolloutsJSON(try await api.resolve(name: name, namespace: namespace, for: principal))
    }

    /// The DiffItem objects of one application's out-of-sync objects (see `GET .../diff`).
    public func diff(_ name: String, namespace: String?, for principal: Principal) async throws -> [JSONObject] {
        try await api.diffJSON(try await api.resolve(name: name, namespace: namespace, for: principal))
    }
}
