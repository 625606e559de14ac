import Foundation

extension SCMClient {
    /// Creates the one comment on pull request `number` marked `<!-- marker -->`, or edits it in
    /// place when its body differs, so a pull request carries one Keelson comment per marker
    /// however often it is written.
    ///
    /// The body written is `body + "\n<!-- marker -->"`; the marker is invisible once rendered.
    /// When several comments hold the marker the oldest is edited.
    public func upsertComment(pullRequest number: Int, marker: String, body: String) async throws(SCMError) -> CommentOutcome {
        try check(pullRequest: number)
        guard !marker.isEmpty, marker.count <= 200, !marker.contains("--"), !marker.contains(where: \.isNewline) else {
            throw invalid("comment marker \"\(marker.prefix(80))\" must be one line of at most 200 characters without \"--\"")
        }
        let tag = "<!-- \(marker) -->"
        let written = body + "\n" + tag
        guard let existing = try await comment(on: number, holding: tag) else {
            let request = repository.createComment(pullRequest: number, body: written)
            return .created(id: try decode(ForgeJSON.Comment.self, from: try await send(request), request).id)
        }
        if Self.normalised(existing.body ?? "") == Self.normalised(written) { return .unchanged(id: existing.id) }
        _ = try await send(repository.editComment(pullRequest: number, id: existing.id, body: written))
        return .updated(id: existing.id)
    }

    /// The oldest comment on pull request `number` whose body ends with `tag`, GitLab's system
    /// notes aside. Only the end counts: a comment that merely quotes the tag (a reply, or a plan
    /// body whose diff shows another plan's tag) is not ours.
    private func comment(on number: Int, holding tag: String) async throws(SCMError) -> ForgeJSON.Comment? {
        for page in 1...(forge.pagesComments ? Forge.maximumPages : 1) {
            let request = repository.listComments(pullRequest: number, page: page)
            let comments = try decode([ForgeJSON.Comment].self, from: try await send(request), request)
            let ours = comments.first { comment in
                comment.system != true && Self.normalised(comment.body ?? "").trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(tag)
            }
            if let ours { return ours }
            if comments.count < Forge.pageSize { break }
        }
        return nil
    }

    /// Forges may store line ends as CRLF; that alone is no reason to edit a comment.
    private static func normalised(_ body: String) -> String {
        body.replacing("\r\n", with: "\n")
    }
}
