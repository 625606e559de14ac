/// Splits identifiers into words the way xstrings' case conversions do (`snakecase`, `kebabcase`, `camelcase`).
enum CaseWords {
    /// The words of `text`: runs separated by non-alphanumerics, lower-to-upper steps, and the last capital
    /// of an upper-case run that starts a new word (`HTTPServer` → `HTTP`, `Server`).
    static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current) }
                current = ""
                continue
            }
            if let last = current.last, character.isUppercase {
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if last.isLowercase || last.isNumber || (last.isUppercase && next?.isLowercase == true) {
                    words.append(current)
                    current = ""
                }
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// xstrings' `ToPascalCase`: `_`, `-`, and spaces removed, the following letter upper-cased.
    static func pascal(_ text: String) -> String {
        var out = ""
        var upperNext = true
        for character in text {
            if character == "_" || character == "-" || character == " " || character == "." {
                upperNext = true
                continue
            }
            out += upperNext ? character.uppercased() : String(character)
            upperNext = false
        }
        return out
    }
}
