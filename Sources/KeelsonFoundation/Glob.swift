/// A path pattern for `--include` and `--exclude`: `*` and `?` match within one path
/// component, `**` across components, `[abc]`/`[a-z]`/`[!x]` one character, `{a,b}` either
/// alternative. A pattern without `/` matches a file's base name; with `/`, its whole path
/// relative to the render root.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let alternatives: [[Character]]
    private let matchesBaseName: Bool

    /// Parses a pattern; absolute patterns and `..` are refused, since matching can only
    /// ever select files inside the root.
    public init(_ pattern: String) throws(SecureRootError) {
        if pattern.hasPrefix("/") {
            throw SecureRootError(.absolutePath, path: pattern, "patterns are relative to the render root")
        }
        if pattern.split(separator: "/").contains("..") {
            throw SecureRootError(.parentReference, path: pattern, "'..' is not allowed in a pattern")
        }
        self.pattern = pattern
        self.alternatives = Self.expandBraces(Array(pattern))
        self.matchesBaseName = !pattern.contains("/")
    }

    public var description: String { pattern }

    /// Whether the relative path `path` matches.
    public func matches(_ path: String) -> Bool {
        let subject = matchesBaseName ? String(path.split(separator: "/").last ?? "") : path
        let text = Array(subject)
        return alternatives.contains { Self.match($0[...], text[...]) }
    }

    private static func expandBraces(_ pattern: [Character]) -> [[Character]] {
        guard let open = pattern.firstIndex(of: "{") else { return [pattern] }
        var depth = 0
        var close: Int?
        var splits: [Int] = []
        for index in open..<pattern.count {
            switch pattern[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { close = index }
            case "," where depth == 1: splits.append(index)
            default: break
            }
            if close != nil { break }
        }
        guard let close else { return [pattern] }
        let bounds = [open] + splits + [close]
        var result: [[Character]] = []
        for (start, end) in zip(bounds, bounds.dropFirst()) {
            let choice = Array(pattern[(start + 1)..<end])
            result += expandBraces(Array(pattern[..<open]) + choice + Array(pattern[(close + 1)...]))
        }
        return result
    }

    private static func match(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
        guard let head = pattern.first else { return text.isEmpty }
        switch head {
        case "*":
            if pattern.dropFirst().first == "*" {
                var rest = pattern.dropFirst(2)
                if rest.first == "/" { rest = rest.dropFirst() }  // `**/x` also matches `x`
                var candidate = text
                while true {
                    if match(rest, candidate) { return true }
                    guard !candidate.isEmpty else { return false }
                    candidate = candidate.dropFirst()
                }
            }
            var candidate = text
            while true {
                if match(pattern.dropFirst(), candidate) { return true }
                guard let next = candidate.first, next != "/" else { return false }
                candidate = candidate.dropFirst()
            }
        case "?":
            guard let next = text.first, next != "/" else { return false }
            return match(pattern.dropFirst(), text.dropFirst())
        case "[":
            guard let next = text.first, next != "/", let end = pattern.dropFirst(2).firstIndex(of: "]") else {
                return text.first == "[" && match(pattern.dropFirst(), text.dropFirst())
            }
            var set = pattern[(pattern.startIndex + 1)..<end]
            let negated = set.first == "!" || set.first == "^"
            if negated { set = set.dropFirst() }
            var found = false
            var index = set.startIndex
            while index < set.endIndex {
                let low = set[index]
                if index + 2 < set.endIndex, set[index + 1] == "-" {
                    if low <= next && next <= set[index + 2] { found = true }
                    index += 3
                } else {
                    if low == next { found = true }
                    index += 1
                }
            }
            guard found != negated else { return false }
            return match(pattern[(end + 1)...], text.dropFirst())
        default:
            guard text.first == head else { return false }
            return match(pattern.dropFirst(), text.dropFirst())
        }
    }
}
