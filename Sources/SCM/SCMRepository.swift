/// A repository on a forge: which forge, where its API is, and the project's path or id.
///
/// `apiURL` is GitHub's API root (`https://api.github.com`, or `https://HOST/api/v3` for GitHub
/// Enterprise Server), and the server root for GitLab and Gitea (the client appends `/api/v4` or
/// `/api/v1`). `project` is `owner/repo`; GitLab also takes a numeric id or `group/sub/project`.
///
/// ```swift
/// let repository = try SCMRepository(forge: .gitlab, apiURL: "https://gitlab.example.com", project: "platform/deploy/shop")
/// ```
public struct SCMRepository: Sendable, Hashable {
    /// The forge.
    public var forge: Forge
    /// The API root (GitHub) or server root (GitLab, Gitea), without a trailing slash.
    public var apiURL: String
    /// `owner/repo`, or for GitLab a numeric id or a namespaced path.
    public var project: String

    /// Creates a repository after checking `project`'s shape and `apiURL`'s scheme; a nil
    /// `apiURL` means the public service (github.com, gitlab.com; Gitea has none).
    public init(forge: Forge, apiURL: String? = nil, project: String) throws(SCMError) {
        guard let url = apiURL ?? forge.defaultAPIURL else {
            throw SCMError(.invalid, "\(forge.displayName) has no public default: set apiURL", forge: forge)
        }
        self.forge = forge
        self.apiURL = try Self.checkedAPIURL(url, forge: forge)
        self.project = try Self.checkedProject(project, forge: forge)
    }

    /// The project as one path segment: GitLab's namespaced path with `/` percent-encoded,
    /// `owner/repo` as two segments for the others.
    var pathComponent: String {
        forge == .gitlab ? project.replacing("/", with: "%2F") : project
    }

    private static func checkedAPIURL(_ url: String, forge: Forge) throws(SCMError) -> String {
        let url = url.trimmingTrailing("/")
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else {
            throw SCMError(.invalid, "apiURL \(Redaction.url(url[...])) must be an http or https URL", forge: forge)
        }
        let authority = url.drop { $0 != ":" }.dropFirst(3).prefix { $0 != "/" }
        guard !authority.isEmpty, !authority.contains("@"), !url.contains("?"), !url.contains("#"), !url.contains(where: \.isWhitespace)
        else {
            throw SCMError(
                .invalid, "apiURL \(Redaction.url(url[...])) must name a host, without credentials, query or fragment", forge: forge)
        }
        return url
    }

    private static func checkedProject(_ project: String, forge: Forge) throws(SCMError) -> String {
        let segments = project.split(separator: "/", omittingEmptySubsequences: false)
        let wellFormed = segments.allSatisfy { segment in
            !segment.isEmpty && segment != "." && segment != ".." && segment.allSatisfy(isProjectCharacter)
        }
        let shapeFits: Bool
        switch forge {
        case .github, .gitea: shapeFits = segments.count == 2
        case .gitlab: shapeFits = segments.count >= 2 || (segments.count == 1 && segments[0].allSatisfy(\.isASCIIDigit))
        }
        guard wellFormed, shapeFits else {
            let expected = forge == .gitlab ? "a numeric id or group/project" : "owner/repo"
            throw SCMError(.invalid, "project \"\(project.prefix(100))\" is not \(expected)", forge: forge)
        }
        return project
    }

    private static func isProjectCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_" || character == ".")
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func trimmingTrailing(_ character: Character) -> String {
        var result = Substring(self)
        while result.last == character { result = result.dropLast() }
        return String(result)
    }
}
