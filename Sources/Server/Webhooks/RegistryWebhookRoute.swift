import Hummingbird
import Manifests

/// What a registry webhook delivery came to: the HTTP status to answer, the image policies
/// asked to rescan, and a line for the audit log (never a secret).
public struct RegistryWebhookOutcome: Sendable, Hashable {
    /// The status to answer (202 accepted, 401, 400, 413, 404...).
    public var status: Int
    /// The policies (`namespace/name`) a rescan was asked for.
    public var rescanned: [String]
    /// What happened, for the reply and the audit log.
    public var message: String

    /// Creates an outcome.
    public init(status: Int, rescanned: [String] = [], message: String) {
        self.status = status
        self.rescanned = rescanned
        self.message = message
    }
}

/// Where `/hooks/registry/{provider}` deliveries go (image automation verifies and acts on them;
/// the server reads the body within the limit, answers, counts and audits).
public protocol RegistryWebhookSink: Sendable {
    /// The largest body accepted; larger ones get 413 without being read whole.
    var maximumBodyBytes: Int { get }
    /// Verifies the delivery (signature or token first) and asks for the rescans it names.
    func receive(provider: String, headers: [String: String], body: [UInt8], token: String?) async -> RegistryWebhookOutcome
    /// Whether `provider` (the path's last segment) names a registry it understands; others get
    /// 404 before the body is read, counted under one label and not audited.
    func accepts(provider: String) -> Bool
}

extension RegistryWebhookSink {
    /// Every provider name is passed on (the sink answers 404 for those it does not know).
    public func accepts(provider: String) -> Bool { true }
}

/// `POST /hooks/registry/{provider}` (Docker Hub, GHCR, Harbor, generic; Docker Hub's secret
/// rides in `?token=`).
struct RegistryWebhookRoute: Sendable {
    let sink: any RegistryWebhookSink
    let audit: AuditLog
    let metrics: ServerMetrics
    /// Which refused deliveries are audited (a burst per address, then a few): they come from anyone.
    let refusals: FailedAuthLimiter

    func register(on router: Router<ServerContext>) {
        router.post("/hooks/registry/{provider}") { request, context in try await receive(request, context) }
        MethodGuard.allow([.post], on: router, path: "/hooks/registry/{provider}")
    }

    /// The metric label of deliveries to providers the sink does not know: one series for all,
    /// so unauthenticated requests to made-up names cannot grow `/metrics`.
    static let unknownLabel = "registry-unknown"

    func receive(_ request: Request, _ context: ServerContext) async throws -> Response {
        let provider = context.parameters.get("provider") ?? ""
        guard sink.accepts(provider: provider) else { throw unknown(provider) }
        let limit = sink.maximumBodyBytes
        let outcome: RegistryWebhookOutcome
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            outcome = RegistryWebhookOutcome(status: 413, message: "the body is \(length) bytes; the limit is \(limit)")
        } else if let buffer = try await request.collectBody(limit: limit) {
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            outcome = await sink.receive(
                provider: provider, headers: headers, body: Array(buffer.readableBytesView), token: request.uri.queryParameters.get("token"))
        } else {
            outcome = RegistryWebhookOutcome(status: 413, message: "the body is larger than \(limit) bytes")
        }
        if outcome.status == 404 { throw unknown(provider) }
        let label = "registry-" + String(provider.prefix(32).filter { $0.isLetter || $0.isNumber })
        let result = outcome.status == 202 ? (outcome.rescanned.isEmpty ? "unmatched" : "rescanned") : "refused"
        metrics.recordWebhook(provider: label, outcome: result)
        if outcome.status == 202 || refusals.admit(context.clientAddress) {
            audit.record(
                AuditEntry(
                    actor: "webhook:\(label)", client: context.clientAddress, action: "webhook", application: "", outcome: result,
                    status: outcome.status, detail: outcome.message))
        }
        guard outcome.status == 202 else {
            throw APIError(HTTPResponse.Status(code: outcome.status), outcome.status == 401 ? "Unauthorized" : "Refused", outcome.message)
        }
        return JSONResponse.make(
            ["accepted": true, "rescanned": .array(outcome.rescanned.map(JSONValue.string)), "message": .string(outcome.message)], status: .accepted)
    }

    /// A delivery to an unknown provider: counted under `unknownLabel`, not audited (nothing was
    /// received from anyone identified), answered 404.
    func unknown(_ provider: String) -> APIError {
        metrics.recordWebhook(provider: Self.unknownLabel, outcome: "refused")
        return APIError.notFound("no registry webhook receiver \(provider.prefix(64))")
    }
}
