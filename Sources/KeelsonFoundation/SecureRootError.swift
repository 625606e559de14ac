/// A refused or failed read under a `SecureRoot`. The path is always relative to the root;
/// no host path outside it and no file content ever appears in the message.
public struct SecureRootError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the read was refused.
    public enum Code: String, Sendable, Hashable {
        /// The path is absolute.
        case absolutePath
        /// The path contains `..` where that is not allowed.
        case parentReference
        /// The path, or a symlink on the way, leads outside the root.
        case escapesRoot
        /// A symlink on the way has an absolute target.
        case absoluteSymlink
        /// Symlinks on the way form a loop.
        case symlinkLoop
        /// More symlinks on the way than allowed.
        case tooManySymlinks
        /// Nothing exists at the path.
        case notFound
        /// The path is not a regular file (or not a directory, where one is needed).
        case wrongType
        /// The file is larger than the per-file limit.
        case fileTooLarge
        /// The render read more bytes in total than allowed.
        case renderTooLarge
        /// The operating system refused the read.
        case io
        /// The read transform (decryption) refused the file.
        case transformFailed
    }

    /// Why the read was refused.
    public var code: Code
    /// The path as the caller gave it, relative to the root.
    public var path: String
    /// A one-line explanation.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
