import Helm

extension VariableSubstitution {
    /// Expands `${...}` expressions in a text, with the grammar and functions of Flux's envsubst.
    enum Expansion {
        /// A malformed expression; the message never quotes the text.
        struct Failure: Error {
            var message: String
        }

        static func expand(_ text: String, variables: [String: String]) throws(Failure) -> String {
            var parser = Parser(text: Array(text.unicodeScalars), variables: variables)
            return try parser.top()
        }
    }
}

/// One pass over the text, evaluating each expression as it is read.
private struct Parser {
    let text: [Unicode.Scalar]
    let variables: [String: String]
    var index = 0

    init(text: [Unicode.Scalar], variables: [String: String]) {
        self.text = text
        self.variables = variables
    }

    typealias Failure = VariableSubstitution.Expansion.Failure

    static let badSubstitution = Failure(message: "bad substitution")

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < text.count ? text[index + offset] : nil
    }

    var atExpression: Bool { peek() == "$" && peek(1) == "{" }

    /// Text outside expressions: `$$` is one `$`, `${` opens an expression, anything else is kept.
    mutating func top() throws(Failure) -> String {
        var out = String.UnicodeScalarView()
        while let scalar = peek() {
            if atExpression {
                index += 2
                out.append(contentsOf: try expression().unicodeScalars)
            } else if scalar == "$", peek(1) == "$" {
                out.append("$")
                index += 2
            } else {
                out.append(scalar)
                index += 1
            }
        }
        return String(out)
    }

    /// The rest of an expression after `${`, evaluated.
    mutating func expression() throws(Failure) -> String {
        if peek() == "#" {
            index += 1
            let name = identifier()
            guard !name.isEmpty else { throw Self.badSubstitution }
            try close()
            return String(value(name).utf8.count)
        }
        let name = identifier()
        guard !name.isEmpty else { throw Failure(message: "unable to parse variable name") }
        let value = self.value(name)
        switch peek() {
        case ":" where peek(1).map { "=-?+".unicodeScalars.contains($0) } == true:
            index += 2
            return try defaulted(value)
        case ":":
            index += 1
            return try substring(value)
        case "=":
            index += 1
            return try defaulted(value)
        case ",", "^":
            var operation = ""
            while operation.unicodeScalars.count < 2, let scalar = peek(), scalar == "," || scalar == "^" {
                operation.unicodeScalars.append(scalar)
                index += 1
            }
            try close()
            return Self.changeCase(value, operation)
        case "/":
            return try replace(value)
        case "#", "%":
            let mark = peek()!
            var operation = ""
            while operation.unicodeScalars.count < 2, peek() == mark {
                operation.unicodeScalars.append(mark)
                index += 1
            }
            let pattern = try parameter { $0 != "}" }
            try close()
            return Self.trim(value, pattern, fromEnd: mark == "%", longest: operation.count == 2)
        default:
            guard peek() == "}" else { throw Failure(message: "missing closing brace") }
            index += 1
            return value
        }
    }

    func value(_ name: String) -> String { variables[name] ?? "" }

    /// Letters, digits and `_`.
    mutating func identifier() -> String {
        var name = String.UnicodeScalarView()
        while let scalar = peek(), scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            name.append(scalar)
            index += 1
        }
        return String(name)
    }

    mutating func close() throws(Failure) {
        guard peek() == "}" else { throw Self.badSubstitution }
        index += 1
    }

    /// One argument: a nested expression, or text of accepted characters up to the next `${`.
    /// With `escapes`, `$$`, `\\` and `\/` stand for their second character.
    mutating func parameter(escapes: Bool = false, accepting accept: (Unicode.Scalar) -> Bool) throws(Failure) -> String {
        if atExpression {
            index += 2
            return try expression()
        }
        var out = String.UnicodeScalarView()
        while let scalar = peek(), !atExpression {
            if escapes, let next = peek(1), (scalar == "$" && next == "$") || (scalar == "\\" && (next == "/" || next == "\\")) {
                out.append(next)
                index += 2
                continue
            }
            guard accept(scalar) else { break }
            out.append(scalar)
            index += 1
        }
        guard !out.isEmpty else { throw Failure(message: "unable to parse substitution within function") }
        return String(out)
    }

    /// `${var:=default}` and its kin: the value, or the arguments joined when it is empty.
    mutating func defaulted(_ value: String) throws(Failure) -> String {
        var arguments = ""
        while peek() != "}" {
            arguments += try parameter { $0 != "}" }
        }
        index += 1
        return value.isEmpty ? arguments : value
    }

    /// `${var:offset}` and `${var:offset:length}`, counted in bytes as Go counts.
    mutating func substring(_ value: String) throws(Failure) -> String {
        let offset = try parameter { $0 != ":" && $0 != "}" }
        var length: String?
        if peek() == ":" {
            while peek() == ":" { index += 1 }
            length = try parameter { $0 != "}" }
            try close()
        } else {
            try close()
        }
        let bytes = Array(value.utf8)
        guard var start = Int(offset) else { return value }
        if start < 0 { start = max(0, bytes.count + start) }
        guard start < bytes.count else { return "" }
        var end = bytes.count
        if let length {
            guard let count = Int(length) else { return value }
            if count < 0 {
                guard bytes.count + count >= start else { return "" }
                end = bytes.count + count
            } else {
                end = min(bytes.count, start + count)
            }
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// `${var/pattern/text}`, `//`, `/#` and `/%`: literal patterns, as in Flux.
    mutating func replace(_ value: String) throws(Failure) -> String {
        index += 1
        var operation = "/"
        if let scalar = peek(), scalar == "/" || scalar == "#" || scalar == "%" {
            operation.unicodeScalars.append(scalar)
            index += 1
        }
        let pattern = peek() == "/" ? "" : try parameter(escapes: true) { $0 != "/" }
        guard peek() == "/" else { throw Self.badSubstitution }
        while peek() == "/" { index += 1 }
        var replacement: String?
        if peek() == "}" {
            index += 1
        } else {
            replacement = try parameter(escapes: true) { $0 != "}" }
            try close()
        }
        switch operation {
        case "/#":
            guard let replacement, value.hasPrefix(pattern) else { return value }
            return replacement + value.dropFirst(pattern.count)
        case "/%":
            guard let replacement, value.hasSuffix(pattern) else { return value }
            return value.dropLast(pattern.count) + replacement
        default:
            return Self.replacing(value, pattern, with: replacement ?? "", all: operation == "//")
        }
    }

    /// Go's `strings.Replace`: an empty pattern inserts before each character (and at the end, for all).
    static func replacing(_ value: String, _ pattern: String, with replacement: String, all: Bool) -> String {
        guard !pattern.isEmpty else {
            guard all else { return replacement + value }
            return value.unicodeScalars.map { replacement + String($0) }.joined() + replacement
        }
        guard all else {
            guard let range = value.range(of: pattern) else { return value }
            return value.replacingCharacters(in: range, with: replacement)
        }
        return value.replacingOccurrences(of: pattern, with: replacement)
    }

    static func changeCase(_ value: String, _ operation: String) -> String {
        guard let first = value.unicodeScalars.first else { return value }
        let rest = String(value.unicodeScalars.dropFirst())
        switch operation {
        case ",": return String(first).lowercased() + rest
        case ",,": return value.lowercased()
        case "^": return String(first).uppercased() + rest
        case "^^": return value.uppercased()
        default: return value
        }
    }

    /// `#`/`##` strip the shortest/longest prefix matching a Go `path.Match` pattern; `%`/`%%` the
    /// suffix (both texts reversed, as Flux does). A malformed pattern changes nothing.
    static func trim(_ value: String, _ pattern: String, fromEnd: Bool, longest: Bool) -> String {
        var subject = Array(value.unicodeScalars)
        var glob = Array(pattern.unicodeScalars)
        if fromEnd {
            subject.reverse()
            glob.reverse()
        }
        var matched = 0
        for length in stride(from: subject.count, to: 0, by: -1) {
            guard let isMatch = GoPathMatch.match(glob[...], subject[..<length]) else { return value }
            if isMatch {
                matched = length
                if longest { break }
            }
        }
        var rest = Array(subject.dropFirst(matched))
        if fromEnd { rest.reverse() }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: rest)
        return String(view)
    }
}
