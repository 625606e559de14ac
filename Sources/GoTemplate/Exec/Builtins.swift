import Foundation

/// Go's builtin template functions (`text/template/funcs.go`).
enum Builtins {
    static let names: Set<String> = Set(table.keys)

    static let table: [String: Callable] = {
        var table: [String: Callable] = [:]
        func add(_ name: String, _ parameters: [GoParameter], variadic: GoParameter? = nil, _ body: @escaping @Sendable ([Operand]) throws -> Operand)
        {
            table[name] = Callable(builtin: name, parameters, variadic: variadic) { arguments, _ in try body(arguments) }
        }
        @Sendable func string(_ text: String) -> Operand { .value(.string(text), boxed: false) }
        @Sendable func bool(_ value: Bool) -> Operand { .value(.bool(value), boxed: false) }
        // and/or short-circuit in the executor; these bodies never run.
        add("and", [.reflectValue], variadic: .reflectValue) { $0.last ?? .invalid }
        add("or", [.reflectValue], variadic: .reflectValue) { $0.last ?? .invalid }
        add("not", [.reflectValue]) { bool(!$0[0].indirect.isTruthy) }
        add("len", [.reflectValue]) { try length($0[0].underlyingCollection) }
        add("index", [.reflectValue], variadic: .reflectValue) { try index($0[0].underlyingCollection, Array($0.dropFirst())) }
        add("slice", [.reflectValue], variadic: .reflectValue) { try slice($0[0], Array($0.dropFirst())) }
        add("call", [.reflectValue], variadic: .reflectValue) { arguments in
            guard case .value(let function, _) = arguments[0].indirect else { throw GoFunctionError("call of nil") }
            throw GoFunctionError("non-function of type \(function.goType.name)")
        }
        add("print", [], variadic: .any) { string(GoFormat.sprint($0.map(\.value))) }
        add("println", [], variadic: .any) { string(GoFormat.sprintln($0.map(\.value))) }
        add("printf", [.string], variadic: .any) { string(GoFormat.sprintf($0[0].value.formatted, Array($0.dropFirst()).map(\.value))) }
        add("html", [], variadic: .any) { string(htmlEscape(evalArgs($0))) }
        add("js", [], variadic: .any) { string(jsEscape(evalArgs($0))) }
        add("urlquery", [], variadic: .any) { string(queryEscape(evalArgs($0))) }
        add("eq", [.reflectValue], variadic: .reflectValue) { bool(try Comparison.eq($0[0], Array($0.dropFirst()))) }
        add("ne", [.reflectValue, .reflectValue]) { bool(!(try Comparison.eq($0[0], [$0[1]]))) }
        add("lt", [.reflectValue, .reflectValue]) { bool(try Comparison.lt($0[0], $0[1])) }
        add("le", [.reflectValue, .reflectValue]) { bool(try Comparison.le($0[0], $0[1])) }
        add("gt", [.reflectValue, .reflectValue]) { bool(!(try Comparison.le($0[0], $0[1]))) }
        add("ge", [.reflectValue, .reflectValue]) { bool(!(try Comparison.lt($0[0], $0[1]))) }
        return table
    }()

    private static func length(_ item: Operand) throws -> Operand {
        switch item {
        case .invalid: throw GoFunctionError("len of nil pointer")
        case .value(let value, _):
            switch value {
            case .null: throw GoFunctionError("len of nil pointer")
            case .string(let text): return .value(.int(GoString.carriesRawBytes(text) ? GoString.bytes(text).count : text.utf8.count), boxed: false)
            case .bytes(let bytes): return .value(.int(bytes.count), boxed: false)
            case .list(let items, _): return .value(.int(items.count), boxed: false)
            case .map(let map): return .value(.int(map.entries.count), boxed: false)
            default: throw GoFunctionError("len of type \(value.goType.name)")
            }
        }
    }

    private static func indexValue(_ index: Operand, _ limit: Int) throws -> Int {
        switch index.indirect {
        case .invalid: throw GoFunctionError("cannot index slice/array with nil")
        case .value(.int(let value, let kind), _):
            let number = kind.isUnsigned ? Int64(bitPattern: UInt64(bitPattern: value)) : value
            if number < 0 || number > limit { throw GoFunctionError("index out of range: \(number)") }
            return Int(number)
        case .value(let other, _): throw GoFunctionError("cannot index slice/array with type \(other.goType.name)")
        }
    }

    private static func index(_ item: Operand, _ indexes: [Operand]) throws -> Operand {
        var item = item.indirect
        guard case .value = item else { throw GoFunctionError("index of untyped nil") }
        for index in indexes {
            guard case .value(let value, _) = item else { throw GoFunctionError("index of untyped nil") }
            switch value {
            case .null: throw GoFunctionError("index of nil pointer")
            case .list(let items, let element):
                let position = try indexValue(index, items.count)
                if position == items.count { throw GoFunctionError("index out of range: \(position)") }
                item = .value(items[position], boxed: element == .interface)
            case .bytes(let bytes):
                let position = try indexValue(index, bytes.count)
                if position == bytes.count { throw GoFunctionError("index out of range: \(position)") }
                item = .value(.int(Int64(bytes[position]), .uint8), boxed: false)
            case .string(let text):
                let bytes = GoString.bytes(text)
                let position = try indexValue(index, bytes.count)
                if position == bytes.count { throw GoFunctionError("index out of range: \(position)") }
                item = .value(.int(Int64(bytes[position]), .uint8), boxed: false)
            case .map(let map):
                let entries = map.entries
                let element = map.element
                switch index.indirect {
                case .value(.string(let key), _):
                    item = .value(entries[key] ?? Executor.zero(of: element), boxed: element == .interface)
                case .invalid: throw GoFunctionError("value is nil; should be of type string")
                case .value(let other, _): throw GoFunctionError("value has type \(other.goType.name); should be string")
                }
            default: throw GoFunctionError("can't index item of type \(value.goType.name)")
            }
        }
        return item
    }

    private static func slice(_ item: Operand, _ indexes: [Operand]) throws -> Operand {
        guard case .value(let value, _) = item.indirect else { throw GoFunctionError("slice of untyped nil") }
        if indexes.count > 3 { throw GoFunctionError("too many slice indexes: \(indexes.count)") }
        let length: Int
        switch value {
        case .string(let text):
            if indexes.count == 3 { throw GoFunctionError("cannot 3-index slice a string") }
            length = text.utf8.count
        case .list(let items, _): length = items.count
        case .bytes(let bytes): length = bytes.count
        default: throw GoFunctionError("can't slice item of type \(value.goType.name)")
        }
        var bounds = [0, length, length]
        for (position, index) in indexes.enumerated() { bounds[position] = try indexValue(index, length) }
        if bounds[0] > bounds[1] { throw GoFunctionError("invalid slice index: \(bounds[0]) > \(bounds[1])") }
        if indexes.count == 3 && bounds[1] > bounds[2] { throw GoFunctionError("invalid slice index: \(bounds[1]) > \(bounds[2])") }
        switch value {
        case .string(let text):
            return .value(.string(String(decoding: Array(text.utf8)[bounds[0]..<bounds[1]], as: UTF8.self)), boxed: false)
        case .list(let items, let element): return .value(.list(Array(items[bounds[0]..<bounds[1]]), element: element), boxed: false)
        case .bytes(let bytes): return .value(.bytes(Array(bytes[bounds[0]..<bounds[1]])), boxed: false)
        default: return .invalid
        }
    }

    /// Go's `evalArgs`: one string argument as is, anything else as `fmt.Sprint` with no value read as `<no value>`.
    private static func evalArgs(_ arguments: [Operand]) -> String {
        if arguments.count == 1, case .value(.string(let text), _) = arguments[0] { return text }
        return GoFormat.sprint(
            arguments.map { argument in
                if case .value(.null, _) = argument { return .string("<no value>") }
                return argument.value
            })
    }

    static func htmlEscape(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\0": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func jsEscape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case "&": out += "\\u0026"
            case "=": out += "\\u003D"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + String(format: "%02X", scalar.value)
                } else if scalar.value >= 0x80 && !GoQuote.isPrint(scalar) {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
