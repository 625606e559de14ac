import Foundation

/// Go's `fmt.Sprint`, `Sprintln` and `Sprintf` over template values.
public enum GoFormat {
    /// `fmt.Sprint`: operands printed with `%v`, a space between two operands when neither is a string.
    public static func sprint(_ values: [Value]) -> String {
        var out = ""
        var previousIsString = false
        for (index, value) in values.enumerated() {
            let isString: Bool
            if case .string = value { isString = true } else { isString = false }
            if index > 0 && !isString && !previousIsString { out += " " }
            out += value.formatted
            previousIsString = isString
        }
        return out
    }

    /// `fmt.Sprintln`: operands separated by spaces, then a newline.
    public static func sprintln(_ values: [Value]) -> String {
        values.map(\.formatted).joined(separator: " ") + "\n"
    }

    struct Flags {
        var plus = false
        var minus = false
        var sharp = false
        var space = false
        var zero = false
        var width: Int?
        var precision: Int?
    }

    /// `fmt.Sprintf`.
    public static func sprintf(_ format: String, _ arguments: [Value]) -> String {
        let scalars = Array(format.unicodeScalars)
        var out = ""
        var index = 0
        var argumentIndex = 0
        var reordered = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar != "%" {
                out.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            index += 1
            var flags = Flags()
            flagLoop: while index < scalars.count {
                switch scalars[index] {
                case "+": flags.plus = true
                case "-": flags.minus = true
                case "#": flags.sharp = true
                case " ": flags.space = true
                case "0": flags.zero = true
                default: break flagLoop
                }
                index += 1
            }
            func argumentNumber() -> Bool {
                guard index < scalars.count, scalars[index] == "[" else { return true }
                reordered = true
                var end = index + 1
                while end < scalars.count, scalars[end] != "]" { end += 1 }
                guard end < scalars.count, let number = Int(String(String.UnicodeScalarView(scalars[index + 1..<end]))), number >= 1,
                    number <= arguments.count
                else {
                    index = min(end + 1, scalars.count)
                    return false
                }
                argumentIndex = number - 1
                index = end + 1
                return true
            }
            /// The decimal number at `index`, if any, read past.
            func decimal() -> Int? {
                var digits = ""
                while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                    digits.unicodeScalars.append(scalars[index])
                    index += 1
                }
                return Int(digits)
            }
            var goodIndex = argumentNumber()
            if index < scalars.count, scalars[index] == "*" {
                index += 1
                if argumentIndex < arguments.count, case .int(let width, _) = arguments[argumentIndex] {
                    flags.width = Int(abs(width))
                    if width < 0 { flags.minus = true }
                } else {
                    out += "%!(BADWIDTH)"
                }
                argumentIndex += 1
            } else if let width = decimal() {
                flags.width = width
            }
            if index < scalars.count, scalars[index] == "." {
                index += 1
                goodIndex = goodIndex && argumentNumber()
                if index < scalars.count, scalars[index] == "*" {
                    index += 1
                    if argumentIndex < arguments.count, case .int(let precision, _) = arguments[argumentIndex], precision >= 0 {
                        flags.precision = Int(precision)
                    } else {
                        out += "%!(BADPREC)"
                    }
                    argumentIndex += 1
                } else {
                    flags.precision = decimal() ?? 0
                }
            }
            goodIndex = goodIndex && argumentNumber()
            guard index < scalars.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = scalars[index]
            index += 1
            if flags.minus { flags.zero = false }
            // `%+v` means struct field names, not a sign; `%#v` means Go syntax.
            if verb == "v" {
                flags.plus = false
                if flags.sharp {
                    out += pad(goSyntax(arguments[argumentIndex]), flags)
                    argumentIndex += 1
                    continue
                }
            }
            if verb == "%" {
                out += "%"
                continue
            }
            if !goodIndex {
                out += "%!\(verb)(BADINDEX)"
                continue
            }
            guard argumentIndex < arguments.count else {
                out += "%!\(verb)(MISSING)"
                continue
            }
            let argument = arguments[argumentIndex]
            out += argument.holdsItself ? Value.cycleMark : formatValue(argument, verb, flags, depth: 0)
            argumentIndex += 1
        }
        if !reordered && argumentIndex < arguments.count {
            out += "%!(EXTRA "
            out += arguments[argumentIndex...].map { value in
                if case .null = value { return "<nil>" }
                return "\(value.goType.name)=\(value.formatted)"
            }.joined(separator: ", ")
            out += ")"
        }
        return out
    }

    /// `%#v`: the value as a Go literal.
    static func goSyntax(_ value: Value) -> String {
        value.holdsItself ? Value.cycleMark : goSyntaxTree(value)
    }

    private static func goSyntaxTree(_ value: Value) -> String {
        switch value {
        case .null: return "<nil>"
        case .string(let text): return GoQuote.quote(text)
        case .float(let number): return GoFloat.format(number, "g")
        case .int(let number, let kind):
            return kind.isUnsigned ? "0x" + String(UInt64(bitPattern: number), radix: 16) : String(number)
        case .bytes(let bytes): return "[]byte{" + bytes.map { "0x" + String($0, radix: 16) }.joined(separator: ", ") + "}"
        case .list(let items, let element): return "[]\(element.name){" + items.map(goSyntaxTree).joined(separator: ", ") + "}"
        case .map(let map):
            let entries = map.entries
            let element = map.element
            return "map[string]\(element.name){"
                + entries.keys.sorted().map { GoQuote.quote($0) + ":" + goSyntaxTree(entries[$0]!) }.joined(separator: ", ")
                + "}"
        case .bool, .object: return value.formatted
        }
    }

    static func badVerb(_ value: Value, _ verb: Unicode.Scalar) -> String {
        if case .null = value { return "%!\(verb)(<nil>)" }
        return "%!\(verb)(\(value.goType.name)=\(value.formatted))"
    }

    static func pad(_ text: String, _ flags: Flags, zeroAllowed: Bool = true, signAware: Bool = false) -> String {
        guard let width = flags.width else { return text }
        let count = text.unicodeScalars.count
        guard count < width else { return text }
        let fill = width - count
        if flags.minus { return text + String(repeating: " ", count: fill) }
        if flags.zero && zeroAllowed {
            if signAware, let first = text.first, first == "-" || first == "+" || first == " " {
                return String(first) + String(repeating: "0", count: fill) + text.dropFirst()
            }
            return String(repeating: "0", count: fill) + text
        }
        return String(repeating: " ", count: fill) + text
    }

    static func formatValue(_ value: Value, _ verb: Unicode.Scalar, _ flags: Flags, depth: Int) -> String {
        if verb == "T" { return pad(value.goType.name, flags) }
        switch value {
        case .null:
            return verb == "v" ? pad("<nil>", flags) : badVerb(value, verb)
        case .bool(let bool):
            return verb == "v" || verb == "t" ? pad(bool ? "true" : "false", flags) : badVerb(value, verb)
        case .int(let number, let kind):
            return formatInteger(number, unsigned: kind.isUnsigned, verb, flags) ?? badVerb(value, verb)
        case .float(let number):
            return formatFloat(number, verb, flags) ?? badVerb(value, verb)
        case .string(let text):
            return formatString(text, verb, flags) ?? badVerb(value, verb)
        case .bytes(let bytes):
            switch verb {
            case "x", "X": return formatHex(bytes, verb, flags)
            case "q":
                if flags.sharp, let text = String(validating: bytes, as: UTF8.self), GoQuote.canBackquote(text) {
                    return pad("`" + text + "`", flags)
                }
                return pad(GoQuote.quote(bytes: bytes, asciiOnly: flags.plus), flags)
            case "s": return formatString(GoString.decode(bytes), verb, flags) ?? badVerb(value, verb)
            default:
                return pad(
                    "["
                        + bytes.map { formatInteger(Int64($0), unsigned: true, verb, Flags()) ?? badVerb(.int(Int64($0), .uint8), verb) }
                        .joined(separator: " ") + "]", flags)
            }
        case .list(let items, _):
            var inner = flags
            inner.width = flags.width
            return "[" + items.map { formatValue($0, verb, inner, depth: depth + 1) }.joined(separator: " ") + "]"
        case .map(let map):
            let entries = map.entries
            return "map["
                + entries.keys.sorted().map { key in
                    formatValue(.string(key), verb, flags, depth: depth + 1) + ":" + formatValue(entries[key]!, verb, flags, depth: depth + 1)
                }.joined(separator: " ") + "]"
        case .object(let object):
            return verb == "v" || verb == "s" ? pad(object.formatted, flags) : badVerb(value, verb)
        }
    }
}
