/// A semantic version range in the constraint syntax Flux reads for Git tags and image tags
/// (Masterminds semver v3): comparisons (`>=1.2.0 <2`), `~` and `^`, wildcards (`1.x`, `*`),
/// hyphen ranges (`1.2 - 1.4.5`), `,` or spaces for AND, `||` for OR.
///
/// A pre-release version matches only a comparison whose own version has a pre-release:
/// `>=1.0.0` never matches `1.1.0-rc.1`, `>=1.0.0-0` does.
///
/// ```swift
/// let range = try VersionRange("^1.2")
/// range.contains(SemanticVersion("1.9.0")!)  // true
/// ```
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    /// One comparison, such as `>=1.2.x`.
    struct Comparison: Sendable, Hashable {
        var op: Operator
        /// The bound, with wildcard parts set to zero.
        var version: SemanticVersion
        /// Which parts were a wildcard or missing, as Masterminds tracks them: `minorDirty` for
        /// `1` and `1.x` (patch too), `patchDirty` for `1.2` and `1.2.x`, `dirty` for any.
        var minorDirty, patchDirty, dirty: Bool
    }

    /// The comparison operators, spelled as the range syntax allows.
    enum Operator: String, Sendable, Hashable, CaseIterable {
        case tildeOrEqual = "", equal = "=", notEqual = "!=", greater = ">", less = "<"
        case greaterOrEqual = ">=", greaterOrEqualAlt = "=>", lessOrEqual = "<=", lessOrEqualAlt = "=<"
        case tilde = "~", tildeArrow = "~>", caret = "^"
    }

    /// Alternatives (OR) of conjunctions (AND).
    let alternatives: [[Comparison]]
    /// The range as written.
    public let text: String

    /// Parses `text`; the error names the part that is not a comparison.
    public init(_ text: String) throws(VersionRangeError) {
        guard text.count <= 256 else { throw Self.invalid(text, "it is longer than 256 characters") }
        self.text = text
        var parsed: [[Comparison]] = []
        for segment in Self.rewriteHyphens(text).split(separator: "||", omittingEmptySubsequences: false).map(String.init) {
            let tokens = try Self.tokens(of: segment, range: text)
            parsed.append(try tokens.map { token throws(VersionRangeError) in try Self.comparison(token, range: text) })
        }
        alternatives = parsed
    }

    /// The range as written.
    public var description: String { text }

    /// Whether `version` is in the range.
    public func contains(_ version: SemanticVersion) -> Bool {
        alternatives.contains { all in all.allSatisfy { $0.matches(version) } }
    }

    /// The highest version in the range among `candidates`, with its payload (a tag's commit).
    public func best<Payload>(of candidates: [(version: SemanticVersion, payload: Payload)]) -> (version: SemanticVersion, payload: Payload)? {
        candidates.filter { contains($0.version) }.max { $0.version < $1.version }
    }

    /// `A - B` becomes `>=A <=B`.
    private static func rewriteHyphens(_ text: String) -> String {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var index = 1
        while index + 1 < words.count {
            if words[index] == "-", startsVersion(words[index - 1]), startsVersion(words[index + 1]) {
                words.replaceSubrange(index - 1...index + 1, with: [">=" + words[index - 1], "<=" + words[index + 1]])
            }
            index += 1
        }
        return words.joined(separator: " ")
    }

    private static func startsVersion(_ word: String) -> Bool {
        guard let first = word.first else { return false }
        return first.isNumber || first == "v" || first == "x" || first == "X" || first == "*"
    }

    /// Splits an AND segment on spaces and commas, joining a lone operator to the version after it.
    private static func tokens(of segment: String, range: String) throws(VersionRangeError) -> [String] {
        let words = segment.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        var tokens: [String] = []
        var pendingOperator: String?
        for word in words {
            if Operator(rawValue: word) != nil, !word.isEmpty {
                guard pendingOperator == nil else { throw invalid(range, "operator \(word) follows another operator") }
                pendingOperator = word
            } else {
                tokens.append((pendingOperator ?? "") + word)
                pendingOperator = nil
            }
        }
        if let pendingOperator { throw invalid(range, "operator \(pendingOperator) has no version") }
        guard !tokens.isEmpty else { throw invalid(range, "a range alternative is empty") }
        return tokens
    }

    private static func comparison(_ token: String, range: String) throws(VersionRangeError) -> Comparison {
        let opText = String(token.prefix(while: { "=!<>~^".contains($0) }))
        guard let op = Operator(rawValue: opText) else { throw invalid(range, "unknown operator \(opText) in \(token)") }
        var rest = Substring(token.dropFirst(opText.count))
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        if let plus = rest.firstIndex(of: "+") { rest = rest[..<plus] }
        var prerelease: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            rest = rest[..<dash]
            guard SemanticVersion.identifiersValid(prerelease.joined(separator: "."), numeric: true) else {
                throw invalid(range, "\(token) has a malformed pre-release")
            }
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count) else { throw invalid(range, "\(token) is not a version") }
        var numbers: [UInt64] = []
        var wildcard = false
        for part in parts {
            if ["x", "X", "*"].contains(part) {
                wildcard = true
                continue
            }
            guard !wildcard, let n = SemanticVersion.number(Substring(part)) else { throw invalid(range, "\(token) is not a version") }
            numbers.append(n)
        }
        let bound = SemanticVersion(
            numbers.count > 0 ? numbers[0] : 0, numbers.count > 1 ? numbers[1] : 0, numbers.count > 2 ? numbers[2] : 0,
            prerelease: prerelease)
        // As Masterminds does: `*` is only dirty, `1` is minor-dirty, `1.2` patch-dirty.
        return Comparison(
            op: op, version: bound, minorDirty: numbers.count == 1, patchDirty: numbers.count == 2, dirty: numbers.count < 3)
    }

    private static func invalid(_ range: String, _ why: String) -> VersionRangeError { VersionRangeError(range: range, message: why) }
}

/// Why a version range could not be read.
public struct VersionRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The range as given.
    public var range: String
    /// What is wrong with it.
    public var message: String
    public var description: String { "invalid semver range '\(range)': \(message)" }
}
