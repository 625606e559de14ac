import Foundation

extension SCMClient {
    /// Statuses of `sha`, newest first; states Keelson never posts (GitLab's `skipped`) are left out.
    public func statuses(sha: String) async throws(SCMError) -> [CommitStatus] {
        try check(sha: sha)
        return try await listedStatuses(sha: sha).compactMap { listed in
            forge.commitState(wire: listed.wireState).map {
                CommitStatus(state: $0, context: listed.contextName, description: listed.text, targetURL: listed.link)
            }
        }
    }

    /// Posts `status` on `sha` unless the newest status with the same context is identical.
    ///
    /// The description is cut to 140 characters first, and the comparison is made in the
    /// forge's own words, so GitLab's `failed` matches both `.failure` and `.error`.
    public func setStatus(_ status: CommitStatus, sha: String) async throws(SCMError) -> StatusOutcome {
        try check(sha: sha)
        guard !status.context.isEmpty else { throw invalid("a commit status needs a context") }
        let status = status.posted
        let latest = try await listedStatuses(sha: sha).first { $0.contextName == status.context }
        if let latest, latest.wireState == forge.wireState(status.state), latest.text == status.description,
            latest.link == status.targetURL
        {
            return .unchanged
        }
        let request = repository.createStatus(status, sha: sha)
        let reply = try await send(request, accepting: forge == .gitlab ? [400] : [])
        if reply.status == 400 {
            // GitLab keeps one running status per name and answers a second `running` with 400
            // "Cannot transition status via :run from :running": the state is already there.
            // Its message is the only signal it gives.
            guard reply.text.contains("Cannot transition status") else { throw statusError(reply, request) }
            logger.debug("GitLab already has this state", metadata: ["keelson.context": "\(status.context)"])
            return .unchanged
        }
        return .posted
    }

    /// The forge's statuses of `sha`, newest first.
    private func listedStatuses(sha: String) async throws(SCMError) -> [ForgeJSON.Status] {
        let request = repository.listStatuses(sha: sha)
        let listed = try decode([ForgeJSON.Status].self, from: try await send(request), request)
        // Ids only grow; sorting on them makes the order independent of a server's `sort` support.
        return forge == .gitlab ? listed.sorted { ($0.id ?? 0) > ($1.id ?? 0) } : listed
    }

    /// `reply`'s body as `type`, or a `.badAnswer` error.
    func decode<T: Decodable>(_ type: T.Type, from reply: SCMReply, _ request: SCMRequest) throws(SCMError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(reply.body))
        } catch {
            throw SCMError(
                .badAnswer, "the answer to \(summary(request)) is not the JSON expected (HTTP \(reply.status))", forge: forge,
                statusCode: reply.status)
        }
    }
}
