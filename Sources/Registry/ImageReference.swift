/// A parsed container image reference: registry host, repository path, tag and digest.
///
/// ```swift
/// let ref = try ImageReference.parse("nginx:1.27")
/// ref.registry    // "docker.io"
/// ref.repository  // "library/nginx"
/// ```
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// The registry host as written, with port (`docker.io` when omitted).
    public var registry: String
    /// The repository path within the registry (`library/` added for Docker Hub's official images).
    public var repository: String
    /// The tag, if one was given.
    public var tag: String?
    /// The digest (`sha256:...`), if one was given.
    public var digest: String?

    /// The registry Docker Hub images live in.
    public static let dockerHub = "docker.io"
    /// The host Docker Hub's API is served from.
    public static let dockerHubAPIHost = "registry-1.docker.io"

    /// Creates a reference from its parts.
    public init(registry: String, repository: String, tag: String? = nil, digest: String? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// `registry/repository`, the name tags belong to.
    public var name: String { "\(registry)/\(repository)" }

    /// The host the distribution API is served from (Docker Hub's API host for `docker.io`).
    public var apiHost: String { registry == Self.dockerHub ? Self.dockerHubAPIHost : registry }

    /// The full reference: `registry/repository[:tag][@digest]`.
    public var description: String {
        name + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "")
    }

    /// Parses `reference` the way Docker does: a first component with a `.` or `:` or equal
    /// to `localhost` is the registry, Docker Hub otherwise, and single-component Docker Hub
    /// names get `library/`.
    public static func parse(_ reference: String) throws(RegistryError) -> ImageReference {
        func fail(_ why: String) -> RegistryError {
            RegistryError(.invalidReference, why, subject: reference)
        }
        guard !reference.isEmpty else { throw fail("image reference is empty") }
        guard reference.utf8.count <= 4096 else { throw fail("image reference is longer than 4096 bytes") }
        var rest = Substring(reference)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
            guard let digest, isDigest(digest) else { throw fail("digest must be ALGORITHM:HEX, like sha256:<64 hex digits>") }
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
            guard let tag, isTag(tag) else { throw fail("tag must be 1-128 of [A-Za-z0-9_.-], not starting with . or -") }
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var registry = dockerHub
        if components.count > 1, let first = components.first,
            first.contains(".") || first.contains(":") || first == "localhost"
        {
            registry = first
            components.removeFirst()
            guard isHost(registry) else { throw fail("registry host \(registry) is not HOST[:PORT]") }
        }
        if registry == "index.docker.io" || registry == dockerHubAPIHost { registry = dockerHub }
        if registry == dockerHub && components.count == 1 { components.insert("library", at: 0) }
        for component in components where !isPathComponent(component) {
            throw fail("repository path component \"\(component)\" must be lowercase letters, digits and separators (. _ __ -)")
        }
        return ImageReference(registry: registry, repository: components.joined(separator: "/"), tag: tag, digest: digest)
    }

    /// Whether `other` names the same repository, so `nginx` matches `docker.io/library/nginx`.
    public func sameRepository(as other: ImageReference) -> Bool {
        registry == other.registry && repository == other.repository
    }

    static func isTag(_ s: String) -> Bool {
        guard let first = s.utf8.first, s.utf8.count <= 128, first != UInt8(ascii: "."), first != UInt8(ascii: "-") else { return false }
        return s.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static func isDigest(_ s: String) -> Bool {
        let parts = s.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].utf8.count >= 32 else { return false }
        guard parts[0].utf8.allSatisfy({ isLowerAlnum($0) || "+._-".utf8.contains($0) }) else { return false }
        guard parts[1].utf8.allSatisfy({ isHex($0) }) else { return false }
        return parts[0] != "sha256" || parts[1].utf8.count == 64
    }

    private static func isHost(_ s: String) -> Bool {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty else { return false }
        if parts.count == 2, UInt16(parts[1]) == nil { return false }
        return parts[0].utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`, as the distribution spec defines path components.
    private static func isPathComponent(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        var index = 0
        while index < bytes.count {
            if isLowerAlnum(bytes[index]) { index += 1; continue }
            var run = index
            while run < bytes.count, !isLowerAlnum(bytes[run]) { run += 1 }
            let separator = bytes[index..<run]
            let ok =
                separator.elementsEqual([UInt8(ascii: ".")]) || separator.elementsEqual([UInt8(ascii: "_")])
                || separator.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")]) || separator.allSatisfy { $0 == UInt8(ascii: "-") }
            guard ok else { return false }
            index = run
        }
        return true
    }

    private static func isLowerAlnum(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }
    private static func isAlnum(_ b: UInt8) -> Bool { isLowerAlnum(b) || (0x41...0x5A).contains(b) }
    private static func isHex(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x61...0x66).contains(b) }
}
