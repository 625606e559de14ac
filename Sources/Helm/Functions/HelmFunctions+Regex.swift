import Foundation
import GoTemplate

extension HelmFunctions {
    /// Sprig's regular expression functions (Go RE2 syntax, which ICU reads the same way for what charts use).
    static func regex() -> [String: GoFunction] {
        var map: [String: GoFunction] = [
            "regexQuoteMeta": .stringToString { text in
                String(text.flatMap { "\\.+*?()|[]{}^$".contains($0) ? ["\\", $0] : [$0] })
            }
        ]
        let functions: [(String, [GoParameter], @Sendable (NSRegularExpression, [Value]) -> Value)] = [
            ("regexMatch", [.string, .string], { regex, a in .bool(!matches(regex, a[1].text, limit: 1).isEmpty) }),
            (
                "regexFind", [.string, .string],
                { regex, a in .string(matches(regex, a[1].text, limit: 1).first.map { substring(a[1].text, $0.range) } ?? "") }
            ),
            (
                "regexFindAll", [.string, .string, .int],
                { regex, a in
                    .strings(matches(regex, a[1].text, limit: a[2].integer).map { substring(a[1].text, $0.range) })
                }
            ),
            (
                "regexReplaceAll", [.string, .string, .string],
                { regex, a in .string(replace(regex, a[1].text) { expand(a[2].text, $0, a[1].text, regex) }) }
            ),
            ("regexReplaceAllLiteral", [.string, .string, .string], { regex, a in .string(replace(regex, a[1].text) { _ in a[2].text }) }),
            ("regexSplit", [.string, .string, .int], { regex, a in .strings(split(regex, a[1].text, a[2].integer)) }),
        ]
        for (name, parameters, body) in functions {
            let function = GoFunction(parameters) { a, _ in
                let regex = try compile(a[0].text)
                return body(regex, a)
            }
            map[name] = function
            map["must" + name.prefix(1).uppercased() + name.dropFirst()] = function
        }
        // Sprig's plain regexMatch swallows a bad pattern; the others panic with MustCompile's text.
        map["regexMatch"] = GoFunction([.string, .string]) { a, _ in
            guard let regex = try? compile(a[0].text) else { return .bool(false) }
            return .bool(!matches(regex, a[1].text, limit: 1).isEmpty)
        }
        for name in ["regexFind", "regexFindAll", "regexReplaceAll", "regexReplaceAllLiteral", "regexSplit"] {
            let inner = map[name]!
            map[name] = GoFunction(inner.parameters) { a, context in
                do {
                    return try inner.body(a, context)
                } catch let error as GoFunctionError {
                    throw GoFunctionError("regexp: Compile(" + GoQuote.backquote(a[0].text) + "): " + error.message)
                }
            }
        }
        return map
    }

    static func compile(_ pattern: String) throws(GoFunctionError) -> NSRegularExpression {
        do {
            // ICU spells Go's `(?P<name>…)` groups `(?<name>…)`.
            return try NSRegularExpression(pattern: pattern.replacingOccurrences(of: "(?P<", with: "(?<"))
        } catch {
            throw GoFunctionError("error parsing regexp: " + syntaxError(pattern))
        }
    }

    /// Go's wording for the common syntax errors (unbalanced brackets and parentheses).
    private static func syntaxError(_ pattern: String) -> String {
        let opened = pattern.filter { $0 == "(" }.count
        let closed = pattern.filter { $0 == ")" }.count
        if let bracket = pattern.firstIndex(of: "["), !pattern[bracket...].dropFirst().contains("]") {
            return "missing closing ]: " + GoQuote.backquote(String(pattern[bracket...]))
        }
        if opened > closed { return "missing closing ): " + GoQuote.backquote(pattern) }
        if closed > opened { return "unexpected ): " + GoQuote.backquote(pattern) }
        if let first = pattern.first, "*+?".contains(first) { return "missing argument to repetition operator: " + GoQuote.backquote(String(first)) }
        return "invalid or unsupported Perl syntax: " + GoQuote.backquote(pattern)
    }

    private static func matches(_ regex: NSRegularExpression, _ text: String, limit: Int) -> [NSTextCheckingResult] {
        if limit == 0 { return [] }
        let all = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
        var out: [NSTextCheckingResult] = []
        var previousEnd = -1
        for match in all {
            // Go skips an empty match right after the previous match.
            if match.range.length == 0, match.range.location == previousEnd { continue }
            out.append(match)
            previousEnd = match.range.location + match.range.length
            if limit > 0, out.count == limit { break }
        }
        return out
    }

    private static func substring(_ text: String, _ range: NSRange) -> String {
        guard range.location != NSNotFound, let swiftRange = Range(range, in: text) else { return "" }
        return String(text[swiftRange])
    }

    private static func replace(_ regex: NSRegularExpression, _ text: String, _ replacement: (NSTextCheckingResult) -> String) -> String {
        var out = ""
        var last = text.startIndex
        for match in matches(regex, text, limit: -1) {
            guard let range = Range(match.range, in: text) else { continue }
            out += text[last..<range.lowerBound] + replacement(match)
            last = range.upperBound
        }
        return out + text[last...]
    }

    /// Go's `Regexp.Expand` template: `$1`, `${1}`, `$name`, `${name}`, `$$`.
    private static func expand(_ template: String, _ match: NSTextCheckingResult, _ text: String, _ regex: NSRegularExpression) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.hasPrefix("$") {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            var name: Substring
            if rest.hasPrefix("{") {
                guard let close = rest.firstIndex(of: "}") else {
                    out += "$"
                    continue
                }
                name = rest[rest.index(after: rest.startIndex)..<close]
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    out += "$"
                    continue
                }
                rest = rest[rest.index(after: close)...]
            } else {
                name = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                guard !name.isEmpty else {
                    out += "$"
                    continue
                }
                rest = rest.dropFirst(name.count)
            }
            if let number = Int(name) {
                if number < match.numberOfRanges { out += substring(text, match.range(at: number)) }
            } else {
                out += substring(text, match.range(withName: String(name)))
            }
        }
        return out + rest
    }

    /// Go's `Regexp.Split`.
    private static func split(_ regex: NSRegularExpression, _ text: String, _ count: Int) -> [String] {
        if count == 0 { return [] }
        if !regex.pattern.isEmpty, text.isEmpty { return [""] }
        var parts: [String] = []
        var begin = text.startIndex
        var end = text.startIndex
        for match in matches(regex, text, limit: count) {
            if count > 0, parts.count == count - 1 { break }
            guard let range = Range(match.range, in: text) else { continue }
            end = range.lowerBound
            if range.upperBound != text.startIndex { parts.append(String(text[begin..<end])) }
            begin = range.upperBound
        }
        if end != text.endIndex { parts.append(String(text[begin...])) }
        return parts
    }
}

extension GoQuote {
    /// Go's `%#q` for text without backquotes: the text in backquotes.
    static func backquote(_ text: String) -> String { text.contains("`") ? quote(text) : "`" + text + "`" }
}
