import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only way a render reads files: every path is resolved inside one root directory.
///
/// Absolute paths are refused; `..` may not climb above the root; every symlink on the way is
/// resolved hop by hop (absolute targets refused, at most `maximumSymlinkHops`, loops
/// detected); components are compared, never string prefixes; the final open walks the
/// resolved components with `O_NOFOLLOW`, so a symlink swapped in after the check is refused
/// too. Each file and the whole render have a size limit.
///
/// ```swift
/// let root = try SecureRoot(directory: checkout)
/// let bytes = try root.read("apps/web/deployment.yaml")
/// ```
public final class SecureRoot: Sendable {
    /// Size limits for reads.
    public struct Limits: Sendable, Hashable {
        /// The largest single file, in bytes (default 10 MiB).
        public var maximumFileBytes: Int
        /// The most bytes all reads of this root may add up to (default 100 MiB).
        public var maximumTotalBytes: Int

        /// Creates limits.
        public init(maximumFileBytes: Int = 10 << 20, maximumTotalBytes: Int = 100 << 20) {
            self.maximumFileBytes = maximumFileBytes
            self.maximumTotalBytes = maximumTotalBytes
        }
    }

    /// The most symlinks one path may pass through.
    public static let maximumSymlinkHops = 16

    /// The root directory as given.
    public let directory: String
    /// The limits in force.
    public let limits: Limits
    private let rootDescriptor: Int32
    private let bytesRead = Mutex(0)
    /// Applied to every file's bytes after reading (SOPS decryption, in memory only).
    public let transform: ReadTransform?

    /// A change to a file's bytes made as it is read; `path` is relative to the root.
    public typealias ReadTransform = @Sendable (_ path: String, _ bytes: [UInt8]) throws -> [UInt8]

    /// Opens `directory` as a root; it must exist and be a directory.
    public init(directory: String, limits: Limits = Limits(), transform: ReadTransform? = nil) throws(SecureRootError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SecureRootError(errno == ENOENT ? .notFound : .wrongType, path: ".", "the root is not a readable directory")
        }
        self.directory = directory
        self.limits = limits
        self.rootDescriptor = fd
        self.transform = transform
    }

    deinit { close(rootDescriptor) }

    /// The bytes read through this root so far.
    public var totalBytesRead: Int { bytesRead.withLock { $0 } }

    // MARK: Resolution

    /// The canonical, symlink-free components of `path` inside the root. `..` is allowed
    /// only while it stays inside the root, and only when `allowParent` is set.
    public func resolve(_ path: String, allowParent: Bool = true) throws(SecureRootError) -> [String] {
        if path.hasPrefix("/") { throw SecureRootError(.absolutePath, path: path, "absolute paths are not allowed") }
        var pending = Array(Self.components(path).reversed())
        if !allowParent, pending.contains("..") {
            throw SecureRootError(.parentReference, path: path, "'..' is not allowed here")
        }
        var resolved: [String] = []
        var hops = 0
        var seenLinks = Set<String>()
        while let component = pending.popLast() {
            if component == ".." {
                guard !resolved.isEmpty else { throw SecureRootError(.escapesRoot, path: path, "the path leads outside the root") }
                resolved.removeLast()
                continue
            }
            let candidate = resolved + [component]
            let joined = candidate.joined(separator: "/")
            var info = stat()
            guard fstatat(rootDescriptor, joined, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT || errno == ENOTDIR {
                    throw SecureRootError(.notFound, path: path, "no such file or directory")
                }
                throw SecureRootError(.io, path: path, "cannot inspect (errno \(errno))")
            }
            guard (info.st_mode & S_IFMT) == S_IFLNK else {
                resolved = candidate
                continue
            }
            hops += 1
            guard seenLinks.insert(joined).inserted else {
                throw SecureRootError(.symlinkLoop, path: path, "symlinks form a loop at \(joined)")
            }
            guard hops <= Self.maximumSymlinkHops else {
                throw SecureRootError(.tooManySymlinks, path: path, "more than \(Self.maximumSymlinkHops) symlinks on the way")
            }
            let target = try readLink(joined, path: path)
            if target.hasPrefix("/") {
                throw SecureRootError(.absoluteSymlink, path: path, "symlink \(joined) has an absolute target")
            }
            pending.append(contentsOf: Self.components(target).reversed())
        }
        return resolved
    }

    private func readLink(_ relative: String, path: String) throws(SecureRootError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(rootDescriptor, relative, &buffer, Int(PATH_MAX))
        guard count >= 0 else { throw SecureRootError(.io, path: path, "cannot read symlink \(relative)") }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The non-empty components of `path`, `.` left out (`a//./b` is `["a", "b"]`).
    public static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
    }

    // MARK: Reading

    /// The bytes of the regular file at `path`, within the size limits.
    public func read(_ path: String, allowParent: Bool = true) throws(SecureRootError) -> [UInt8] {
        let fd = try openPath(path, directory: false, allowParent: allowParent).descriptor
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw SecureRootError(.wrongType, path: path, "not a regular file")
        }
        let limit = limits.maximumFileBytes
        if Int(info.st_size) > limit { throw tooLarge(path) }
        // Read straight into the result: room for the size `fstat` gave and a byte more, to see
        // growth; the file may grow while it is read, and the limit holds for what is read.
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SecureRootError(.io, path: path, "read failed (errno \(errno))")
            }
            if count == 0 { break }
            filled += count
            if filled > limit { throw tooLarge(path) }
        }
        bytes.removeLast(bytes.count - filled)
        try charge(bytes.count, path: path)
        guard let transform else { return bytes }
        do {
            return try transform(path, bytes)
        } catch {
            throw SecureRootError(.transformFailed, path: path, String(describing: error))
        }
    }

    private func tooLarge(_ path: String) -> SecureRootError {
        SecureRootError(.fileTooLarge, path: path, "file is larger than the limit of \(limits.maximumFileBytes) bytes")
    }

    private func charge(_ count: Int, path: String) throws(SecureRootError) {
        let total = bytesRead.withLock { total in
            total += count
            return total
        }
        if total > limits.maximumTotalBytes {
            throw SecureRootError(
                .renderTooLarge, path: path, "the render read more than the limit of \(limits.maximumTotalBytes) bytes")
        }
    }

    /// Opens `path`; returns the descriptor and the path's resolved components. Most paths hold
    /// no symlink and no `..`: opened a component at a time without following any, they need no
    /// resolving first. A symlink on the way fails that open, and then (as on any failure) the
    /// path is resolved first, which follows it inside the root and words the errors.
    private func openPath(_ path: String, directory: Bool, allowParent: Bool = true) throws(SecureRootError) -> (
        descriptor: Int32, components: [String]
    ) {
        let components = Self.components(path)
        if !path.hasPrefix("/"), !components.contains(".."), let opened = try? openResolved(components, directory: directory, path: path) {
            return (opened, components)
        }
        let resolved = try resolve(path, allowParent: allowParent)
        return (try openResolved(resolved, directory: directory, path: path), resolved)
    }

    /// Opens resolved components one at a time without following symlinks.
    private func openResolved(_ components: [String], directory: Bool, path: String) throws(SecureRootError) -> Int32 {
        var current = dup(rootDescriptor)
        guard current >= 0 else { throw SecureRootError(.io, path: path, "cannot open the root") }
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            var flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC
            if !isLast || directory { flags |= O_DIRECTORY }
            let next = openat(current, component, flags)
            let failure = errno
            close(current)
            guard next >= 0 else {
                if failure == ELOOP { throw SecureRootError(.escapesRoot, path: path, "a symlink appeared while opening") }
                if failure == ENOTDIR { throw SecureRootError(.wrongType, path: path, "not a directory") }
                throw SecureRootError(failure == ENOENT ? .notFound : .io, path: path, "cannot open (errno \(failure))")
            }
            current = next
        }
        return current
    }

    /// An entry of a directory listing.
    public struct Entry: Sendable, Hashable {
        /// The entry's name.
        public var name: String
        /// What the entry is (a symlink is reported as such, not followed).
        public var type: EntryType
    }

    /// The type of a directory entry.
    public enum EntryType: Sendable, Hashable { case file, directory, symlink, other }

    /// The entries of the directory at `path`, sorted by name, without `.` and `..`.
    public func list(_ path: String) throws(SecureRootError) -> [Entry] {
        let (fd, components) = try openPath(path, directory: true)
        guard let stream = fdopendir(fd) else {
            close(fd)
            throw SecureRootError(.io, path: path, "cannot list")
        }
        defer { closedir(stream) }
        // Listing the root itself reads through a dup of the root descriptor, which shares its
        // directory offset: rewind, or a second listing of the root would come back empty.
        rewinddir(stream)
        var entries: [Entry] = []
        while let entry = readdir(stream) {
            // Read the name in place: a dirent may be shorter than `dirent`, so copying it could
            // read past the end of the directory buffer.
            let name = withUnsafeMutablePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let type: EntryType =
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_REG): .file
                case Int32(DT_DIR): .directory
                case Int32(DT_LNK): .symlink
                default: try statType(components + [name], path: path)
                }
            entries.append(Entry(name: name, type: type))
        }
        return entries.sorted { $0.name < $1.name }
    }

    private func statType(_ components: [String], path: String) throws(SecureRootError) -> EntryType {
        var info = stat()
        guard fstatat(rootDescriptor, components.joined(separator: "/"), &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw SecureRootError(.io, path: path, "cannot inspect an entry")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// Whether `path` resolves to a directory inside the root.
    public func isDirectory(_ path: String) throws(SecureRootError) -> Bool {
        let components = try resolve(path)
        var info = stat()
        let joined = components.isEmpty ? "." : components.joined(separator: "/")
        guard fstatat(rootDescriptor, joined, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw SecureRootError(.notFound, path: path, "no such file or directory")
        }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }
}
