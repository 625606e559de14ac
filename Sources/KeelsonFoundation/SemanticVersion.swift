/// A Semantic Versioning 2.0.0 version: `1.2.3`, `v1.2.3-rc.1+build.5`.
///
/// Two readings, as Flux has them: `init?(_:)` is strict (image tags: exactly three numbers, an
/// optional leading `v`), `init?(lenient:)` also takes `V` and the short forms `1` and `1.2`
/// (Git tags; missing parts are 0). Precedence ignores build metadata.
///
/// ```swift
/// SemanticVersion("v1.2.3-rc.1")! < SemanticVersion("1.2.3")!  // true
/// SemanticVersion(lenient: "v1.2")?.description  // "1.2.0"
/// ```
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major number.
    public var major: UInt64
    /// The minor number.
    public var minor: UInt64
    /// The patch number.
    public var patch: UInt64
    /// The dot-separated pre-release identifiers (empty for a release).
    public var prerelease: [String]
    /// The build metadata (empty when none), ignored in comparisons.
    public var build: String

    /// Creates a version from its parts.
    public init(_ major: UInt64, _ minor: UInt64, _ patch: UInt64, prerelease: [String] = [], build: String = "") {
        (self.major, self.minor, self.patch) = (major, minor, patch)
        (self.prerelease, self.build) = (prerelease, build)
    }

    /// Parses a strict version with an optional leading `v`; `nil` if `text` is not one.
    public init?(_ text: String) {
        guard let parsed = Self.parse(text, lenient: false) else { return nil }
        self = parsed
    }

    /// Parses a version as a Git tag writes it: a leading `v` or `V`, and `1` or `1.2` for `1.0.0` and `1.2.0`.
    public init?(lenient text: String) {
        guard let parsed = Self.parse(text, lenient: true) else { return nil }
        self = parsed
    }

    /// Whether this is a pre-release (`1.0.0-rc.1`).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    /// `major.minor.patch`, then `-prerelease` and `+build` when present.
    public var description: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: ".")) + (build.isEmpty ? "" : "+" + build)
    }

    /// Precedence as SemVer defines it; build metadata does not count.
    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool { compare(lhs, rhs) < 0 }

    /// Equal precedence (build metadata does not count).
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
        case (false, false): break
        }
        for (x, y) in zip(a.prerelease, b.prerelease) where x != y {
            switch (UInt64(x), UInt64(y)) {
            case (let m?, let n?): return m < n ? -1 : 1
            case (.some, nil): return -1  // numeric identifiers sort before alphanumeric ones
            case (nil, .some): return 1
            case (nil, nil): return x < y ? -1 : 1
            }
        }
        return a.prerelease.count == b.prerelease.count ? 0 : (a.prerelease.count < b.prerelease.count ? -1 : 1)
    }

    private static func parse(_ text: String, lenient: Bool) -> SemanticVersion? {
        var rest = Substring(text)
        if rest.hasPrefix("v") || (lenient && rest.hasPrefix("V")) { rest = rest.dropFirst() }
        var build = ""
        if let plus = rest.firstIndex(of: "+") {
            build = String(rest[rest.index(after: plus)...])
            rest = rest[..<plus]
            guard identifiersValid(build, numeric: false) else { return nil }
        }
        var prerelease: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            let text = String(rest[rest.index(after: dash)...])
            rest = rest[..<dash]
            guard identifiersValid(text, numeric: true) else { return nil }
            prerelease = text.split(separator: ".").map(String.init)
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 || (lenient && (1...2).contains(parts.count)) else { return nil }
        var numbers: [UInt64] = [0, 0, 0]
        for (index, part) in parts.enumerated() {
            guard let number = number(part) else { return nil }
            numbers[index] = number
        }
        return SemanticVersion(numbers[0], numbers[1], numbers[2], prerelease: prerelease, build: build)
    }

    /// A version number: ASCII digits without a leading zero.
    static func number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.utf8.allSatisfy({ (0x30...0x39).contains($0) }), part == "0" || !part.hasPrefix("0") else { return nil }
        return UInt64(part)
    }

    /// Identifiers are non-empty `[0-9A-Za-z-]`; numeric pre-release identifiers have no leading zero.
    public static func identifiersValid(_ text: String, numeric: Bool) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard !part.isEmpty, part.utf8.allSatisfy(isIdentifierByte) else { return false }
            let isNumber = part.utf8.allSatisfy { (0x30...0x39).contains($0) }
            return !(numeric && isNumber && part.count > 1 && part.hasPrefix("0"))
        }
    }

    private static func isIdentifierByte(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == UInt8(ascii: "-")
    }
}
