/// A semantic version (semver 2.0) read from a tag: `1.2.3`, `v1.2.3-rc.1+build`, and the
/// loose forms `1` and `1.2` (missing parts are 0).
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major version.
    public var major: Int
    /// The minor version.
    public var minor: Int
    /// The patch version.
    public var patch: Int
    /// Pre-release identifiers (`rc.1` is `["rc", "1"]`); empty for a release.
    public var prerelease: [String]

    /// Creates a version.
    public init(_ major: Int, _ minor: Int, _ patch: Int, prerelease: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
    }

    /// Parses a version; a leading `v` and build metadata are allowed. Returns `nil` when malformed.
    public init?(_ text: String) {
        guard let parsed = Self.parse(text, allowWildcards: false), parsed.wildcardFrom == nil else { return nil }
        self = parsed.version
    }

    /// Whether this is a pre-release.
    public var isPrerelease: Bool { !prerelease.isEmpty }

    public var description: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
    }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if lhs.major != rhs.major { return lhs.major < rhs.major }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true), (true, false): return false
        case (false, true): return true
        case (false, false): break
        }
        for (left, right) in zip(lhs.prerelease, rhs.prerelease) where left != right {
            switch (Int(left), Int(right)) {
            case let (l?, r?): return l < r
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return left < right
            }
        }
        return lhs.prerelease.count < rhs.prerelease.count
    }

    /// A parsed, possibly partial version: `wildcardFrom` is the index (0 major, 1 minor,
    /// 2 patch) of the first part that was missing or `x`/`*`.
    struct Partial {
        var version: SemanticVersion
        var wildcardFrom: Int?
    }

    static func parse(_ text: String, allowWildcards: Bool) -> Partial? {
        var body = Substring(text)
        if body.first == "v" || body.first == "V" { body = body.dropFirst() }
        if let plus = body.firstIndex(of: "+") {
            let build = body[body.index(after: plus)...]
            guard !build.isEmpty, build.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isIdentifier) else { return nil }
            body = body[..<plus]
        }
        var prerelease: [String] = []
        if let dash = body.firstIndex(of: "-") {
            let parts = body[body.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
            guard parts.allSatisfy(isIdentifier), parts.allSatisfy({ Int($0) == nil || $0 == "0" || !$0.hasPrefix("0") }) else { return nil }
            prerelease = parts.map(String.init)
            body = body[..<dash]
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers = [0, 0, 0]
        var wildcardFrom: Int?
        for (index, part) in parts.enumerated() {
            if ["x", "X", "*"].contains(part) {
                guard allowWildcards else { return nil }
                wildcardFrom = wildcardFrom ?? index
                continue
            }
            guard wildcardFrom == nil, let number = Int(part), number >= 0, part.allSatisfy(\.isASCII),
                  part == "0" || !part.hasPrefix("0") else { return nil }
            numbers[index] = number
        }
        if parts.count < 3 { wildcardFrom = wildcardFrom ?? parts.count }
        // Loose tags such as `v1.2` are full versions when wildcards are not in play.
        if !allowWildcards { wildcardFrom = nil }
        guard wildcardFrom == nil || prerelease.isEmpty else { return nil }
        return Partial(version: SemanticVersion(numbers[0], numbers[1], numbers[2], prerelease: prerelease), wildcardFrom: wildcardFrom)
    }

    private static func isIdentifier(_ part: Substring) -> Bool {
        !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
