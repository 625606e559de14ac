import Foundation
import SCM
import Synchronization

/// `FakeSCM`'s state and the routing of requests to the forge that owns their path.
final class FakeSCMStore: Sendable {
    /// A repository on one forge.
    struct Key: Hashable {
        var forge: Forge
        var project: String
        init(_ forge: Forge, _ project: String) {
            self.forge = forge
            self.project = project
        }
    }

    struct State {
        /// Statuses per repository and SHA, newest first.
        var statuses: [Key: [String: [FakeSCM.Status]]] = [:]
        var pulls: [Key: [FakeSCM.PullRequest]] = [:]
        /// Comments per repository and pull request, oldest first.
        var comments: [Key: [Int: [FakeSCM.Comment]]] = [:]
        /// Ids are unique across forges and kinds, as a test reading them wants.
        var lastID = 0

        mutating func nextID() -> Int {
            lastID += 1
            return lastID
        }

        mutating func addComment(_ key: Key, pr: Int, body: String) -> FakeSCM.Comment {
            let comment = FakeSCM.Comment(id: nextID(), body: body, edits: 0)
            comments[key, default: [:]][pr, default: []].append(comment)
            return comment
        }

        /// Replaces the body of comment `id` (on pull request `pr` when given); nil when there is none.
        mutating func editComment(_ key: Key, id: Int, pr: Int?, body: String) -> FakeSCM.Comment? {
            for (number, list) in comments[key] ?? [:] where pr == nil || pr == number {
                guard let index = list.firstIndex(where: { $0.id == id }) else { continue }
                comments[key]![number]![index].body = body
                comments[key]![number]![index].edits += 1
                return comments[key]![number]![index]
            }
            return nil
        }
    }

    /// One request to one forge, its path split into percent-decoded segments after the API prefix.
    struct Call {
        var forge: Forge
        var method: String
        var segments: [String]
        var query: [String: String]
        var fields: [String: Any]

        /// A string parameter from the JSON body or, as the forges allow, the query.
        func parameter(_ name: String) -> String? { fields[name] as? String ?? query[name] }
    }

    let token: String
    let state = Mutex(State())

    init(token: String) { self.token = token }

    /// Where each forge's API is served.
    static func prefix(_ forge: Forge) -> String {
        switch forge {
        case .github: "/github"
        case .gitlab: "/gitlab/api/v4"
        case .gitea: "/gitea/api/v1"
        }
    }

    /// The answer to `request`: 401 without the token, 404 for paths no forge serves.
    func answer(_ request: HTTPReceiver.Request) -> HTTPReceiver.Response? {
        let path = request.pathWithoutQuery
        guard let forge = Forge.allCases.first(where: { path.hasPrefix(Self.prefix($0) + "/") }) else {
            return .json(404, ["message": "Not Found"])
        }
        guard authorized(request, on: forge) else {
            return .json(401, ["message": forge == .gitlab ? "401 Unauthorized" : "Bad credentials"])
        }
        let segments = path.dropFirst(Self.prefix(forge).count + 1).split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        let call = Call(forge: forge, method: request.method, segments: segments, query: request.query, fields: request.json ?? [:])
        let answer = forge == .gitlab ? gitlab(call) : githubOrGitea(call)
        return answer ?? .json(404, ["message": forge == .gitlab ? "404 Not Found" : "Not Found"])
    }

    /// GitHub takes `Bearer` and `token`; GitLab `PRIVATE-TOKEN` and `Bearer`; Gitea `token` and `Bearer`.
    private func authorized(_ request: HTTPReceiver.Request, on forge: Forge) -> Bool {
        let authorization = request.header("Authorization")
        if authorization == "Bearer " + token { return true }
        switch forge {
        case .github, .gitea: return authorization == "token " + token
        case .gitlab: return request.header("PRIVATE-TOKEN") == token
        }
    }

    /// The page of `items` a `page`/`sizeName` query asks for.
    static func page<T>(_ items: [T], _ call: Call, sizeName: String, defaultSize: Int, maximumSize: Int) -> [T] {
        let size = min(max(Int(call.query[sizeName] ?? "") ?? defaultSize, 1), maximumSize)
        let page = max(Int(call.query["page"] ?? "") ?? 1, 1)
        let start = (page - 1) * size
        guard start < items.count else { return [] }
        return Array(items[start..<min(start + size, items.count)])
    }

    /// Creation and update times; the fake stamps everything "now".
    static var now: String { ISO8601DateFormatter().string(from: Date()) }
}
