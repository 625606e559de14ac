/// Go's `filepath.Match` with `/` as separator, as `helm template --show-only` applies it: `*` is
/// any run of characters but `/`, `?` one such character, `[a-z]`/`[^...]` a class, `\` escapes.
/// A malformed pattern matches nothing (Helm ignores Go's `ErrBadPattern`).
enum GoPathPattern {
    /// Whether `name` matches `pattern` whole.
    static func matches(_ pattern: String, _ name: String) -> Bool {
        match(Array(pattern.unicodeScalars), 0, Array(name.unicodeScalars), 0) ?? false
    }

    /// `nil` for a malformed pattern.
    private static func match(_ p: [Unicode.Scalar], _ start: Int, _ s: [Unicode.Scalar], _ from: Int) -> Bool? {
        var (pi, si) = (start, from)
        while pi < p.count {
            switch p[pi] {
            case "*":
                while pi < p.count, p[pi] == "*" { pi += 1 }
                var next = si
                while true {
                    switch match(p, pi, s, next) {
                    case nil: return nil
                    case true?: return true
                    case false?: break
                    }
                    guard next < s.count, s[next] != "/" else { return false }
                    next += 1
                }
            case "?":
                guard si < s.count, s[si] != "/" else { return false }
                (pi, si) = (pi + 1, si + 1)
            case "[":
                guard let (matched, end) = characterClass(p, pi + 1, si < s.count ? s[si] : nil) else { return nil }
                guard si < s.count, matched else { return false }
                (pi, si) = (end, si + 1)
            case "\\":
                guard pi + 1 < p.count else { return nil }
                guard si < s.count, s[si] == p[pi + 1] else { return false }
                (pi, si) = (pi + 2, si + 1)
            default:
                guard si < s.count, s[si] == p[pi] else { return false }
                (pi, si) = (pi + 1, si + 1)
            }
        }
        return si == s.count
    }

    /// A class starting after `[`: whether `character` is in it, and the index after its `]`.
    private static func characterClass(_ p: [Unicode.Scalar], _ start: Int, _ character: Unicode.Scalar?) -> (Bool, Int)? {
        var index = start
        let negated = index < p.count && p[index] == "^"
        if negated { index += 1 }
        var matched = false
        var ranges = 0
        while true {
            guard index < p.count else { return nil }
            if p[index] == "]", ranges > 0 { return (matched != negated, index + 1) }
            guard let (low, afterLow) = escaped(p, index) else { return nil }
            var high = low
            index = afterLow
            if index < p.count, p[index] == "-" {
                guard let (upper, afterHigh) = escaped(p, index + 1) else { return nil }
                (high, index) = (upper, afterHigh)
            }
            if let character, low <= character, character <= high { matched = true }
            ranges += 1
        }
    }

    /// One class character, `\`-escaped or not; `-` and `]` may not stand alone there.
    private static func escaped(_ p: [Unicode.Scalar], _ index: Int) -> (Unicode.Scalar, Int)? {
        guard index < p.count, p[index] != "-", p[index] != "]" else { return nil }
        if p[index] == "\\" {
            guard index + 1 < p.count else { return nil }
            return (p[index + 1], index + 2)
        }
        return (p[index], index + 1)
    }
}
