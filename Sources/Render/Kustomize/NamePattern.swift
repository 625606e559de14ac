/// The Go regular expressions kustomize matches names with: patch and replacement targets
/// (`^(?:PATTERN)$`) and `images` entries (`^NAME(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`).
///
/// A pattern of letters, digits and `_-/:.` (nearly every real one: `Deployment`,
/// `registry.example.com/app`) is matched without a regular expression engine, `.` matching any
/// character but a line break as in Go; any other pattern is compiled. A build matches every
/// object against each target, so this is on its hot path.
struct NamePattern {
    private enum Form {
        /// Letters, digits and `_-/:`: the text itself.
        case literal(String)
        /// As `literal`, with `.` standing for any character but a line break.
        case wildcard([Unicode.Scalar])
        case regex(Regex<AnyRegexOutput>)
    }
    private let form: Form

    /// `^(?:pattern)$`; nil when `pattern` is not a valid regular expression.
    init?(_ pattern: String) {
        self.init(pattern, compiling: "^(?:" + pattern + ")$")
    }

    fileprivate init?(_ pattern: String, compiling expression: String) {
        if pattern.unicodeScalars.allSatisfy(Self.plain.contains) {
            form = pattern.contains(".") ? .wildcard(Array(pattern.unicodeScalars)) : .literal(pattern)
        } else {
            guard let regex = try? Regex(expression) else { return nil }
            form = .regex(regex)
        }
    }

    private static let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/:.".unicodeScalars)

    /// Whether the whole of `text` matches.
    func matches(_ text: String) -> Bool {
        switch form {
        // Byte for byte, as Go compares: Swift's `==` would take U+212A KELVIN SIGN for `K`.
        case .literal(let literal): return text.utf8.elementsEqual(literal.utf8)
        case .wildcard(let pattern): return Self.matchedPrefix(pattern, Array(text.unicodeScalars)).map(\.isEmpty) ?? false
        case .regex(let regex): return (try? regex.wholeMatch(in: text)) != nil
        }
    }

    /// What follows the part of `text` that `pattern` matches, or nil when it does not match.
    private static func matchedPrefix(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar>? {
        guard text.count >= pattern.count else { return nil }
        for (wanted, found) in zip(pattern, text) where wanted == "." ? found == "\n" : wanted != found {
            return nil
        }
        return text[pattern.count...]
    }

    /// Whether `image` is `name` with an optional `:tag` and `@sha256:digest` after it.
    fileprivate func matchesImage(_ image: String) -> Bool {
        let rest: ArraySlice<Unicode.Scalar>
        switch form {
        case .regex(let regex):
            return (try? regex.wholeMatch(in: image)) != nil
        case .literal(let name):
            guard image.utf8.starts(with: name.utf8) else { return false }
            rest = Array(image.unicodeScalars)[name.unicodeScalars.count...]
        case .wildcard(let pattern):
            guard let after = Self.matchedPrefix(pattern, Array(image.unicodeScalars)) else { return false }
            rest = after
        }
        // Go's `(:T*)?(@sha256:T*)?$` with T the tag characters, which hold neither `:` nor `@`:
        // a tag runs to the first `@`, and what follows must be the digest.
        var remainder = rest
        if remainder.first == ":" {
            let tag = remainder.dropFirst().prefix { $0 != "@" }
            guard tag.allSatisfy(Self.tagCharacters.contains) else { return false }
            remainder = remainder.dropFirst(1 + tag.count)
        }
        guard !remainder.isEmpty else { return true }
        guard remainder.starts(with: "@sha256:".unicodeScalars) else { return false }
        return remainder.dropFirst(8).allSatisfy(Self.tagCharacters.contains)
    }

    private static let tagCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.{}-".unicodeScalars)
}

/// An `images` entry's name as kustomize matches image references with it.
struct ImagePattern {
    fileprivate let name: NamePattern

    /// The pattern for `name`; nil when `name` is not a valid regular expression.
    init?(_ name: String) {
        guard let pattern = NamePattern(name, compiling: "^" + name + Self.suffix) else { return nil }
        self.name = pattern
    }

    /// What kustomize v5 lets follow an image's name: a tag, a sha256 digest, or both.
    static let suffix = "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$"

    /// Whether `image` is a reference to this entry's image.
    func matches(_ image: String) -> Bool { name.matchesImage(image) }
}
