import Manifests

/// One application, named as the API names it.
public struct ApplicationReference: Sendable, Hashable, CustomStringConvertible {
    /// `metadata.namespace` of the Application.
    public var namespace: String
    /// `metadata.name` of the Application.
    public var name: String

    /// Creates a reference.
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// `namespace/name`, as events and the API's `application` field spell it.
    public var description: String { "\(namespace)/\(name)" }
}

/// The filters of the application list (`?sync=&health=&q=`); empty means no filter.
public struct ApplicationFilter: Sendable, Hashable {
    /// A sync status (`Synced`, `OutOfSync`, `Unknown`).
    public var sync: String
    /// A health status (`Healthy`, `Progressing`, ...).
    public var health: String
    /// A substring of the name, namespace or repository.
    public var text: String

    /// Creates a filter.
    public init(sync: String = "", health: String = "", text: String = "") {
        self.sync = sync
        self.health = health
        self.text = text
    }
}

/// A read the dashboard makes; each is one `GET` of the REST API and answers with its JSON.
public enum DashboardQuery: Sendable, Hashable {
    /// `GET /api/v1/applications?sync=&health=&q=` → `{"items": [AppSummary]}`.
    case applications(ApplicationFilter)
    /// `GET /api/v1/applications/{name}?namespace=` → AppSummary with drift, inventory, history.
    case application(ApplicationReference)
    /// `GET /api/v1/applications/{name}/resources?namespace=` → `{"items": [...]}`.
    case resources(ApplicationReference)
    /// `GET /api/v1/applications/{name}/diff?namespace=` → `{"items": [...]}` (Secret values masked).
    case diff(ApplicationReference)
    /// `GET /api/v1/applications/{name}/history?namespace=` → `{"items": [...], "pinned": ...}`.
    case history(ApplicationReference)
    /// `GET /api/v1/applications/{name}/rollouts?namespace=` → `{"items": [Rollout], "delivery": ...}`.
    case rollouts(ApplicationReference)
    /// `GET /api/v1/clusters` (admins) → `{"items": [{name, server, reachable, message, applications}]}`.
    case clusters
    /// `GET /api/v1/notifications` (admins) → `{"providers": [...], "alerts": [...]}`.
    case notifications

    /// The API path and query of this read, for a backend that answers by calling the API.
    public var path: String {
        switch self {
        case .applications(let filter):
            let query = [("sync", filter.sync), ("health", filter.health), ("q", filter.text)]
                .filter { !$0.1.isEmpty }
                .map { "\($0.0)=\(URLComponent.encode($0.1))" }
            return "/api/v1/applications" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        case .application(let app): return Self.appPath(app, "")
        case .resources(let app): return Self.appPath(app, "/resources")
        case .diff(let app): return Self.appPath(app, "/diff")
        case .history(let app): return Self.appPath(app, "/history")
        case .rollouts(let app): return Self.appPath(app, "/rollouts")
        case .clusters: return "/api/v1/clusters"
        case .notifications: return "/api/v1/notifications"
        }
    }

    private static func appPath(_ app: ApplicationReference, _ suffix: String) -> String {
        "/api/v1/applications/\(URLComponent.encode(app.name))\(suffix)?namespace=\(URLComponent.encode(app.namespace))"
    }
}

/// Why a read failed, as the API's error object says (`{"error": {"code","reason","message"}}`).
public struct DashboardFetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status (404, 403, ...).
    public var status: Int
    /// The API's reason (`NotFound`, `Forbidden`, ...).
    public var reason: String
    /// A line for people.
    public var message: String

    /// Creates an error.
    public init(status: Int, reason: String, message: String) {
        self.status = status
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(status) \(reason): \(message)" }
}

/// A signed-in browser: the id its `keelson_session` cookie holds, and who it is.
public struct DashboardSession: Sendable, Hashable {
    /// The session id (random; never the token).
    public var id: String
    /// The caller.
    public var principal: Principal

    /// Creates a session value.
    public init(id: String, principal: Principal) {
        self.id = id
        self.principal = principal
    }
}

/// What the dashboard needs from the server: sign-in, sessions and the API's reads.
///
/// The server implements it with the same code that answers the REST API, so the pages show
/// exactly what the API serves (already scoped to the principal, Secret values already masked).
public protocol DashboardBackend: Sendable {
    /// Checks a token and starts a session. Throws 401 for an unknown token, or 429 when
    /// `client` (the caller's address) failed too often; the message is shown on the login page.
    func signIn(token: String, client: String) async throws(DashboardFetchError) -> DashboardSession
    /// The principal of a live session; `nil` when unknown, expired or ended.
    func principal(session: String, client: String) async -> Principal?
    /// Ends a session (logout).
    func signOut(session: String, client: String) async
    /// The API's JSON answer to `query`, as `principal` is allowed to see it.
    func fetch(_ query: DashboardQuery, as principal: Principal) async throws(DashboardFetchError) -> JSONValue
}

/// Percent-encoding of one URL path segment or query value (RFC 3986 unreserved characters kept).
enum URLComponent {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
