import GoTemplate

/// Helm's `strvals` parser: the `name=value,a.b[0]=x` lines of `--set` and its siblings, applied
/// to a values map the way Helm applies them (later keys overwrite, `a.b` creates maps, `a[2]`
/// grows lists with nulls).
struct Strvals {
    /// What the text after `=` becomes.
    enum Mode {
        /// `--set`: `true`/`false` booleans, `null`, base-10 integers as `int64`, else strings.
        case typed
        /// `--set-string`: always a string.
        case string
        /// `--set-file`: the value names a file whose content becomes a string.
        case file(@Sendable (String) throws -> String)
        /// `--set-json`: the value is a JSON document.
        case json
        /// `--set-literal`: everything after the first `=` is the string, no escapes, no lists.
        case literal
    }

    /// The end of the line: parsing stops without error.
    struct EndOfInput: Error {}

    static let maxIndex = 65536
    static let maxNestedNameLevel = 30

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private let mode: Mode

    private init(_ line: String, _ mode: Mode) {
        self.scalars = Array(line.unicodeScalars)
        self.mode = mode
    }

    /// Parses `line` into `values`; the error text is the one Helm wraps in `failed parsing --set data: `.
    static func parse(_ line: String, into values: inout [String: Value], mode: Mode) throws(GoFunctionError) {
        var parser = Strvals(line, mode)
        while true {
            do {
                try parser.key(&values, level: 0)
            } catch is EndOfInput {
                return
            } catch let error as GoFunctionError {
                throw error
            } catch {
                throw GoFunctionError("\(error)")
            }
        }
    }

    private var isLiteral: Bool {
        if case .literal = mode { return true }
        return false
    }

    private mutating func readRune() -> Unicode.Scalar? {
        guard position < scalars.count else { return nil }
        position += 1
        return scalars[position - 1]
    }

    /// Reads up to one of `stop`; a backslash escapes the next rune except in `--set-literal`.
    private mutating func runes(until stop: Set<Unicode.Scalar>) -> (text: String, last: Unicode.Scalar?) {
        var text = String.UnicodeScalarView()
        while let scalar = readRune() {
            if stop.contains(scalar) { return (String(text), scalar) }
            if scalar == "\\" && !isLiteral {
                guard let next = readRune() else { return (String(text), nil) }
                text.append(next)
            } else {
                text.append(scalar)
            }
        }
        return (String(text), nil)
    }

    private mutating func key(_ data: inout [String: Value], level: Int) throws {
        let stop: Set<Unicode.Scalar> = isLiteral ? ["=", "[", "."] : ["=", "[", ",", "."]
        let (name, last) = runes(until: stop)
        switch last {
        case nil:
            if name.isEmpty { throw EndOfInput() }
            throw GoFunctionError("key \(goQuote(name)) has no value")
        case "[":
            let index = try keyIndex()
            var list: [Value] = []
            if let existing = data[name] {
                guard case .list(let items, _) = existing else { throw conversion(existing, "[]interface {}") }
                list = items
            }
            var pending: (any Error)?
            do { try listItem(&list, index, level: level) } catch { pending = error }
            Self.set(&data, name, .list(list))
            if let pending { throw pending }
        case "=":
            Self.set(&data, name, try value())
        case ",":
            Self.set(&data, name, .string(""))
            throw GoFunctionError("key \(goQuote(name)) has no value (cannot end with ,)")
        default:
            let level = level + 1
            guard level <= Self.maxNestedNameLevel else {
                throw GoFunctionError("value name nested level is greater than maximum supported nested level of \(Self.maxNestedNameLevel)")
            }
            var inner: [String: Value] = [:]
            if let existing = data[name] {
                guard let entries = existing.mapEntries else { throw conversion(existing, "map[string]interface {}") }
                inner = entries
            }
            var pending: (any Error)?
            do { try key(&inner, level: level) } catch { pending = error }
            if pending == nil && inner.isEmpty { throw GoFunctionError("key map \(goQuote(name)) has no value") }
            if !inner.isEmpty { Self.set(&data, name, .map(inner)) }
            if let pending { throw pending }
        }
    }

    /// The value after `=`; throws `EndOfInput` after storing when the line ends there, as Helm does.
    private mutating func value() throws -> Value {
        switch mode {
        case .literal:
            return .string(runes(until: []).text)
        case .json:
            if emptyValue() { return .null }
            let remaining = Array(String(String.UnicodeScalarView(scalars[position...])).utf8)
            let (decoded, consumed) = try GoJSON.decodePrefix(remaining)
            let consumedText = String(decoding: remaining[..<consumed], as: UTF8.self)
            position += consumedText.unicodeScalars.count
            _ = emptyValue()
            return decoded
        default:
            guard let first = readRune() else { return .string("") }
            if first == "{" { return try valueList() }
            position -= 1
            return try convert(runes(until: [","]).text)
        }
    }

    /// Skips blanks; true when the value is empty (a comma or the end follows).
    private mutating func emptyValue() -> Bool {
        while let scalar = readRune() {
            if scalar == "," { return true }
            if !scalar.properties.isWhitespace {
                position -= 1
                return false
            }
        }
        return true
    }

    private mutating func valueList() throws -> Value {
        var items: [Value] = []
        while true {
            let (text, last) = runes(until: [",", "}"])
            switch last {
            case nil: throw GoFunctionError("list must terminate with '}'")
            case "}":
                if let next = readRune(), next != "," { position -= 1 }
                items.append(try convert(text))
                return .list(items)
            default:
                items.append(try convert(text))
            }
        }
    }

    private func convert(_ text: String) throws -> Value {
        switch mode {
        case .string, .literal: return .string(text)
        case .file(let read): return .string(try read(text))
        case .json: return .string(text)
        case .typed: return Self.typed(text)
        }
    }

    /// `--set`'s typing of a value.
    static func typed(_ text: String) -> Value {
        switch text.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "0": return .int(0, .int64)
        default:
            if let first = text.first, first != "0", let number = Int64(text) { return .int(number, .int64) }
            return .string(text)
        }
    }

    private mutating func keyIndex() throws -> Int {
        let (text, last) = runes(until: ["]"])
        guard last != nil else { throw GoFunctionError("error parsing index: EOF") }
        guard let index = Int(text), !text.hasPrefix("+") || text.count > 1 else {
            throw GoFunctionError("error parsing index: strconv.Atoi: parsing \(goQuote(text)): invalid syntax")
        }
        return index
    }

    private mutating func listItem(_ list: inout [Value], _ index: Int, level: Int) throws {
        guard index >= 0 else { throw GoFunctionError("negative \(index) index not allowed") }
        let (rest, last) = runes(until: ["[", ".", "="])
        guard rest.isEmpty else {
            let runes = rest.unicodeScalars.map { goQuoteRune($0) }.joined(separator: " ")
            throw GoFunctionError("unexpected data at end of array index: [\(runes)]")
        }
        switch last {
        case nil: throw EndOfInput()
        case "=":
            var pending: (any Error)?
            var item: Value = .string("")
            do { item = try value() } catch is EndOfInput { pending = EndOfInput() }
            try Self.setIndex(&list, index, item)
            if let pending { throw pending }
        case "[":
            let next = try keyIndex()
            var inner: [Value] = []
            if index < list.count {
                switch list[index] {
                case .null: break
                case .list(let items, _): inner = items
                case let other: throw conversion(other, "[]interface {}")
                }
            }
            try listItem(&inner, next, level: level)
            try Self.setIndex(&list, index, .list(inner))
        default:
            var inner: [String: Value] = [:]
            if index < list.count, let entries = list[index].mapEntries { inner = entries }
            do {
                try key(&inner, level: level)
            } catch {
                if index < list.count { list[index] = .map(inner) }
                throw error
            }
            try Self.setIndex(&list, index, .map(inner))
        }
    }

    private static func set(_ data: inout [String: Value], _ key: String, _ value: Value) {
        guard !key.isEmpty else { return }
        data[key] = value
    }

    private static func setIndex(_ list: inout [Value], _ index: Int, _ value: Value) throws {
        guard index >= 0 else { throw GoFunctionError("negative \(index) index not allowed") }
        guard index <= maxIndex else {
            throw GoFunctionError("index of \(index) is greater than maximum supported index of \(maxIndex)")
        }
        while list.count <= index { list.append(.null) }
        list[index] = value
    }

    private func conversion(_ value: Value, _ wanted: String) -> GoFunctionError {
        let actual = if case .null = value { "nil" } else { value.goType.name }
        return GoFunctionError("unable to parse key: interface conversion: interface {} is \(actual), not \(wanted)")
    }
}

/// Go's `%q` of a string.
func goQuote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + GoJSON.hex(scalar.value, width: 2)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Go's `%q` of a rune.
func goQuoteRune(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "'": return "'\\''"
    case "\\": return "'\\\\'"
    default:
        let quoted = goQuote(String(scalar))
        return "'" + quoted.dropFirst().dropLast() + "'"
    }
}
