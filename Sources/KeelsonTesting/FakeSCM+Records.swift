extension FakeSCM {
    /// A commit status as the forge stores it.
    public struct Status: Sendable, Hashable {
        /// The forge's id.
        public var id: Int
        /// The state in the forge's words: `pending`…`error`, GitLab's `running`, `failed`, ….
        public var state: String
        /// The context (GitLab: the name).
        public var context: String
        /// The description.
        public var description: String
        /// The target URL.
        public var targetURL: String?
    }

    /// A pull-request comment or merge-request note.
    public struct Comment: Sendable, Hashable {
        /// The forge's id.
        public var id: Int
        /// The body.
        public var body: String
        /// How often it was edited.
        public var edits: Int
    }

    /// A pull or merge request and the commits it holds.
    public struct PullRequest: Sendable, Hashable {
        /// The forge's global id.
        public var id: Int
        /// The number (GitLab: the iid).
        public var number: Int
        /// The commits it holds.
        public var commits: [String]
        /// Whether it is open.
        public var isOpen: Bool
        /// The source branch.
        public var branch = ""
        /// The branch it targets.
        public var targetBranch = "main"
        /// The title.
        public var title = ""
        /// The labels.
        public var labels: [String] = []
    }
}
