/// What `SCMClient.upsertComment` did, with the forge's id of the comment.
public enum CommentOutcome: Sendable, Hashable {
    /// No comment held the marker; one was created.
    case created(id: Int)
    /// The comment holding the marker had another body and was edited in place.
    case updated(id: Int)
    /// The comment holding the marker already had this body; nothing was sent.
    case unchanged(id: Int)

    /// The comment's id on the forge.
    public var id: Int {
        switch self {
        case .created(let id), .updated(let id), .unchanged(let id): id
        }
    }
}
