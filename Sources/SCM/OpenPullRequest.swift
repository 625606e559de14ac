/// An open pull or merge request as a forge lists it: what an ApplicationSet's pull-request
/// generator turns into parameters.
public struct OpenPullRequest: Sendable, Hashable {
    /// The number (GitLab: the merge request's iid).
    public var number: Int
    /// The title.
    public var title: String
    /// The source branch.
    public var branch: String
    /// The branch it targets.
    public var targetBranch: String
    /// The commit at the head of the source branch.
    public var headSHA: String
    /// The labels, in the forge's order.
    public var labels: [String]
    /// The author's login.
    public var author: String

    /// Creates a pull request.
    public init(number: Int, title: String, branch: String, targetBranch: String, headSHA: String, labels: [String] = [], author: String = "") {
        self.number = number
        self.title = title
        self.branch = branch
        self.targetBranch = targetBranch
        self.headSHA = headSHA
        self.labels = labels
        self.author = author
    }
}

extension ForgeJSON {
    /// One entry of a pull or merge request listing: GitHub's and Gitea's `head`/`base` objects,
    /// GitLab's `source_branch`/`target_branch`/`sha` and string labels.
    struct ListedPullRequest: Decodable {
        struct Ref: Decodable {
            var ref: String?
            var sha: String?
        }
        struct Label: Decodable {
            var name: String?
            init(from decoder: any Decoder) throws {
                // GitLab lists label names; GitHub and Gitea label objects.
                if let text = try? decoder.singleValueContainer().decode(String.self) {
                    name = text
                } else {
                    name = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .name)
                }
            }
            enum CodingKeys: String, CodingKey { case name }
        }
        struct User: Decodable {
            var login: String?
            var username: String?
        }
        var number: Int?
        var iid: Int?
        var title: String?
        var head: Ref?
        var base: Ref?
        var source_branch: String?
        var target_branch: String?
        var sha: String?
        var labels: [Label]?
        var user: User?
        var author: User?

        func pullRequest(_ forge: Forge) -> OpenPullRequest? {
            guard let number = forge == .gitlab ? iid : number else { return nil }
            return OpenPullRequest(
                number: number, title: title ?? "", branch: head?.ref ?? source_branch ?? "", targetBranch: base?.ref ?? target_branch ?? "",
                headSHA: head?.sha ?? sha ?? "", labels: (labels ?? []).compactMap(\.name),
                author: user?.login ?? author?.username ?? user?.username ?? "")
        }
    }
}

extension SCMRepository {
    /// Lists page `page` (from 1) of the open pull or merge requests.
    func openPullRequests(page: Int) -> SCMRequest {
        switch forge {
        case .github: SCMRequest(.GET, "/repos/\(pathComponent)/pulls?state=open&per_page=\(Forge.pageSize)&page=\(page)")
        case .gitlab: SCMRequest(.GET, "/projects/\(pathComponent)/merge_requests?state=opened&per_page=\(Forge.pageSize)&page=\(page)")
        case .gitea: SCMRequest(.GET, "/repos/\(pathComponent)/pulls?state=open&limit=50&page=\(page)")
        }
    }
}

extension SCMClient {
    /// The open pull or merge requests carrying every one of `labels` (all when empty), by number.
    ///
    /// Reads at most `Forge.maximumPages` pages; a failure of any page fails the whole listing, so
    /// a caller never mistakes a partial answer for the full one.
    public func openPullRequests(labels: [String] = []) async throws(SCMError) -> [OpenPullRequest] {
        var found: [Int: OpenPullRequest] = [:]
        let pageSize = forge == .gitea ? 50 : Forge.pageSize
        for page in 1...Forge.maximumPages {
            let request = repository.openPullRequests(page: page)
            let listed = try decode([ForgeJSON.ListedPullRequest].self, from: try await send(request), request)
            for entry in listed {
                guard let pull = entry.pullRequest(forge) else { continue }
                guard pull.number > 0, pull.headSHA.isEmpty || (7...64).contains(pull.headSHA.count) && pull.headSHA.allSatisfy(\.isHexDigit)
                else {
                    throw invalid("pull request \(pull.number) has no usable head commit in the answer to \(summary(request))")
                }
                found[pull.number] = pull
            }
            if listed.count < pageSize { break }
            if page == Forge.maximumPages {
                throw SCMError(
                    .badAnswer, "more than \(Forge.maximumPages * pageSize) open pull requests; narrow them with labels", forge: forge)
            }
        }
        let wanted = Set(labels)
        return found.values.filter { wanted.isSubset(of: $0.labels) }.sorted { $0.number < $1.number }
    }
}
