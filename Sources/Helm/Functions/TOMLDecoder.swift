import Foundation
import GoTemplate

/// A TOML 1.0 document decoded as BurntSushi/toml decodes it into a `map[string]interface{}` (Helm's `fromToml`):
/// integers as int64, floats as float64, dates and times as `time.Time`, arrays as `[]interface{}`, arrays of
/// tables as `[]map[string]interface{}`.
struct TOMLDecoder {
    /// A table under construction: explicitly defined by a `[header]` or only implied by a longer path.
    private final class Table {
        var entries: [String: Node] = [:]
        var defined = false
    }

    private enum Node {
        case value(Value)
        case table(Table)
        case tables([Table])
    }

    let bytes: [UInt8]
    var position = 0
    var line = 1
    private var lastKey: String?

    /// Decodes `text`; the error reads as BurntSushi's `toml: line N (last key "k"): …`.
    static func decode(_ text: String) throws(GoFunctionError) -> [String: Value] {
        var decoder = TOMLDecoder(bytes: Array(text.utf8))
        return try decoder.document()
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    func peek(_ offset: Int) -> UInt8? { position + offset < bytes.count ? bytes[position + offset] : nil }

    func fail(_ message: String) -> GoFunctionError {
        if let lastKey { return GoFunctionError("toml: line \(line) (last key \"\(lastKey)\"): \(message)") }
        return GoFunctionError("toml: line \(line): \(message)")
    }

    private mutating func document() throws(GoFunctionError) -> [String: Value] {
        let root = Table()
        var table = root
        while true {
            skipBlank(newlines: true)
            guard let byte = current else { break }
            if byte == UInt8(ascii: "[") {
                let isArray = peek(1) == UInt8(ascii: "[")
                position += isArray ? 2 : 1
                skipBlank(newlines: false)
                let path = try key()
                skipBlank(newlines: false)
                guard current == UInt8(ascii: "]"), !isArray || peek(1) == UInt8(ascii: "]") else {
                    throw fail("expected a top-level item to end with a newline, comment, or EOF")
                }
                position += isArray ? 2 : 1
                // BurntSushi names no last key in a header's error, and the header's after it.
                lastKey = nil
                table = try open(path, in: root, array: isArray)
                lastKey = path.joined(separator: ".")
            } else {
                let path = try key()
                lastKey = path.joined(separator: ".")
                skipBlank(newlines: false)
                guard current == UInt8(ascii: "=") else { throw fail("expected key separator '='") }
                position += 1
                skipBlank(newlines: false)
                let value = try value()
                let parent = try descend(Array(path.dropLast()), from: table)
                guard parent.entries[path.last!] == nil else { throw fail("Key '\(lastKey!)' has already been defined.") }
                parent.entries[path.last!] = .value(value)
            }
            skipBlank(newlines: false)
            guard current == nil || current == UInt8(ascii: "\n") || current == UInt8(ascii: "\r") else {
                throw fail("expected a top-level item to end with a newline, comment, or EOF")
            }
        }
        return Self.values(root)
    }

    /// The table a `[path]` or `[[path]]` header opens.
    private func open(_ path: [String], in root: Table, array: Bool) throws(GoFunctionError) -> Table {
        let parent = try descend(Array(path.dropLast()), from: root)
        let name = path.last!
        switch parent.entries[name] {
        case nil:
            let table = Table()
            table.defined = true
            parent.entries[name] = array ? .tables([table]) : .table(table)
            return table
        case .tables(var tables)? where array:
            let table = Table()
            tables.append(table)
            parent.entries[name] = .tables(tables)
            return table
        case .table(let table)? where !array && !table.defined:
            table.defined = true
            return table
        default:
            throw fail("Key '\(path.joined(separator: "."))' has already been defined.")
        }
    }

    /// The table at `path` below `table`, creating implied tables; the last table of an array of tables.
    private func descend(_ path: [String], from table: Table) throws(GoFunctionError) -> Table {
        var table = table
        for name in path {
            switch table.entries[name] {
            case nil:
                let next = Table()
                table.entries[name] = .table(next)
                table = next
            case .table(let next)?: table = next
            case .tables(let tables)?: table = tables[tables.count - 1]
            case .value?: throw fail("Key '\(name)' has already been defined.")
            }
        }
        return table
    }

    private static func values(_ table: Table) -> [String: Value] {
        table.entries.mapValues { node in
            switch node {
            case .value(let value): value
            case .table(let table): .map(values(table))
            case .tables(let tables): .list(tables.map { .map(values($0)) }, element: GoType("map[string]interface {}"))
            }
        }
    }

    private mutating func skipBlank(newlines: Bool) {
        while let byte = current {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || (newlines && byte == UInt8(ascii: "\r")) {
                position += 1
            } else if newlines && byte == UInt8(ascii: "\n") {
                position += 1
                line += 1
            } else if byte == UInt8(ascii: "#") {
                while let next = current, next != UInt8(ascii: "\n") { position += 1 }
            } else {
                return
            }
        }
    }

    /// A dotted key: bare, basic-quoted or literal-quoted parts.
    private mutating func key() throws(GoFunctionError) -> [String] {
        var parts: [String] = []
        while true {
            skipBlank(newlines: false)
            switch current {
            case UInt8(ascii: "\"")?: parts.append(try basicString())
            case UInt8(ascii: "'")?: parts.append(try literalString())
            default:
                let start = position
                while let byte = current, Self.isBare(byte) { position += 1 }
                guard position > start else {
                    if current == nil { throw fail("unexpected EOF; expected key name") }
                    throw fail("bare keys cannot contain '\(Character(Unicode.Scalar(current!)))'")
                }
                parts.append(String(decoding: bytes[start..<position], as: UTF8.self))
            }
            skipBlank(newlines: false)
            guard current == UInt8(ascii: ".") else { return parts }
            position += 1
        }
    }

    private static func isBare(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private mutating func value() throws(GoFunctionError) -> Value {
        switch current {
        case nil: throw fail("unexpected EOF; expected value")
        case UInt8(ascii: "\"")?: return .string(try basicString())
        case UInt8(ascii: "'")?: return .string(try literalString())
        case UInt8(ascii: "[")?: return try array()
        case UInt8(ascii: "{")?: return try inlineTable()
        default: return try scalar()
        }
    }

    private mutating func array() throws(GoFunctionError) -> Value {
        position += 1
        var items: [Value] = []
        while true {
            skipBlank(newlines: true)
            if current == UInt8(ascii: "]") {
                position += 1
                return .list(items)
            }
            items.append(try value())
            skipBlank(newlines: true)
            if current == UInt8(ascii: ",") {
                position += 1
            } else if current != UInt8(ascii: "]") {
                throw fail(current == nil ? "unexpected EOF; expected \"]\"" : "expected a comma (',') or array terminator (']')")
            }
        }
    }

    private mutating func inlineTable() throws(GoFunctionError) -> Value {
        position += 1
        let table = Table()
        skipBlank(newlines: false)
        if current == UInt8(ascii: "}") {
            position += 1
            return .map([:])
        }
        while true {
            let path = try key()
            guard current == UInt8(ascii: "=") else { throw fail("expected key separator '='") }
            position += 1
            skipBlank(newlines: false)
            let value = try value()
            let parent = try descend(Array(path.dropLast()), from: table)
            guard parent.entries[path.last!] == nil else { throw fail("Key '\(path.joined(separator: "."))' has already been defined.") }
            parent.entries[path.last!] = .value(value)
            skipBlank(newlines: false)
            if current == UInt8(ascii: "}") {
                position += 1
                return .map(Self.values(table))
            }
            guard current == UInt8(ascii: ",") else { throw fail("expected a comma or an inline table terminator '}'") }
            position += 1
        }
    }
}
