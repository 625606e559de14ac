/// A strict Semantic Versioning 2.0.0 version, optionally written with a leading `v`, as Flux
/// reads image tags: `1.2.3`, `v1.2.3-rc.1+build.5`; `1.2` and `01.2.3` are not versions.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major number.
    public var major: UInt64
    /// The minor number.
    public var minor: UInt64
    /// The patch number.
    public var patch: UInt64
    /// The dot-separated pre-release identifiers (empty for a release).
    public var prerelease: [String]
    /// The build metadata, ignored in comparisons.
    public var build: String
    /// The text the version was parsed from.
    public var original: String

    /// Whether this is a pre-release (`1.0.0-rc.1`).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    /// Creates a version from numbers (used for range bounds).
    public init(_ major: UInt64, _ minor: UInt64, _ patch: UInt64, prerelease: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        build = ""
        original = "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
    }

    /// Parses a strict semantic version with an optional leading `v`; `nil` if `text` is not one.
    public init?(_ text: String) {
        var rest = Substring(text)
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        var build = ""
        if let plus = rest.firstIndex(of: "+") {
            build = String(rest[rest.index(after: plus)...])
            rest = rest[..<plus]
            guard Self.identifiersValid(build, numericRule: false) else { return nil }
        }
        var prerelease: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            let pre = String(rest[rest.index(after: dash)...])
            rest = rest[..<dash]
            guard Self.identifiersValid(pre, numericRule: true) else { return nil }
            prerelease = pre.split(separator: ".").map(String.init)
        }
        let numbers = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3 else { return nil }
        var parsed: [UInt64] = []
        for number in numbers {
            guard !number.isEmpty, number.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                number == "0" || !number.hasPrefix("0"), let value = UInt64(number)
            else { return nil }
            parsed.append(value)
        }
        (major, minor, patch) = (parsed[0], parsed[1], parsed[2])
        self.prerelease = prerelease
        self.build = build
        original = text
    }

    /// Identifiers are non-empty `[0-9A-Za-z-]`; numeric pre-release identifiers have no leading zero.
    private static func identifiersValid(_ text: String, numericRule: Bool) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { part in
            guard !part.isEmpty, part.utf8.allSatisfy({ isIdentifierByte($0) }) else { return false }
            let numeric = part.utf8.allSatisfy { (0x30...0x39).contains($0) }
            return !(numericRule && numeric && part.count > 1 && part.hasPrefix("0"))
        }
    }

    private static func isIdentifierByte(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == UInt8(ascii: "-")
    }

    /// The text the version was parsed from.
    public var description: String { original }

    /// Precedence as SemVer defines it; build metadata does not count.
    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool { compare(lhs, rhs) < 0 }

    /// Equal precedence (build metadata and a leading `v` do not count).
    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool { compare(lhs, rhs) == 0 }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(prerelease)
    }

    /// -1, 0 or 1 by SemVer precedence.
    static func compare(_ a: SemanticVersion, _ b: SemanticVersion) -> Int {
        for (x, y) in [(a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)] where x != y { return x < y ? -1 : 1 }
        switch (a.prerelease.isEmpty, b.prerelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return comparePrerelease(a.prerelease, b.prerelease)
        }
    }

    private static func comparePrerelease(_ a: [String], _ b: [String]) -> Int {
        for (x, y) in zip(a, b) where x != y {
            switch (UInt64(x), UInt64(y)) {
            case (let m?, let n?): return m < n ? -1 : 1
            case (.some, nil): return -1  // numeric identifiers sort before alphanumeric ones
            case (nil, .some): return 1
            case (nil, nil): return x < y ? -1 : 1
            }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
