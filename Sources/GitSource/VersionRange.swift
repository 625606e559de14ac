/// A semver range over tags, with npm's grammar: comparators (`>=1.2.0 <2.0.0`), caret
/// (`^1.2`), tilde (`~1.2.3`), x-ranges (`1.x`, `*`), hyphen ranges (`1.2 - 1.4`) and `||`.
/// Pre-releases match only when a comparator of the same set names a pre-release of the
/// same major.minor.patch, as in npm and Masterminds semver.
///
/// ```swift
/// let range = try VersionRange("^1.2")
/// range.contains(SemanticVersion("1.9.0")!)  // true
/// ```
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    enum Operator: String, Sendable, Hashable { case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "=" }

    struct Comparator: Sendable, Hashable {
        var op: Operator
        var version: SemanticVersion
        /// True for bounds the desugaring added (`<2.0.0-0`): they never admit pre-releases.
        var synthetic = false

        func admits(_ candidate: SemanticVersion) -> Bool {
            switch op {
            case .less: candidate < version
            case .lessOrEqual: candidate <= version
            case .greater: candidate > version
            case .greaterOrEqual: candidate >= version
            case .equal: candidate == version
            }
        }
    }

    /// The range as written.
    public let description: String
    let sets: [[Comparator]]

    /// Parses `text`; throws `.invalidRevision` when it is not a range.
    public init(_ text: String) throws(GitError) {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.count <= 256 else { throw Self.invalid(text, "it is empty or too long") }
        var sets: [[Comparator]] = []
        for alternative in trimmed.components(separatedBy: "||") {
            sets.append(try Self.parseSet(alternative, whole: text))
        }
        self.description = trimmed
        self.sets = sets
    }

    /// Whether `version` is in the range.
    public func contains(_ version: SemanticVersion) -> Bool {
        sets.contains { set in
            guard set.allSatisfy({ $0.admits(version) }) else { return false }
            guard version.isPrerelease else { return true }
            return set.contains { !$0.synthetic && $0.version.isPrerelease
                && ($0.version.major, $0.version.minor, $0.version.patch) == (version.major, version.minor, version.patch) }
        }
    }

    /// The highest version in the range among `candidates`, with its payload (a tag's commit).
    public func best<Payload>(of candidates: [(version: SemanticVersion, payload: Payload)]) -> (version: SemanticVersion, payload: Payload)? {
        candidates.filter { contains($0.version) }.max { $0.version < $1.version }
    }

    private static func invalid(_ text: String, _ reason: String) -> GitError {
        GitError(.invalidRevision, "'\(RefName.printable(text))' is not a version range: \(reason)")
    }

    private static func parseSet(_ text: String, whole: String) throws(GitError) -> [Comparator] {
        let words = tokens(text)
        if words.isEmpty { return [Comparator(op: .greaterOrEqual, version: SemanticVersion(0, 0, 0), synthetic: true)] }
        if words.count == 3, words[1] == "-" {
            guard let low = SemanticVersion.parse(words[0], allowWildcards: true),
                  let high = SemanticVersion.parse(words[2], allowWildcards: true) else { throw invalid(whole, "a bound of the hyphen range is not a version") }
            return lowerBound(low) + upperBoundInclusive(high)
        }
        var comparators: [Comparator] = []
        for word in words {
            let opText = String(word.prefix { "<>=~^".contains($0) })
            var rest = String(word.dropFirst(opText.count))
            var op = opText
            if op == "~", rest.hasPrefix(">") { op = "~>"; rest.removeFirst() }
            guard let partial = SemanticVersion.parse(rest, allowWildcards: true) else {
                throw invalid(whole, "'\(RefName.printable(word))' is not a comparator")
            }
            comparators += try desugar(op, partial, whole: whole)
        }
        return comparators
    }

    /// Words of one alternative: commas and spaces separate; an operator sticks to the next word.
    private static func tokens(_ text: String) -> [String] {
        let raw = text.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        var words: [String] = []
        var pendingOperator = ""
        for word in raw {
            if word.allSatisfy({ "<>=~^".contains($0) }) {
                pendingOperator += word
            } else {
                words.append(pendingOperator + word)
                pendingOperator = ""
            }
        }
        if !pendingOperator.isEmpty { words.append(pendingOperator) }
        return words
    }

    private static func desugar(_ op: String, _ partial: SemanticVersion.Partial, whole: String) throws(GitError) -> [Comparator] {
        let v = partial.version
        let any = [Comparator(op: .greaterOrEqual, version: SemanticVersion(0, 0, 0), synthetic: true)]
        let none = [Comparator(op: .less, version: SemanticVersion(0, 0, 0, prerelease: ["0"]), synthetic: true)]
        switch (op, partial.wildcardFrom) {
        case ("", nil), ("=", nil): return [Comparator(op: .equal, version: v)]
        case ("", _), ("=", _): return lowerBound(partial) + upperBoundInclusive(partial)
        case (">", nil): return [Comparator(op: .greater, version: v)]
        case (">", 0): return none
        case (">", 1): return [Comparator(op: .greaterOrEqual, version: SemanticVersion(v.major + 1, 0, 0))]
        case (">", _): return [Comparator(op: .greaterOrEqual, version: SemanticVersion(v.major, v.minor + 1, 0))]
        case (">=", _): return lowerBound(partial)
        case ("<", nil): return [Comparator(op: .less, version: v)]
        case ("<", 0): return none
        case ("<", _): return [Comparator(op: .less, version: SemanticVersion(v.major, v.minor, 0, prerelease: ["0"]), synthetic: true)]
        case ("<=", _): return upperBoundInclusive(partial)
        case ("~", 0), ("~>", 0), ("^", 0): return any
        case ("~", _), ("~>", _):
            let upper = partial.wildcardFrom == 1 ? SemanticVersion(v.major + 1, 0, 0, prerelease: ["0"]) : SemanticVersion(v.major, v.minor + 1, 0, prerelease: ["0"])
            return lowerBound(partial) + [Comparator(op: .less, version: upper, synthetic: true)]
        case ("^", let from):
            let upper: SemanticVersion
            if v.major > 0 || from == 1 {
                upper = SemanticVersion(v.major + 1, 0, 0, prerelease: ["0"])
            } else if v.minor > 0 || from == 2 {
                upper = SemanticVersion(0, v.minor + 1, 0, prerelease: ["0"])
            } else {
                upper = SemanticVersion(0, 0, v.patch + 1, prerelease: ["0"])
            }
            return lowerBound(partial) + [Comparator(op: .less, version: upper, synthetic: true)]
        default:
            throw invalid(whole, "'\(op)' is not an operator")
        }
    }

    private static func lowerBound(_ partial: SemanticVersion.Partial) -> [Comparator] {
        if partial.wildcardFrom == 0 { return [Comparator(op: .greaterOrEqual, version: SemanticVersion(0, 0, 0), synthetic: true)] }
        return [Comparator(op: .greaterOrEqual, version: partial.version, synthetic: partial.wildcardFrom != nil)]
    }

    private static func upperBoundInclusive(_ partial: SemanticVersion.Partial) -> [Comparator] {
        let v = partial.version
        switch partial.wildcardFrom {
        case nil: return [Comparator(op: .lessOrEqual, version: v)]
        case 0: return []
        case 1: return [Comparator(op: .less, version: SemanticVersion(v.major + 1, 0, 0, prerelease: ["0"]), synthetic: true)]
        default: return [Comparator(op: .less, version: SemanticVersion(v.major, v.minor + 1, 0, prerelease: ["0"]), synthetic: true)]
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
