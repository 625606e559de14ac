import KeelsonFoundation

/// A work tree of one commit, made from a cached mirror. Read it only through `root()`.
public struct Checkout: Sendable, Hashable, CustomStringConvertible {
    /// The repository, with credentials removed.
    public let repository: String
    /// The full commit SHA checked out.
    public let commit: String
    /// The work tree directory.
    public let directory: String
    /// The mirror the work tree belongs to.
    let mirrorDirectory: String

    /// Opens the work tree as a `SecureRoot`, so nothing outside it can be read.
    public func root(limits: SecureRoot.Limits = SecureRoot.Limits()) throws(SecureRootError) -> SecureRoot {
        try SecureRoot(directory: directory, limits: limits)
    }

    public var description: String { "\(repository)@\(commit.prefix(12))" }
}
