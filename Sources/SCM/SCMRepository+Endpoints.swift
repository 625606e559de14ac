/// The API calls the client makes, per forge, relative to the API root (`/api/v4` and `/api/v1`
/// included). `sha` and numbers are checked by the caller before they reach a path.
extension SCMRepository {
    private var base: String {
        forge == .gitlab ? "/projects/\(pathComponent)" : "/repos/\(pathComponent)"
    }

    /// Lists the statuses of `sha`, newest first where the forge can be asked to (GitLab's
    /// default order is oldest first).
    func listStatuses(sha: String) -> SCMRequest {
        switch forge {
        case .github: SCMRequest(.GET, "\(base)/commits/\(sha)/statuses?per_page=100")
        case .gitlab: SCMRequest(.GET, "\(base)/repository/commits/\(sha)/statuses?per_page=100&order_by=id&sort=desc")
        // `leastindex` is Gitea's name for "highest index first", i.e. newest first without
        // the ties of its default one-second creation times.
        case .gitea: SCMRequest(.GET, "\(base)/commits/\(sha)/statuses?sort=leastindex&limit=50")
        }
    }

    /// Posts `status` (already cut) on `sha`.
    func createStatus(_ status: CommitStatus, sha: String) -> SCMRequest {
        var fields = ["state": forge.wireState(status.state), forge.contextField: status.context, "description": status.description]
        if let link = status.targetURL { fields["target_url"] = link }
        return SCMRequest(.POST, "\(base)/statuses/\(sha)", json: fields)
    }

    /// Lists the pull or merge requests containing `sha` (Gitea: the one it was merged by or opened from).
    func pullRequests(sha: String) -> SCMRequest {
        switch forge {
        case .github: SCMRequest(.GET, "\(base)/commits/\(sha)/pulls?per_page=100")
        case .gitlab: SCMRequest(.GET, "\(base)/repository/commits/\(sha)/merge_requests?per_page=100")
        case .gitea: SCMRequest(.GET, "\(base)/commits/\(sha)/pull")
        }
    }

    /// Lists page `page` (from 1) of the comments on pull request `number`, oldest first.
    func listComments(pullRequest number: Int, page: Int) -> SCMRequest {
        switch forge {
        case .github: SCMRequest(.GET, "\(base)/issues/\(number)/comments?per_page=\(Forge.pageSize)&page=\(page)")
        case .gitlab:
            SCMRequest(.GET, "\(base)/merge_requests/\(number)/notes?per_page=\(Forge.pageSize)&page=\(page)&sort=asc&order_by=created_at")
        case .gitea: SCMRequest(.GET, "\(base)/issues/\(number)/comments")
        }
    }

    /// Adds a comment to pull request `number`.
    func createComment(pullRequest number: Int, body: String) -> SCMRequest {
        switch forge {
        case .github, .gitea: SCMRequest(.POST, "\(base)/issues/\(number)/comments", json: ["body": body])
        case .gitlab: SCMRequest(.POST, "\(base)/merge_requests/\(number)/notes", json: ["body": body])
        }
    }

    /// Replaces the body of comment `id` on pull request `number`.
    func editComment(pullRequest number: Int, id: Int, body: String) -> SCMRequest {
        switch forge {
        case .github, .gitea: SCMRequest(.PATCH, "\(base)/issues/comments/\(id)", json: ["body": body])
        case .gitlab: SCMRequest(.PUT, "\(base)/merge_requests/\(number)/notes/\(id)", json: ["body": body])
        }
    }
}
