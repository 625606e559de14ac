/// Why a plan could not be made or posted.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// Bad options or a revision, directory or repository that does not exist.
        case usage
        /// Git could not resolve or read a revision.
        case git
        /// An input over its limit.
        case tooLarge
        /// The plan could not be posted to the forge.
        case post
    }

    public var code: Code
    /// What went wrong; never a credential.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
