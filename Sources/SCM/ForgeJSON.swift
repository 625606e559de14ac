/// The parts of the forges' JSON answers the client reads; everything is optional so that one
/// shape serves all three forges and a forge adding or dropping a field breaks nothing.
enum ForgeJSON {
    /// A commit status: `state` (GitHub), `status` (GitLab, and Gitea when listing), `context` or
    /// `name` (GitLab).
    struct Status: Decodable {
        var id: Int?
        var state: String?
        var status: String?
        var context: String?
        var name: String?
        var description: String?
        var target_url: String?

        /// The state as the forge spelt it.
        var wireState: String { status ?? state ?? "" }
        /// The context, whatever the forge calls it.
        var contextName: String { context ?? name ?? "" }
        /// The description, a missing one empty.
        var text: String { description ?? "" }
        /// The target URL, an empty one (Gitea's way of saying none) nil.
        var link: String? { target_url.flatMap { $0.isEmpty ? nil : $0 } }
    }

    /// A pull request (`number`) or merge request (`iid`).
    struct PullRequest: Decodable {
        var number: Int?
        var iid: Int?
        var state: String?
    }

    /// An issue comment or a merge request note; GitLab marks its own notes `system`.
    struct Comment: Decodable {
        var id: Int
        var body: String?
        var system: Bool?
    }
}
