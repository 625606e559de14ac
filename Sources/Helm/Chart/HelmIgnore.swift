/// `.helmignore` rules in Helm's own dialect (not gitignore): Go `filepath.Match` patterns, a
/// pattern without `/` matches the base name, a leading `/` anchors to the chart's root, a
/// trailing `/` matches directories only, `**` is an error, and the first matching rule wins.
///
/// A `!` rule is Helm's inverted one: a path it does *not* match is ignored, one it matches
/// goes on to the next rule.
public struct HelmIgnore: Sendable {
    struct Rule: Sendable {
        /// The pattern's scalars, split once rather than at every match.
        var pattern: [Unicode.Scalar]
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
        rules.append(Rule(pattern: Array(rule.unicodeScalars), negate: negate, directoryOnly: directoryOnly, scope: scope))
    }

    /// Whether `path` (relative to the chart's root, `/`-separated) is ignored.
    public func ignores(_ path: String, isDirectory: Bool) -> Bool {
        if path.isEmpty || path == "." || path == "./" { return false }
        let whole = Array(path.unicodeScalars)
        // The last non-empty component, as splitting at `/` gives it.
        var end = whole.endIndex
        while end > 0, whole[end - 1] == "/" { end -= 1 }
        let baseName = whole[(whole[..<end].lastIndex(of: "/").map { $0 + 1 } ?? 0)..<end]
        for rule in rules {
            let matches = GoPathMatch.match(rule.pattern[...], rule.scope == .baseName ? baseName : whole[...]) ?? false
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
