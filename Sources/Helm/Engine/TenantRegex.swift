/// The regular expressions a tenant may have Keelson run (`find.name.regexp`, `rewrite[].regexp`,
/// a template's `regexMatch`…). ESO runs them on Go's RE2, which takes linear time; Swift's `Regex`
/// backtracks, so `(a+)+$` can pin a core for ever. The shapes that backtrack without end are
/// refused: nested quantifiers (a quantified group holding a quantifier) and backreferences, and
/// the pattern's length is capped.
public enum TenantRegex {
    /// The longest pattern accepted.
    public static let maximumLength = 256
    /// The longest text a name pattern is matched against (longer names do not match).
    public static let maximumInput = 4096

    /// Why `pattern` is refused, or `nil` when it may run.
    public static func refusal(_ pattern: String) -> String? {
        guard pattern.utf8.count <= maximumLength else { return "it is longer than \(maximumLength) bytes" }
        let scalars = Array(pattern.unicodeScalars)
        // Per open group: whether it holds a quantifier.
        var groups: [Bool] = []
        // Whether the atom just read is a group that held a quantifier.
        var lastGroupQuantified = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            var closedQuantifiedGroup = false
            switch scalar {
            case "\\":
                index += 1
                if index < scalars.count {
                    let next = scalars[index]
                    if ("1"..."9").contains(next) || next == "k" || next == "g" { return "backreferences are not supported" }
                }
            case "[":
                // A class is one atom: skip to its closing bracket.
                index += 1
                if index < scalars.count, scalars[index] == "^" { index += 1 }
                if index < scalars.count, scalars[index] == "]" { index += 1 }
                while index < scalars.count, scalars[index] != "]" {
                    if scalars[index] == "\\" { index += 1 }
                    index += 1
                }
            case "(":
                groups.append(false)
            case ")":
                closedQuantifiedGroup = groups.popLast() ?? false
                if closedQuantifiedGroup, !groups.isEmpty { groups[groups.count - 1] = true }
            case "*", "+", "{":
                if lastGroupQuantified { return "a quantified group holds a quantifier (nested quantifiers backtrack without end)" }
                if !groups.isEmpty { groups[groups.count - 1] = true }
                if scalar == "{" {
                    while index < scalars.count, scalars[index] != "}" { index += 1 }
                }
            case "?":
                if index > 0, "*+?}".unicodeScalars.contains(scalars[index - 1]) { break }
                if !groups.isEmpty, index > 0, scalars[index - 1] != "(" { groups[groups.count - 1] = true }
            default:
                break
            }
            lastGroupQuantified = closedQuantifiedGroup
            index += 1
        }
        return nil
    }

    /// `pattern` compiled, or `nil` when it is refused or is no regular expression.
    public static func compile(_ pattern: String) -> Regex<AnyRegexOutput>? {
        guard refusal(pattern) == nil else { return nil }
        return try? Regex(pattern)
    }

    /// Whether `regex` matches somewhere in `text` (a text beyond `maximumInput` never matches).
    public static func contains(_ regex: Regex<AnyRegexOutput>, in text: String) -> Bool {
        guard text.utf8.count <= maximumInput else { return false }
        return (try? regex.firstMatch(in: text)) != nil
    }
}
