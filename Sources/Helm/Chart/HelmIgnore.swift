/// `.helmignore` rules in Helm's own dialect (not gitignore): Go `filepath.Match` patterns, a
/// pattern without `/` matches the base name, a leading `/` anchors to the chart's root, a
/// trailing `/` matches directories only, `**` is an error, and the first matching rule wins.
///
/// A `!` rule is Helm's inverted one: a path it does *not* match is ignored, one it matches
/// goes on to the next rule.
public struct HelmIgnore: Sendable {
    struct Rule: Sendable {
        var pattern: String
        var negate: Bool
        var directoryOnly: Bool
        var scope: Scope
        enum Scope { case root, structural, baseName }
    }

    private var rules: [Rule] = []

    /// Parses the text of a `.helmignore`.
    public init(_ text: String) throws(ChartError) {
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            try add(String(line.hasSuffix("\r") ? line.dropLast() : line))
        }
    }

    /// No rules.
    public init() {}

    /// Adds Helm's default rule: dotfiles directly under `templates/` are ignored.
    public mutating func addDefaults() {
        try? add("templates/.?*")
    }

    private mutating func add(_ line: String) throws(ChartError) {
        var rule = line.trimmingWhitespace()
        if rule.isEmpty || rule.hasPrefix("#") { return }
        if rule.contains("**") { throw ChartError(.invalidIgnoreRule, "double-star (**) syntax is not supported", path: ".helmignore") }
        if GoPathMatch.match(rule, "abc") == nil { throw ChartError(.invalidIgnoreRule, "syntax error in pattern", path: ".helmignore") }
        var negate = false
        if rule.hasPrefix("!") {
            negate = true
            rule.removeFirst()
        }
        var directoryOnly = false
        if rule.hasSuffix("/") {
            directoryOnly = true
            rule.removeLast()
        }
        let scope: Rule.Scope
        if rule.hasPrefix("/") {
            scope = .root
            rule.removeFirst()
        } else {
            scope = rule.contains("/") ? .structural : .baseName
        }
        rules.append(Rule(pattern: rule, negate: negate, directoryOnly: directoryOnly, scope: scope))
    }

    /// Whether `path` (relative to the chart's root, `/`-separated) is ignored.
    public func ignores(_ path: String, isDirectory: Bool) -> Bool {
        if path.isEmpty || path == "." || path == "./" { return false }
        for rule in rules {
            let subject = rule.scope == .baseName ? String(path.split(separator: "/").last ?? "") : path
            let matches = GoPathMatch.match(rule.pattern, subject) ?? false
            if rule.negate {
                if rule.directoryOnly && !isDirectory { return true }
                if !matches { return true }
                continue
            }
            if rule.directoryOnly && !isDirectory { continue }
            if matches { return true }
        }
        return false
    }
}

extension String {
    /// The string without leading and trailing Unicode whitespace (Go's `strings.TrimSpace`).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}

/// Go's `path/filepath.Match` on Unix: `*` and `?` stop at `/`, `[...]` classes with `^`
/// negation and ranges, `\` escapes; nil when the pattern is malformed.
enum GoPathMatch {
    static func match(_ pattern: String, _ name: String) -> Bool? {
        let p = Array(pattern.unicodeScalars)
        let n = Array(name.unicodeScalars)
        return match(p[...], n[...])
    }

    private static func match(_ pattern: ArraySlice<Unicode.Scalar>, _ name: ArraySlice<Unicode.Scalar>) -> Bool? {
        var p = pattern
        var n = name
        while let c = p.first {
            switch c {
            case "*":
                var rest = p.dropFirst()
                while rest.first == "*" { rest = rest.dropFirst() }
                if rest.isEmpty {
                    // Validate nothing remains; a trailing star matches the rest without `/`.
                    return !n.contains("/")
                }
                var candidate = n
                while true {
                    guard let result = match(rest, candidate) else { return nil }
                    if result { return true }
                    guard let first = candidate.first, first != "/" else { break }
                    candidate = candidate.dropFirst()
                }
                // Check the rest of the pattern is well-formed, as Go reports ErrBadPattern.
                return validate(rest) ? false : nil
            case "?":
                guard let first = n.first, first != "/" else { return validate(p.dropFirst()) ? false : nil }
                p = p.dropFirst()
                n = n.dropFirst()
            case "[":
                guard let (matched, rest) = characterClass(p.dropFirst(), n.first) else { return nil }
                guard matched, let first = n.first, first != "/" else { return validate(rest) ? false : nil }
                p = rest
                n = n.dropFirst()
            case "\\":
                p = p.dropFirst()
                guard let escaped = p.first else { return nil }
                guard n.first == escaped else { return validate(p.dropFirst()) ? false : nil }
                p = p.dropFirst()
                n = n.dropFirst()
            default:
                guard n.first == c else { return validate(p.dropFirst()) ? false : nil }
                p = p.dropFirst()
                n = n.dropFirst()
            }
        }
        return n.isEmpty
    }

    /// Whether the rest of a pattern is well-formed.
    private static func validate(_ pattern: ArraySlice<Unicode.Scalar>) -> Bool {
        var p = pattern
        while let c = p.first {
            switch c {
            case "[":
                guard let (_, rest) = characterClass(p.dropFirst(), nil) else { return false }
                p = rest
            case "\\":
                p = p.dropFirst()
                if p.isEmpty { return false }
                p = p.dropFirst()
            default:
                p = p.dropFirst()
            }
        }
        return true
    }

    /// Reads a class after `[`; whether `scalar` is in it and the pattern after `]`, or nil when malformed.
    private static func characterClass(_ pattern: ArraySlice<Unicode.Scalar>, _ scalar: Unicode.Scalar?) -> (Bool, ArraySlice<Unicode.Scalar>)? {
        var p = pattern
        var negated = false
        if p.first == "^" {
            negated = true
            p = p.dropFirst()
        }
        var matched = false
        var count = 0
        while true {
            guard let c = p.first else { return nil }
            if c == "]" && count > 0 { return (matched != negated, p.dropFirst()) }
            guard let low = readClassChar(&p) else { return nil }
            var high = low
            if p.first == "-" {
                p = p.dropFirst()
                guard let upper = readClassChar(&p) else { return nil }
                high = upper
            }
            if let scalar, low <= scalar, scalar <= high { matched = true }
            count += 1
        }
    }

    private static func readClassChar(_ p: inout ArraySlice<Unicode.Scalar>) -> Unicode.Scalar? {
        guard let c = p.first, c != "-", c != "]" else { return nil }
        p = p.dropFirst()
        if c == "\\" {
            guard let escaped = p.first else { return nil }
            p = p.dropFirst()
            return escaped
        }
        return c
    }
}
