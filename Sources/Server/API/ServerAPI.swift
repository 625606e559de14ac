import Controller
import Foundation
import Hummingbird
import Kube
import Logging
import Manifests

/// The REST API's handlers: reads from the controller's handle, actions through it (and the
/// Kubernetes API for suspend/resume), every action written to the audit log.
struct ServerAPI: Sendable {
    let handle: ControllerHandle
    let client: any KubernetesAPI
    let audit: AuditLog
    let heartbeat: Duration
    /// The open event streams, against their cap.
    let streams: ConnectionGate
    /// The dashboard's sessions: a stream opened with one ends when it does.
    let sessions: SessionStore
    let logger: Logger

    static let applicationKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")
    static let fieldManager = "keelson-server"
    /// The largest API request body read.
    static let maximumBodyBytes = 64 * 1024

    /// Registers every `/api/v1` route on `group` (which authenticates).
    func register(on group: RouterGroup<ServerContext>) {
        let app = "applications/{name}"
        let rolloutActionPath = app + "/rollouts/{rolloutNamespace}/{rollout}/{action}"
        group.get("me") { _, context in try me(context) }
        group.get("applications") { request, context in try await list(request, context) }
        group.get(RouterPath(app)) { request, context in try await get(request, context) }
        group.get(RouterPath(app + "/resources")) { request, context in try await resources(request, context) }
        group.get(RouterPath(app + "/diff")) { request, context in try await diff(request, context) }
        group.get(RouterPath(app + "/history")) { request, context in try await history(request, context) }
        group.get(RouterPath(app + "/rollouts")) { request, context in try await rollouts(request, context) }
        group.post(RouterPath(rolloutActionPath)) { request, context in try await rolloutAction(request, context) }
        group.post(RouterPath(app + "/sync")) { request, context in try await sync(request, context) }
        group.post(RouterPath(app + "/refresh")) { request, context in try await refresh(request, context) }
        group.post(RouterPath(app + "/rollback")) { request, context in try await rollback(request, context) }
        group.post(RouterPath(app + "/suspend")) { request, context in try await setSuspended(true, request, context) }
        group.post(RouterPath(app + "/resume")) { request, context in try await setSuspended(false, request, context) }
        group.get("events") { request, context in try await events(request, context) }
        group.get("clusters") { _, context in try await clusters(context) }
        group.get("notifications") { _, context in try await notifications(context) }
        for path in ["me", "clusters", "applications", app, app + "/resources", app + "/diff", app + "/history", app + "/rollouts", "events"] {
            MethodGuard.allow([.get], on: group, path: path)
        }
        for action in ["sync", "refresh", "rollback", "suspend", "resume"] { MethodGuard.allow([.post], on: group, path: app + "/" + action) }
        MethodGuard.allow([.post], on: group, path: rolloutActionPath)
    }

    // MARK: Resolution

    /// The application `{name}` (with `?namespace=` where names repeat) the caller may see;
    /// 404 when there is none the caller may see (an application outside the token's scope
    /// answers exactly as a missing one), 409 `Ambiguous` when several it may see match.
    /// `namespaceParameter` names the query parameter holding the application's namespace.
    func resolve(_ request: Request, _ context: ServerContext, namespaceParameter: String = "namespace") async throws -> ApplicationView {
        let namespace = request.uri.queryParameters.get(namespaceParameter).flatMap { $0.isEmpty ? nil : $0 }
        return try await resolve(name: try context.parameters.require("name"), namespace: namespace, for: try context.requirePrincipal())
    }

    /// The application `name` (in `namespace`, when given) as `principal` may see it.
    func resolve(name: String, namespace: String?, for principal: Principal) async throws(APIError) -> ApplicationView {
        var candidates: [ApplicationView]
        if let namespace {
            candidates = await handle.application(namespace: namespace, name: name).map { [$0] } ?? []
        } else {
            candidates = await handle.applications(named: name)
        }
        // Applications outside the token's scope do not exist for it: not in a 404, not in a 409.
        candidates = candidates.filter(principal.canAccess)
        guard let first = candidates.first else {
            throw APIError.notFound("application \(namespace.map { "\($0)/" } ?? "")\(name) not found")
        }
        guard candidates.count == 1 else {
            throw APIError.conflict(
                "Ambiguous", "application \(name) exists in namespaces \(candidates.map(\.namespace).joined(separator: ", ")); add ?namespace=")
        }
        return first
    }

    /// The application an action names, after the role check (403) and the scope check (404, as
    /// for a missing application); refusals are audited.
    func resolveForAction(_ action: String, _ request: Request, _ context: ServerContext) async throws -> (ApplicationView, Principal) {
        let principal = try context.requirePrincipal()
        let name = context.parameters.get("name") ?? ""
        guard principal.role >= .operator else {
            record(action, principal, context, application: name, outcome: "denied", status: 403, detail: "role \(principal.role.rawValue)")
            throw APIError.forbidden("role \(principal.role.rawValue) may not \(action); operator or admin is required")
        }
        do {
            return (try await resolve(request, context), principal)
        } catch let error as APIError where error.status == .notFound {
            record(action, principal, context, application: name, outcome: "denied", status: 404, detail: "not found or outside the token's scope")
            throw error
        }
    }

    func record(
        _ action: String, _ principal: Principal, _ context: ServerContext, application: String, outcome: String, status: Int, detail: String = ""
    ) {
        audit.record(
            AuditEntry(
                actor: principal.name, client: context.clientAddress, action: action, application: application, outcome: outcome, status: status,
                detail: detail))
    }

    /// The request body as a JSON object; an empty body is `{}`; 400 when it is not an object.
    static func bodyObject(_ request: Request) async throws -> JSONObject {
        guard let buffer = try await request.collectBody(limit: maximumBodyBytes) else {
            throw APIError(.contentTooLarge, "RequestEntityTooLarge", "request bodies are limited to \(maximumBodyBytes) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, file: "request body") } catch { throw APIError.badRequest("the body is not JSON: \(error.message)") }
        guard let object = value.objectValue else { throw APIError.badRequest("the body must be a JSON object") }
        return object
    }
}

/// Answers 405 with `Allow` for the methods a path does not serve (the router alone would say 404).
enum MethodGuard {
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    static func allow(_ allowed: [HTTPRequest.Method], on group: RouterGroup<ServerContext>, path: String) {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        for method in methods where !allowed.contains(method) {
            group.on(RouterPath(path), method: method) { request, _ -> Response in
                throw APIError(
                    .methodNotAllowed, "MethodNotAllowed", "\(request.method.rawValue) is not allowed on \(request.uri.path)",
                    headers: [.allow: allow])
            }
        }
    }

    static func allow(_ allowed: [HTTPRequest.Method], on router: Router<ServerContext>, path: String) {
        allow(allowed, on: router.group(), path: path)
    }
}
