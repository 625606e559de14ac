import KeelsonFoundation

/// What to check out: a branch, a tag, a full commit SHA, or the highest tag in a semver range.
public enum Revision: Sendable, Hashable, CustomStringConvertible {
    /// The tip of a branch (`main`, `release/1.x`).
    case branch(String)
    /// A tag (`v1.2.3`); annotated tags resolve to their commit.
    case tag(String)
    /// A full 40-hex commit SHA.
    case commit(String)
    /// The highest tag whose name is a semantic version in the range.
    case semver(VersionRange)

    /// Parses a revision the way `Application.spec.source.revision` is written: 40 hex digits
    /// are a commit, `refs/heads/X` a branch, `refs/tags/X` a tag, text with a range operator
    /// (`^ ~ < > = * x ||` or spaces) a semver range, anything else a branch.
    public static func parse(_ text: String) throws(GitError) -> Revision {
        if isFullSHA(text) { return .commit(text.lowercased()) }
        if text.hasPrefix("refs/heads/") { return try .validatedBranch(String(text.dropFirst(11))) }
        if text.hasPrefix("refs/tags/") { return try .validatedTag(String(text.dropFirst(10))) }
        let looksLikeRange =
            text.contains(where: { "^~<>=*| ".contains($0) })
            || text.split(separator: ".").contains { $0 == "x" || $0 == "X" }
        if looksLikeRange {
            do { return .semver(try VersionRange(text)) } catch {
                throw GitError(.invalidRevision, "'\(RefName.printable(text))' is not a version range: \(error.message)")
            }
        }
        return try .validatedBranch(text)
    }

    /// A branch after its name is validated.
    public static func validatedBranch(_ name: String) throws(GitError) -> Revision {
        try RefName.validate(name)
        return .branch(name)
    }

    /// A tag after its name is validated.
    public static func validatedTag(_ name: String) throws(GitError) -> Revision {
        try RefName.validate(name)
        return .tag(name)
    }

    /// Throws unless the names and SHA in this revision are well formed.
    public func validate() throws(GitError) {
        switch self {
        case .branch(let name), .tag(let name): try RefName.validate(name)
        case .commit(let sha):
            guard Self.isFullSHA(sha) else { throw GitError(.invalidRevision, "'\(RefName.printable(sha))' is not a full 40-hex commit SHA") }
        case .semver: break
        }
    }

    /// Whether `text` is 40 hexadecimal digits.
    public static func isFullSHA(_ text: String) -> Bool {
        text.utf8.count == 40
            && text.utf8.allSatisfy {
                ("0"..."9").contains(Character(UnicodeScalar($0))) || ("a"..."f").contains(Character(UnicodeScalar($0).properties.lowercaseMapping))
            }
    }

    public var description: String {
        switch self {
        case .branch(let name): "branch \(RefName.printable(name))"
        case .tag(let name): "tag \(RefName.printable(name))"
        case .commit(let sha): "commit \(RefName.printable(sha))"
        case .semver(let range): "semver \(range)"
        }
    }
}
