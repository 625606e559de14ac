/// Flux's `filterTags`: a regular expression tags must match, and an optional `extract`
/// template (`$ts`, `${ts}`, `$1`) that builds the value the policy compares.
public struct TagFilter: Sendable {
    /// A tag that passed the filter, with the value the policy compares.
    public struct Candidate: Sendable, Hashable {
        /// The tag as the registry lists it.
        public var tag: String
        /// The extracted value (the tag itself without `extract`).
        public var value: String
    }

    /// The pattern as written (Go RE2 syntax; `(?P<name>...)` groups are accepted).
    public let pattern: String
    /// The extraction template; empty keeps the whole tag.
    public let extract: String
    /// `Regex` is not `Sendable`, but it is immutable once compiled and only matched here.
    private nonisolated(unsafe) let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`; the error names the pattern.
    public init(pattern: String, extract: String = "") throws(ImageAutomationError) {
        self.pattern = pattern
        self.extract = extract
        do { regex = try Regex(pattern) } catch {
            throw ImageAutomationError(.invalidPolicy, "filterTags.pattern is not a valid regular expression", subject: pattern)
        }
    }

    /// The tags the pattern finds a match in, each with its extracted value. When two tags
    /// extract the same value, the later one is kept.
    public func apply(_ tags: [String]) throws(ImageAutomationError) -> [Candidate] {
        var byValue: [String: Int] = [:]
        var result: [Candidate] = []
        for tag in tags {
            guard let match = try? regex.firstMatch(in: tag) else { continue }
            let value = extract.isEmpty ? tag : expand(match)
            if let index = byValue[value] {
                result[index] = Candidate(tag: tag, value: value)
            } else {
                byValue[value] = result.count
                result.append(Candidate(tag: tag, value: value))
            }
        }
        return result
    }

    /// Expands `$name`, `${name}`, `$1` and `$$` the way Go's `Regexp.Expand` does; unknown groups are empty.
    private func expand(_ match: Regex<AnyRegexOutput>.Match) -> String {
        var out = ""
        var chars = Substring(extract)
        while let dollar = chars.firstIndex(of: "$") {
            out += chars[..<dollar]
            chars = chars[chars.index(after: dollar)...]
            if chars.first == "$" {
                out += "$"
                chars = chars.dropFirst()
                continue
            }
            var name: Substring
            if chars.first == "{", let close = chars.firstIndex(of: "}") {
                name = chars[chars.index(after: chars.startIndex)..<close]
                chars = chars[chars.index(after: close)...]
            } else {
                name = chars.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
                chars = chars.dropFirst(name.count)
            }
            if name.isEmpty {
                out += "$"
                continue
            }
            out += group(String(name), in: match)
        }
        return out + chars
    }

    private func group(_ name: String, in match: Regex<AnyRegexOutput>.Match) -> String {
        if let index = Int(name) {
            guard index < match.output.count, let sub = match.output[index].substring else { return "" }
            return String(sub)
        }
        return match.output[name]?.substring.map(String.init) ?? ""
    }
}
