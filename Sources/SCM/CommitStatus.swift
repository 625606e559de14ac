/// One commit status: a state under a context (GitLab calls it the name), a description and an
/// optional link.
///
/// ```swift
/// let status = CommitStatus(state: .success, context: "keelson/shop/web", description: "deployed 3f2a1c0")
/// ```
public struct CommitStatus: Sendable, Hashable {
    /// The longest description GitHub accepts; the client cuts longer ones to fit.
    public static let maximumDescriptionLength = 140

    /// The state.
    public var state: CommitState
    /// What the status is about; the forge keeps one current status per context.
    public var context: String
    /// A one-line summary; `SCMClient` cuts it to `maximumDescriptionLength` when posting.
    public var description: String
    /// A link shown with the status, e.g. the application in Keelson's dashboard.
    public var targetURL: String?

    /// Creates a status.
    public init(state: CommitState, context: String, description: String, targetURL: String? = nil) {
        self.state = state
        self.context = context
        self.description = description
        self.targetURL = targetURL
    }

    /// `description` cut to at most `limit` Unicode scalars, ending with "…" when cut.
    ///
    /// GitHub counts code points (Ruby's `String#length`), so scalars are what must fit; the cut
    /// falls on a `Character` boundary, so no emoji or accented letter is split.
    static func cut(_ description: String, to limit: Int = maximumDescriptionLength) -> String {
        guard description.unicodeScalars.count > limit else { return description }
        var kept = ""
        var scalars = 0
        for character in description {
            let size = character.unicodeScalars.count
            // One scalar stays free for the ellipsis.
            guard scalars + size <= limit - 1 else { break }
            kept.append(character)
            scalars += size
        }
        return kept + "…"
    }

    /// This status as the client posts it: the description cut, an empty target URL dropped.
    var posted: CommitStatus {
        var status = self
        status.description = Self.cut(description)
        if status.targetURL?.isEmpty == true { status.targetURL = nil }
        return status
    }
}
