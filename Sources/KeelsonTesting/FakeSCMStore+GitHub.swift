import Foundation
import SCM

/// GitHub (`/repos/{o}/{r}/…`) and Gitea (`/api/v1/repos/{o}/{r}/…`), whose endpoints share a
/// shape; their answers differ where the real forges' do.
extension FakeSCMStore {
    func githubOrGitea(_ call: Call) -> HTTPReceiver.Response? {
        guard call.segments.count >= 4, call.segments[0] == "repos" else { return nil }
        let key = Key(call.forge, call.segments[1] + "/" + call.segments[2])
        let gitea = call.forge == .gitea
        switch (call.method, Array(call.segments.dropFirst(3))) {
        case ("POST", let rest) where rest.count == 2 && rest[0] == "statuses":
            return postStatus(call, key: key, sha: rest[1])
        case ("GET", let rest) where rest.count == 3 && rest[0] == "commits" && rest[2] == "statuses":
            var listed = state.withLock { $0.statuses[key]?[rest[1]] ?? [] }
            if gitea && call.query["sort"] == "oldest" { listed.reverse() }
            let page =
                gitea
                ? Self.page(listed, call, sizeName: "limit", defaultSize: 30, maximumSize: 50)
                : Self.page(listed, call, sizeName: "per_page", defaultSize: 30, maximumSize: 100)
            return .json(200, page.map { statusJSON($0, forge: call.forge) })
        case ("GET", let rest) where !gitea && rest.count == 3 && rest[0] == "commits" && rest[2] == "pulls":
            let pulls = state.withLock { $0.pulls[key] ?? [] }.filter { $0.commits.contains(rest[1]) }
            return .json(200, Self.page(pulls, call, sizeName: "per_page", defaultSize: 30, maximumSize: 100).map(pullJSON))
        case ("GET", let rest) where gitea && rest.count == 3 && rest[0] == "commits" && rest[2] == "pull":
            let pulls = state.withLock { $0.pulls[key] ?? [] }.filter { $0.commits.contains(rest[1]) }
            guard let pull = pulls.first(where: \.isOpen) ?? pulls.first else { return .json(404, ["message": "pull request does not exist"]) }
            return .json(200, pullJSON(pull))
        case ("GET", let rest) where rest == ["pulls"]:
            let open = state.withLock { $0.pulls[key] ?? [] }.filter(\.isOpen).sorted { $0.number > $1.number }
            let page =
                gitea
                ? Self.page(open, call, sizeName: "limit", defaultSize: 30, maximumSize: 50)
                : Self.page(open, call, sizeName: "per_page", defaultSize: 30, maximumSize: 100)
            return .json(200, page.map(pullJSON))
        case ("GET", let rest) where rest.count == 3 && rest[0] == "issues" && rest[2] == "comments":
            guard let number = Int(rest[1]) else { return nil }
            let comments = state.withLock { $0.comments[key]?[number] ?? [] }
            let page = gitea ? comments : Self.page(comments, call, sizeName: "per_page", defaultSize: 30, maximumSize: 100)
            return .json(200, page.map(commentJSON))
        case ("POST", let rest) where rest.count == 3 && rest[0] == "issues" && rest[2] == "comments":
            guard let number = Int(rest[1]) else { return nil }
            guard let body = call.parameter("body"), !body.isEmpty else { return .json(422, ["message": "Validation Failed"]) }
            return .json(201, commentJSON(state.withLock { $0.addComment(key, pr: number, body: body) }))
        case ("PATCH", let rest) where rest.count == 3 && rest[0] == "issues" && rest[1] == "comments":
            guard let id = Int(rest[2]) else { return nil }
            guard let body = call.parameter("body"), !body.isEmpty else { return .json(422, ["message": "Validation Failed"]) }
            guard let comment = state.withLock({ $0.editComment(key, id: id, pr: nil, body: body) }) else { return nil }
            return .json(200, commentJSON(comment))
        default:
            return nil
        }
    }

    /// GitHub refuses unknown states and descriptions over 140 characters with 422; Gitea also
    /// knows `warning`.
    private func postStatus(_ call: Call, key: Key, sha: String) -> HTTPReceiver.Response {
        let states = call.forge == .gitea ? ["pending", "success", "error", "failure", "warning"] : ["pending", "success", "error", "failure"]
        guard let wire = call.parameter("state"), states.contains(wire) else {
            return .json(422, ["message": "Validation Failed", "errors": [["field": "state", "code": "invalid"]]])
        }
        let description = call.parameter("description") ?? ""
        if call.forge == .github, description.unicodeScalars.count > 140 {
            return .json(
                422,
                [
                    "message": "Validation Failed",
                    "errors": [["field": "description", "message": "description is too long (maximum is 140 characters)"]],
                ])
        }
        let status = state.withLock { state in
            let target = call.parameter("target_url").flatMap { $0.isEmpty ? nil : $0 }
            let status = FakeSCM.Status(
                id: state.nextID(), state: wire, context: call.parameter("context") ?? "default", description: description, targetURL: target)
            state.statuses[key, default: [:]][sha, default: []].insert(status, at: 0)
            return status
        }
        return .json(201, statusJSON(status, forge: call.forge))
    }

    /// GitHub's status has `state` and a null `target_url`; Gitea's has `status` and an empty one.
    private func statusJSON(_ status: FakeSCM.Status, forge: Forge) -> [String: Any] {
        var json: [String: Any] = [
            "id": status.id, "context": status.context, "description": status.description, "created_at": Self.now, "updated_at": Self.now,
        ]
        if forge == .gitea {
            json["status"] = status.state
            json["target_url"] = status.targetURL ?? ""
        } else {
            json["state"] = status.state
            json["target_url"] = status.targetURL ?? NSNull()
        }
        return json
    }

    private func pullJSON(_ pull: FakeSCM.PullRequest) -> [String: Any] {
        [
            "id": pull.id, "number": pull.number, "state": pull.isOpen ? "open" : "closed", "title": pull.title,
            "head": ["sha": pull.commits.last ?? "", "ref": pull.branch], "base": ["ref": pull.targetBranch],
            "labels": pull.labels.map { ["name": $0] }, "user": ["login": "octocat"],
        ]
    }

    private func commentJSON(_ comment: FakeSCM.Comment) -> [String: Any] {
        ["id": comment.id, "body": comment.body, "user": ["login": "keelson"], "created_at": Self.now, "updated_at": Self.now]
    }
}
