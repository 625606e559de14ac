/// Go's `path/filepath.Match` on Unix: `*` and `?` stop at `/`, `[...]` classes with `^`
/// negation and ranges, `\` escapes; nil when the pattern is malformed. Helm's `.Files.Glob`
/// and Flux's `${var#pattern}` substitutions match with it.
public enum GoPathMatch {
    /// Whether `name` matches `pattern`; nil for a malformed pattern.
    public static func match(_ pattern: String, _ name: String) -> Bool? {
        let p = Array(pattern.unicodeScalars)
        let n = Array(name.unicodeScalars)
        return match(p[...], n[...])
    }

    /// Whether `name` matches `pattern`, as scalars; nil for a malformed pattern.
    public static func match(_ pattern: ArraySlice<Unicode.Scalar>, _ name: ArraySlice<Unicode.Scalar>) -> Bool? {
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
