extension SCMClient {
    /// Numbers of the open pull or merge requests containing `sha`, ascending.
    ///
    /// GitHub and GitLab list every request whose commits include `sha`; Gitea answers with the
    /// one request `sha` belongs to, or 404 when there is none.
    public func pullRequests(containing sha: String) async throws(SCMError) -> [Int] {
        try check(sha: sha)
        let request = repository.pullRequests(sha: sha)
        let reply = try await send(request, accepting: forge == .gitea ? [404] : [])
        if reply.status == 404 { return [] }
        let found =
            forge == .gitea
            ? [try decode(ForgeJSON.PullRequest.self, from: reply, request)]
            : try decode([ForgeJSON.PullRequest].self, from: reply, request)
        let numbers = found.filter { $0.state == forge.openState }.compactMap { forge == .gitlab ? $0.iid : $0.number }
        return Set(numbers).sorted()
    }
}
