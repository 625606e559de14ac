import Hummingbird
import Manifests

/// The dashboard on Keelson's own server: sign-in uses the API's token check (with its
/// failed-authentication limit per client address) and its session store (the API accepts the
/// same cookie), and the pages read `ApplicationData`, the same JSON, scoping and masking as the
/// REST API.
struct ServerDashboardBackend: DashboardBackend {
    let authenticator: Authenticator
    let data: ApplicationData

    func signIn(token: String, client: String) async throws(DashboardFetchError) -> DashboardSession {
        do {
            let (id, principal) = try authenticator.signIn(token: token, client: client)
            return DashboardSession(id: id, principal: principal)
        } catch { throw Self.fetchError(error) }
    }

    func principal(session: String, client: String) async -> Principal? {
        try? authenticator.session(session, client: client)
    }

    func signOut(session: String, client: String) async {
        authenticator.signOut(session, client: client)
    }

    func fetch(_ query: DashboardQuery, as principal: Principal) async throws(DashboardFetchError) -> JSONValue {
        do {
            switch query {
            case .applications(let filter):
                let items = await data.applications(
                    for: principal, sync: filter.sync.isEmpty ? nil : filter.sync, health: filter.health.isEmpty ? nil : filter.health,
                    text: filter.text.isEmpty ? nil : filter.text)
                return ["items": .array(items.map(JSONValue.object))]
            case .application(let app):
                return .object(try await data.application(app.name, namespace: app.namespace, for: principal))
            case .resources(let app):
                return ["items": .array(try await data.resources(app.name, namespace: app.namespace, for: principal).map(JSONValue.object))]
            case .diff(let app):
                return ["items": .array(try await data.diff(app.name, namespace: app.namespace, for: principal).map(JSONValue.object))]
            case .history(let app):
                let detail = try await data.application(app.name, namespace: app.namespace, for: principal)
                return ["items": detail["history"] ?? [], "pinned": detail["pinned"] ?? .null]
            case .rollouts(let app):
                return .object(try await data.rollouts(app.name, namespace: app.namespace, for: principal))
            case .clusters:
                return ["items": .array(try await data.clusters(for: principal))]
            case .notifications:
                return try await data.notifications(for: principal)
            }
        } catch let error as DashboardFetchError {
            throw error
        } catch {
            throw Self.fetchError(error)
        }
    }

    static func fetchError(_ error: any Error) -> DashboardFetchError {
        guard let error = error as? APIError else {
            return DashboardFetchError(status: 502, reason: "BadGateway", message: "\(error)")
        }
        return DashboardFetchError(status: Int(error.status.code), reason: error.reason, message: error.message)
    }
}

extension Dashboard {
    /// The dashboard as a `RouteRegistration` for `ServerService(routes:)`.
    ///
    /// ```swift
    /// let server = ServerService(configuration: settings, handle: handle, client: client, audit: audit,
    ///                            routes: [try Dashboard.serverRoutes()])
    /// ```
    public static func serverRoutes(configuration: Configuration = Configuration()) throws(DashboardRenderer.TemplateError) -> RouteRegistration {
        let renderer = try DashboardRenderer()
        return { router, server in
            let backend = ServerDashboardBackend(authenticator: server.authenticator, data: server.data)
            Dashboard(backend: backend, renderer: renderer, configuration: configuration).addRoutes(to: router)
        }
    }
}
