import Foundation
import SCM

/// Posts a plan to its pull request: one comment per plan id, edited in place on every run, and
/// a commit status on the head commit.
public struct PlanPost: Sendable {
    /// The forge's client for the repository under review.
    public var client: SCMClient
    /// The pull (merge) request.
    public var pullRequest: Int
    /// Tells several plans of one pull request apart (one per cluster, say); `default` when there is one.
    public var planID: String
    /// The most characters a comment may hold (GitHub allows 65,536).
    public var maximumCharacters: Int

    public init(client: SCMClient, pullRequest: Int, planID: String = "default", maximumCharacters: Int = 60_000) {
        self.client = client
        self.pullRequest = pullRequest
        self.planID = planID
        self.maximumCharacters = maximumCharacters
    }

    /// Whether `planID` may name a plan: 1 to 63 letters, digits, `.`, `_` and `-` (it goes into
    /// a status context and an HTML comment).
    public static func isValid(planID: String) -> Bool {
        planID.range(of: "^[A-Za-z0-9._-]{1,63}$", options: .regularExpression) != nil
    }

    /// The hidden marker that finds this plan's comment again.
    public var marker: String { "keelson-plan:\(planID)" }

    /// The status context: `keelson/plan`, or `keelson/plan/<plan-id>` beside other plans.
    public var context: String { planID == "default" ? "keelson/plan" : "keelson/plan/\(planID)" }

    /// Upserts the comment, then sets the status; answers what happened to each.
    public func post(_ plan: Plan) async throws(SCMError) -> (comment: CommentOutcome, status: StatusOutcome) {
        // Room for the marker line the client appends.
        let body = plan.markdown(limit: maximumCharacters - marker.count - 10)
        let comment = try await client.upsertComment(pullRequest: pullRequest, marker: marker, body: body)
        let status = try await client.setStatus(Self.status(of: plan, context: context), sha: plan.head)
        return (comment, status)
    }

    /// Reports on `head` that the plan itself could not be made.
    public func postFailure(_ message: String, head: String) async throws(SCMError) {
        _ = try await client.setStatus(CommitStatus(state: .error, context: context, description: "no plan: \(message)"), sha: head)
    }

    /// `success` with what changes, or `failure` when the head does not render or a sync would be refused.
    static func status(of plan: Plan, context: String) -> CommitStatus {
        if let failing = plan.applications.first(where: { $0.change == .error }) {
            return CommitStatus(state: .failure, context: context, description: "\(failing.id) does not render: \(failing.error ?? "")")
        }
        if let error = plan.errors.first { return CommitStatus(state: .failure, context: context, description: error) }
        if let warning = plan.applications.flatMap({ $0.warnings + $0.objects.flatMap(\.warnings) }).first(where: \.failsSync) {
            return CommitStatus(state: .failure, context: context, description: warning.message)
        }
        if let live = plan.live, let refused = live.applications.flatMap(\.objects).first(where: { $0.willFail != nil }) {
            return CommitStatus(state: .failure, context: context, description: "\(refused.key) will fail: \(refused.willFail!)")
        }
        return CommitStatus(state: .success, context: context, description: plan.changeSummary)
    }
}

extension Plan {
    /// `no changes`, or `2 apps change: +1 ~3 −1` (objects added, changed and removed).
    public var changeSummary: String {
        let changing = applications.filter { $0.change != .unchanged }
        guard !changing.isEmpty else { return "no changes" }
        let counts = changing.map(\.counts)
        let parts = [
            ("+", counts.reduce(0) { $0 + $1.added }), ("~", counts.reduce(0) { $0 + $1.changed }), ("−", counts.reduce(0) { $0 + $1.removed }),
        ].filter { $0.1 > 0 }.map { "\($0.0)\($0.1)" }
        let apps = "\(changing.count) app\(changing.count == 1 ? "" : "s") change\(changing.count == 1 ? "s" : "")"
        return parts.isEmpty ? apps : apps + ": " + parts.joined(separator: " ")
    }
}
