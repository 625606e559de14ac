import Controller
import Foundation
import GitSource
import Logging
import SCM

extension PullRequestPlanService {
    /// Makes one plan and posts it; a plan that cannot be made posts an `error` status on the
    /// head saying why, and is logged.
    func execute(_ job: PullRequestPlanJob) async {
        let event = job.event
        let metadata = metadata(event)
        let poster: PlanPost
        do {
            let repository = try SCMRepository(forge: event.forge, apiURL: configuration.apiURLs[event.forge], project: event.project)
            poster = PlanPost(
                client: SCMClient(repository: repository, token: configuration.token, logger: logger), pullRequest: event.number,
                planID: configuration.planID, maximumCharacters: configuration.maximumCommentCharacters)
        } catch {
            logger.error("cannot post to the pull request", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            record(event, "failed")
            return
        }
        var head = event.headSHA
        do {
            let plan = try await plan(job, head: &head)
            let (comment, status) = try await poster.post(plan)
            logger.info(
                "posted the pull request's plan",
                metadata: metadata.merging([
                    "keelson.comment": "\(comment)", "keelson.status": "\(status)", "keelson.summary": "\(plan.changeSummary)",
                ]) {
                    $1
                })
            record(event, "posted")
        } catch {
            logger.error("the pull request's plan failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            do { try await poster.postFailure(Self.reason(error), head: head) } catch {
                logger.error("cannot post the failed plan's status", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
            record(event, "failed")
        }
    }

    /// Fetches the head from the base repository's pull-request ref with the first Application's
    /// credentials, and plans base against it with the controller's cluster. `head` becomes the
    /// commit planned (the ref's, which moved on when a newer push is on its way).
    func plan(_ job: PullRequestPlanJob, head: inout String) async throws -> Plan {
        let event = job.event
        let remote = try await job.applications[0].gitRemote(client: client)
        let tip = try await git.resolve(remote, ref: event.headRef)
        if tip != event.headSHA {
            logger.notice(
                "the pull request's ref moved on; planning its tip", metadata: metadata(event).merging(["keelson.tip": "\(tip)"]) { $1 })
        }
        head = tip
        let scratch = configuration.scratch + "/" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var options = PlanOptions(repository: remote.description, base: event.baseSHA ?? event.baseRef, head: tip, scratch: scratch)
        options.remote = PlanRemote(remote: remote, cache: git)
        options.applications = job.applications
        return try await Planner(options: options).plan(live: client).plan
    }

    /// The first line of `error`, short enough for a commit status.
    static func reason(_ error: any Error) -> String {
        let text = String(describing: error).split(separator: "\n").first.map(String.init) ?? "unknown error"
        return text.count > 100 ? text.prefix(99) + "…" : text
    }
}
