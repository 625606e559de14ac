/// How a string is written in YAML: bare when every reader takes it back as the same
/// string, a literal block for multi-line text, double-quoted otherwise.
enum ScalarStyle {
    /// Bare words that YAML 1.1 readers (kubectl, PyYAML) take as booleans or merge/value keys.
    private static let yaml11Words: Set<String> = ["y", "n", "yes", "no", "on", "off", "=", "<<"]

    /// A mapping key.
    static func key(_ key: String) -> String {
        needsQuotes(key) || key.contains("\n") ? doubleQuoted(key) : key
    }

    /// Appends a string value; a literal block's lines are indented by `indent`.
    static func writeString(_ s: String, indent: Int, into out: inout String) {
        if s.contains("\n"), fitsLiteralBlock(s) {
            writeLiteral(s, indent: indent, into: &out)
        } else if needsQuotes(s) || s.contains("\n") {
            out += doubleQuoted(s)
        } else {
            out += s
        }
    }

    /// Whether the bare form of a one-line string could read as something else.
    static func needsQuotes(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return true }
        if " -?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) || last == " " || last == ":" { return true }
        if yaml11Words.contains(s.lowercased()) { return true }
        if !ScalarResolver.readsAsPlainString(s) { return true }
        // Numbers in YAML 1.1 spellings (sexagesimal `1:20`, `0b`, `1_000`, `.5`): quote anything
        // that starts like a number and is made only of number characters.
        if "0123456789+-.".unicodeScalars.contains(first),
            s.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || "xXoO_:.+-".unicodeScalars.contains($0) })
        {
            return true
        }
        for scalar in s.unicodeScalars where !isPrintable(scalar) || scalar == "\t" { return true }
        return s.contains(": ") || s.contains(" #")
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Literal blocks cannot carry carriage returns, other control characters or trailing
    /// spaces before a line break in a way every reader agrees on.
    private static func fitsLiteralBlock(_ s: String) -> Bool {
        var previous: Unicode.Scalar = "\n"
        for scalar in s.unicodeScalars {
            if scalar == "\n" {
                if previous == " " || previous == "\t" { return false }
            } else if !isPrintable(scalar) && scalar != "\t" {
                return false
            }
            previous = scalar
        }
        return true
    }

    private static func writeLiteral(_ s: String, indent: Int, into out: inout String) {
        var body = Substring(s)
        var trailingBreaks = 0
        while body.hasSuffix("\n") {
            body = body.dropLast()
            trailingBreaks += 1
        }
        out += "|"
        // Indentation is detected from the first line, so say it when that line starts blank.
        if body.first == " " || body.first == "\n" { out += "2" }
        switch trailingBreaks {
        case 0: out += "-"
        case 1: break
        default: out += "+"
        }
        let pad = String(repeating: " ", count: indent)
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            out += "\n"
            if !line.isEmpty { out += pad + line }
        }
        for _ in 0..<max(0, trailingBreaks - 1) { out += "\n" }
    }

    /// A double-quoted scalar with JSON-style escapes.
    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFFFF {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
