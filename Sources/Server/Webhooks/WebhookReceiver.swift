import Controller
import Foundation
import Hummingbird
import Manifests
import SCM

/// `POST /hooks/{github|gitlab|gitea|bitbucket|generic}`: verifies the delivery's signature (or
/// token) before parsing anything, then refreshes the applications the push concerns at once.
///
/// Answers: 202 `{"accepted": true, "refreshed": count, "message"}` for a verified push (the
/// count is 0 when no application follows the pushed branch or tag; pings and other events
/// answer 202 with 0 and a `message`), never naming applications: the sender holds a webhook
/// secret, not an API token; 401 unsigned or badly signed (or no secret for that provider);
/// 400 malformed JSON; 413 bodies over 1 MiB (refused from `Content-Length`, or while
/// streaming, without buffering them).
struct WebhookReceiver: Sendable {
    let verifier: WebhookVerifier
    let handle: ControllerHandle
    /// Where pull requests go (`--pr-plans`); the verifier reads them only when this is set.
    let pullRequests: (any PullRequestPlanSink)?
    let audit: AuditLog
    let metrics: ServerMetrics
    /// Which refused deliveries are audited (a burst per address, then a few): they come from anyone.
    let refusals: FailedAuthLimiter

    func register(on router: Router<ServerContext>) {
        router.post("/hooks/{provider}") { request, context in try await receive(request, context) }
        MethodGuard.allow([.post], on: router, path: "/hooks/{provider}")
    }

    func receive(_ request: Request, _ context: ServerContext) async throws -> Response {
        let name = context.parameters.get("provider") ?? ""
        guard let provider = WebhookProvider(rawValue: name) else {
            throw APIError.notFound("no webhook receiver \(name); use one of \(WebhookProvider.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let limit = WebhookVerifier.maximumBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw refuse(provider, context, WebhookError(code: .tooLarge, message: "the body is \(length) bytes; the limit is \(limit)"))
        }
        guard let buffer = try await request.collectBody(limit: limit) else {
            throw refuse(provider, context, WebhookError(code: .tooLarge, message: "the body is larger than \(limit) bytes"))
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let delivery: WebhookDelivery
        do {
            delivery = try verifier.delivery(provider, headers: headers, body: Array(buffer.readableBytesView))
        } catch  where error.code == .ignored {
            metrics.recordWebhook(provider: provider.rawValue, outcome: "ignored")
            audit.record(entry(provider, context, outcome: "ignored", status: 202, detail: error.message))
            return JSONResponse.make(["accepted": true, "refreshed": 0, "message": .string(error.message)], status: .accepted)
        } catch {
            throw refuse(provider, context, error)
        }
        guard case .push(let push) = delivery else {
            guard case .pullRequest(let event) = delivery else { preconditionFailure("a delivery is a push or a pull request") }
            return try await plan(event, provider, context)
        }
        let ids = PushMatcher.matching(push, await handle.applications())
        await handle.refresh(ids)
        let ref = push.branch.map { "branch \($0)" } ?? push.tag.map { "tag \($0)" } ?? ""
        metrics.recordWebhook(provider: provider.rawValue, outcome: ids.isEmpty ? "unmatched" : "refreshed")
        audit.record(entry(provider, context, outcome: "accepted", status: 202, detail: "\(ref): refreshed \(ids.count) applications"))
        return JSONResponse.make(
            ["accepted": true, "refreshed": .number(JSONNumber(Int64(ids.count))), "message": .string("push to \(ref)")], status: .accepted)
    }

    /// Hands a verified pull request to the planner: 202 whether it was queued or skipped (the
    /// sender did nothing wrong), 503 when it should be sent again (a replica that does not plan,
    /// a controller that has not listed the Applications yet, a full queue).
    func plan(_ event: PullRequestEvent, _ provider: WebhookProvider, _ context: ServerContext) async throws -> Response {
        guard let sink = pullRequests else {
            return JSONResponse.make(["accepted": true, "refreshed": 0, "message": "pull-request plans are off"], status: .accepted)
        }
        let outcome = await sink.submit(event)
        let subject = "pull request \(event.number) at \(event.headSHA.prefix(12))"
        if outcome.unavailable {
            metrics.recordWebhook(provider: provider.rawValue, outcome: "unavailable")
            audit.record(entry(provider, context, outcome: "unavailable", status: 503, detail: "\(subject): \(outcome.message)"))
            throw APIError(.serviceUnavailable, "Unavailable", outcome.message)
        }
        metrics.recordWebhook(provider: provider.rawValue, outcome: outcome.queued ? "planned" : "ignored")
        audit.record(
            entry(provider, context, outcome: outcome.queued ? "accepted" : "ignored", status: 202, detail: "\(subject): \(outcome.message)"))
        return JSONResponse.make(
            ["accepted": true, "refreshed": 0, "planned": .bool(outcome.queued), "message": .string(outcome.message)], status: .accepted)
    }

    /// Counts and audits a refused delivery, and turns it into the API error answered.
    func refuse(_ provider: WebhookProvider, _ context: ServerContext, _ error: WebhookError) -> APIError {
        let (outcome, apiError): (String, APIError) =
            switch error.code {
            case .unauthenticated: ("unauthenticated", APIError(.unauthorized, "Unauthorized", error.message))
            case .tooLarge: ("too_large", APIError(.contentTooLarge, "RequestEntityTooLarge", error.message))
            case .malformed: ("malformed", APIError.badRequest(error.message))
            case .ignored: ("ignored", APIError(.accepted, "Ignored", error.message))
            }
        metrics.recordWebhook(provider: provider.rawValue, outcome: outcome)
        if refusals.admit(context.clientAddress) {
            audit.record(entry(provider, context, outcome: "denied", status: Int(apiError.status.code), detail: error.message))
        }
        return apiError
    }

    func entry(_ provider: WebhookProvider, _ context: ServerContext, outcome: String, status: Int, detail: String) -> AuditEntry {
        AuditEntry(
            actor: "webhook:\(provider.rawValue)", client: context.clientAddress, action: "webhook", application: "", outcome: outcome,
            status: status, detail: detail)
    }
}
