import Foundation
import SCM

/// GitLab (`/api/v4/projects/{id}/…`, the id numeric or a URL-encoded path).
extension FakeSCMStore {
    func gitlab(_ call: Call) -> HTTPReceiver.Response? {
        guard call.segments.count >= 3, call.segments[0] == "projects" else { return nil }
        let key = Key(.gitlab, call.segments[1])
        switch (call.method, Array(call.segments.dropFirst(2))) {
        case ("POST", let rest) where rest.count == 2 && rest[0] == "statuses":
            return postStatus(call, key: key, sha: rest[1])
        case ("GET", let rest) where rest.count == 4 && rest[0] == "repository" && rest[1] == "commits" && rest[3] == "statuses":
            // GitLab lists oldest first unless asked otherwise.
            let newestFirst = state.withLock { $0.statuses[key]?[rest[2]] ?? [] }
            let listed = call.query["sort"] == "desc" ? newestFirst : newestFirst.reversed()
            let sha = rest[2]
            return .json(200, Self.page(listed, call, sizeName: "per_page", defaultSize: 20, maximumSize: 100).map { statusJSON($0, sha: sha) })
        case ("GET", let rest) where rest.count == 4 && rest[0] == "repository" && rest[1] == "commits" && rest[3] == "merge_requests":
            let pulls = state.withLock { $0.pulls[key] ?? [] }.filter { $0.commits.contains(rest[2]) }
            return .json(200, Self.page(pulls, call, sizeName: "per_page", defaultSize: 20, maximumSize: 100).map(mergeRequestJSON))
        case ("GET", let rest) where rest == ["merge_requests"]:
            let wanted = call.query["state"] ?? "all"
            let pulls = state.withLock { $0.pulls[key] ?? [] }.filter { wanted == "all" || (wanted == "opened") == $0.isOpen }
            let listed = pulls.sorted { $0.number > $1.number }
            return .json(200, Self.page(listed, call, sizeName: "per_page", defaultSize: 20, maximumSize: 100).map(mergeRequestJSON))
        case ("GET", let rest) where rest.count == 3 && rest[0] == "merge_requests" && rest[2] == "notes":
            guard let iid = Int(rest[1]) else { return nil }
            let oldestFirst = state.withLock { $0.comments[key]?[iid] ?? [] }
            // Notes come newest first unless `sort=asc`.
            let listed = call.query["sort"] == "asc" ? oldestFirst : oldestFirst.reversed()
            return .json(200, Self.page(listed, call, sizeName: "per_page", defaultSize: 20, maximumSize: 100).map { noteJSON($0, iid: iid) })
        case ("POST", let rest) where rest.count == 3 && rest[0] == "merge_requests" && rest[2] == "notes":
            guard let iid = Int(rest[1]) else { return nil }
            guard let body = call.parameter("body"), !body.isEmpty else { return .json(400, ["error": "body is missing"]) }
            return .json(201, noteJSON(state.withLock { $0.addComment(key, pr: iid, body: body) }, iid: iid))
        case ("PUT", let rest) where rest.count == 4 && rest[0] == "merge_requests" && rest[2] == "notes":
            guard let iid = Int(rest[1]), let id = Int(rest[3]) else { return nil }
            guard let body = call.parameter("body"), !body.isEmpty else { return .json(400, ["error": "body is missing"]) }
            guard let note = state.withLock({ $0.editComment(key, id: id, pr: iid, body: body) }) else { return nil }
            return .json(200, noteJSON(note, iid: iid))
        default:
            return nil
        }
    }

    /// GitLab keeps one running or pending status per name and refuses to move it to the state
    /// it already has, with 400 "Cannot transition status"; other posts add a status.
    private func postStatus(_ call: Call, key: Key, sha: String) -> HTTPReceiver.Response {
        let events = ["pending": "enqueue", "running": "run", "success": "succeed", "failed": "drop", "canceled": "cancel", "skipped": "skip"]
        guard let wire = call.parameter("state"), let event = events[wire] else {
            return .json(400, ["error": "state does not have a valid value"])
        }
        let name = call.parameter("name") ?? call.parameter("context") ?? "default"
        return state.withLock { state in
            let latest = state.statuses[key]?[sha]?.first { $0.context == name }
            if let latest, ["pending", "running"].contains(latest.state), latest.state == wire {
                return .json(
                    400,
                    ["message": "Cannot transition status via :\(event) from :\(wire) (Reason(s): Status cannot transition via \"\(event)\")"])
            }
            let target = call.parameter("target_url").flatMap { $0.isEmpty ? nil : $0 }
            let status = FakeSCM.Status(
                id: state.nextID(), state: wire, context: name, description: call.parameter("description") ?? "", targetURL: target)
            state.statuses[key, default: [:]][sha, default: []].insert(status, at: 0)
            return .json(201, statusJSON(status, sha: sha))
        }
    }

    private func statusJSON(_ status: FakeSCM.Status, sha: String) -> [String: Any] {
        [
            "id": status.id, "sha": sha, "status": status.state, "name": status.context, "description": status.description,
            "target_url": status.targetURL ?? NSNull(), "allow_failure": false, "created_at": Self.now,
        ]
    }

    private func mergeRequestJSON(_ pull: FakeSCM.PullRequest) -> [String: Any] {
        [
            "id": pull.id, "iid": pull.number, "state": pull.isOpen ? "opened" : "closed", "sha": pull.commits.last ?? "", "title": pull.title,
            "source_branch": pull.branch, "target_branch": pull.targetBranch, "labels": pull.labels, "author": ["username": "octocat"],
        ]
    }

    private func noteJSON(_ note: FakeSCM.Comment, iid: Int) -> [String: Any] {
        [
            "id": note.id, "body": note.body, "system": false, "noteable_type": "MergeRequest", "noteable_iid": iid,
            "author": ["username": "keelson"], "created_at": Self.now, "updated_at": Self.now,
        ]
    }
}
