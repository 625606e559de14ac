import Foundation
import Manifests

/// The columns of a custom resource: its CRD version's `additionalPrinterColumns`, as the
/// apiextensions server prints them (`Name` first, then each column's JSONPath result as a cell
/// of the column's type; a path that finds nothing gives an empty cell).
extension TablePrinter {
    /// `Name` and the declared columns; nil when none are declared (the default Name and Age apply).
    static func columns(declared: [JSONValue]) -> [Column]? {
        let custom = declared.compactMap { entry -> Column? in
            guard let name = entry["name"]?.stringValue, let type = entry["type"]?.stringValue, let path = entry["jsonPath"]?.stringValue
            else { return nil }
            let columnPath = ColumnPath(path)
            return Column(name: name, type: type, priority: Int(entry["priority"]?.intValue ?? 0)) { object, now in
                let found = columnPath?.results(in: .object(object)) ?? []
                return found.isEmpty ? .null : cell(found, type: type, now: now)
            }
        }
        return custom.isEmpty ? nil : [name] + custom
    }

    /// The cell of `type` for the first value a column's path found, as the apiextensions
    /// server converts it: a number truncated for an integer column, a timestamp printed as an
    /// age for a date column (`<invalid>` when it is none), empty when the value has another type.
    static func cell(_ found: [JSONValue], type: String, now: Date) -> JSONValue {
        let value = found[0]
        switch type {
        case "integer": return value.intValue.map { .int($0) } ?? value.doubleValue.map { .int(Int64($0)) } ?? .null
        case "number": return value.doubleValue.map { .number(JSONNumber($0)) } ?? .null
        case "boolean": return value.boolValue.map { .bool($0) } ?? .null
        case "date":
            guard let text = value.stringValue else { return .null }
            guard let date = Timestamp.date(text) else { return "<invalid>" }
            return .string(humanAge(Int(now.timeIntervalSince(date))))
        default: return .string(value.stringValue ?? JSONWriter.compact(value))
        }
    }
}

/// A printer column's JSONPath, in the part of the syntax CRDs use: `.a.b`, `['a.b']`, `[0]`,
/// `[*]` and `[?(@.type=="Ready")]`, optionally inside `{}`. Nil for anything else.
struct ColumnPath: Sendable {
    enum Step: Sendable {
        case field(String)
        case index(Int)
        case all
        /// Items whose value at the path equals the text.
        case filter([String], String)
    }

    let steps: [Step]

    init?(_ text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.hasPrefix("{") && rest.hasSuffix("}") { rest = rest.dropFirst().dropLast() }
        var steps: [Step] = []
        while let first = rest.first {
            if first == "." {
                let name = rest.dropFirst().prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                steps.append(.field(String(name)))
                rest = rest.dropFirst(1 + name.count)
            } else if first == "[" {
                guard let close = Self.closingBracket(rest) else { return nil }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                guard let step = Self.bracket(inside) else { return nil }
                steps.append(step)
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    /// The values the path finds in `value`.
    func results(in value: JSONValue) -> [JSONValue] {
        var current = [value]
        for step in steps {
            current = current.flatMap { item -> [JSONValue] in
                switch step {
                case .field(let name): return item[name].map { [$0] } ?? []
                case .index(let index):
                    guard let items = item.arrayValue else { return [] }
                    let position = index < 0 ? items.count + index : index
                    return items.indices.contains(position) ? [items[position]] : []
                case .all: return item.arrayValue ?? item.objectValue.map { Array($0.entries.values) } ?? []
                case .filter(let path, let expected):
                    return (item.arrayValue ?? []).filter { candidate in
                        guard let found = candidate[path: path] else { return false }
                        return (found.stringValue ?? JSONWriter.compact(found)) == expected
                    }
                }
            }
        }
        return current
    }

    /// The `]` closing the bracket at the start of `text`, skipping quoted text.
    private static func closingBracket(_ text: Substring) -> Substring.Index? {
        var quote: Character?
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "]" {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func bracket(_ inside: Substring) -> Step? {
        if inside == "*" { return .all }
        if let key = unquoted(inside) { return .field(key) }
        if let index = Int(inside) { return .index(index) }
        guard inside.hasPrefix("?(@."), inside.hasSuffix(")") else { return nil }
        let condition = inside.dropFirst(4).dropLast()
        guard let range = condition.range(of: "==") else { return nil }
        let path = condition[..<range.lowerBound].trimmingCharacters(in: .whitespaces).split(separator: ".").map(String.init)
        let operand = condition[range.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty else { return nil }
        return .filter(path, unquoted(Substring(operand)) ?? operand)
    }

    private static func unquoted(_ text: Substring) -> String? {
        guard text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first else { return nil }
        return String(text.dropFirst().dropLast())
    }
}
