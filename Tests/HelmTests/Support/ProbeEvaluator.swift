import Foundation
import GoTemplate
import Helm

/// A tiny evaluator for the probe actions (`{{ fn args | fn }}`, parentheses, `.Method`), enough to check
/// Sprig's functions before the template engine exists; the engine replaces it once merged.
struct ProbeEvaluator {
    var functions: [String: GoFunction]

    struct Failure: Error {
        var message: String
    }

    private struct Context: FunctionContext {
        func execute(template name: String, data: Value) throws -> String { throw Failure(message: "no templates") }
        func render(text: String, data: Value) throws -> String { throw Failure(message: "no templates") }
        var templateName: String { "probe" }
    }

    /// The printed output of `template`, or the innermost error.
    func answer(_ template: String) -> ProbeAnswer {
        do {
            var tokens = try Self.tokenize(template)
            guard tokens.first == "{{", tokens.last == "}}" else { throw Failure(message: "not an action") }
            tokens = Array(tokens.dropFirst().dropLast())
            var position = 0
            let value = try pipeline(tokens, &position)
            if case .null = value { return .output("") }
            return .output(value.formatted.replacingOccurrences(of: "<no value>", with: ""))
        } catch let failure as Failure {
            return .error(failure.message)
        } catch let error as GoFunctionError {
            return .error(error.message)
        } catch {
            return .error("\(error)")
        }
    }

    private func pipeline(_ tokens: [String], _ position: inout Int) throws -> Value {
        var result: Value? = nil
        while position < tokens.count, tokens[position] != ")" {
            var command: [String] = []
            var operands: [Value] = []
            var name: String?
            while position < tokens.count, tokens[position] != "|", tokens[position] != ")" {
                let token = tokens[position]
                position += 1
                if token == "(" {
                    var value = try pipeline(tokens, &position)
                    position += 1
                    while position < tokens.count, tokens[position].hasPrefix(".") {
                        value = try method(value, String(tokens[position].dropFirst()))
                        position += 1
                    }
                    operands.append(value)
                } else if name == nil, operands.isEmpty, token.first?.isLetter == true, !["true", "false", "nil"].contains(token) {
                    name = token
                } else {
                    operands.append(try Self.literal(token))
                }
                command.append(token)
            }
            if let previous = result { operands.append(previous) }
            if let name {
                result = try call(name, operands)
            } else {
                result = operands.first ?? .null
            }
            if position < tokens.count, tokens[position] == "|" { position += 1 }
        }
        return result ?? .null
    }

    private func method(_ value: Value, _ name: String) throws -> Value {
        if case .map(let map, _) = value { return map[name] ?? .null }
        guard case .object(let object) = value, let function = object.method(name) else {
            throw Failure(message: "can't evaluate field \(name) in type \(value.goType)")
        }
        return try function.body([], Context())
    }

    private func call(_ name: String, _ arguments: [Value]) throws -> Value {
        switch name {
        case "len":
            switch arguments.first {
            case .string(let text)?: return .int(text.utf8.count)
            case .list(let items, _)?: return .int(items.count)
            case .map(let map, _)?: return .int(map.count)
            default: throw Failure(message: "len of unsupported value")
            }
        case "index":
            guard case .list(let items, _) = arguments[0], case .int(let i, _) = arguments[1] else { throw Failure(message: "index") }
            return items[Int(i)]
        case "eq": return .bool(arguments[0].formatted == arguments[1].formatted)
        default: break
        }
        guard let function = functions[name] else { throw Failure(message: "function \"\(name)\" not defined") }
        let fixed = function.parameters.count
        if function.variadic == nil ? arguments.count != fixed : arguments.count < fixed {
            throw Failure(message: "wrong number of args for \(name): want \(fixed) got \(arguments.count)")
        }
        var converted: [Value] = []
        for (index, argument) in arguments.enumerated() {
            let parameter = index < fixed ? function.parameters[index] : function.variadic!
            converted.append(try Self.convert(argument, to: parameter))
        }
        return try function.body(converted, Context())
    }

    private static func convert(_ value: Value, to parameter: GoParameter) throws -> Value {
        func wrong(_ expected: String) -> Failure {
            if case .null = value { return Failure(message: "invalid value; expected \(expected)") }
            return Failure(message: "wrong type for value; expected \(expected); got \(value.goType)")
        }
        switch (parameter, value) {
        case (.any, _), (.reflectValue, _): return value
        case (.string, .string): return value
        case (.string, _): throw wrong("string")
        case (.bool, .bool): return value
        case (.bool, _): throw wrong("bool")
        case (.int, .int(let v, .int)): return .int(v, .int)
        case (.int, _): throw wrong("int")
        case (.int64, .int(let v, _)): return .int(v, .int64)
        case (.int64, _): throw wrong("int64")
        case (.float64, .int(let v, _)): return .float(Double(v))
        case (.float64, .float): return value
        case (.float64, _): throw wrong("float64")
        case (.map, .map): return value
        case (.map, _): throw wrong("map[string]interface {}")
        case (.list, .list), (.stringList, .list), (.bytes, .bytes): return value
        case (.list, _): throw wrong("[]interface {}")
        case (.stringList, _): throw wrong("[]string")
        case (.bytes, _): throw wrong("[]uint8")
        }
    }

    private static func literal(_ token: String) throws -> Value {
        switch token {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "nil": return .null
        default: break
        }
        if token.hasPrefix("\"") {
            let data = Data(token.utf8)
            guard let text = try? JSONDecoder().decode(String.self, from: data) else { throw Failure(message: "bad string \(token)") }
            return .string(text)
        }
        if token.hasPrefix("`") { return .string(String(token.dropFirst().dropLast())) }
        if let int = Int64(token) { return .int(int, .int) }
        if let double = Double(token) { return .float(double) }
        throw Failure(message: "bad literal \(token)")
    }

    private static func tokenize(_ text: String) throws -> [String] {
        var tokens: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
            } else if text[index...].hasPrefix("{{") || text[index...].hasPrefix("}}") {
                tokens.append(String(text[index..<text.index(index, offsetBy: 2)]))
                index = text.index(index, offsetBy: 2)
            } else if "()|".contains(character) {
                tokens.append(String(character))
                index = text.index(after: index)
            } else if character == "\"" || character == "`" {
                var end = text.index(after: index)
                while end < text.endIndex, text[end] != character {
                    if character == "\"", text[end] == "\\" { end = text.index(after: end) }
                    end = text.index(after: end)
                }
                end = text.index(after: end)
                tokens.append(String(text[index..<end]))
                index = end
            } else {
                var end = index
                while end < text.endIndex, !text[end].isWhitespace, !"()|".contains(text[end]), !text[end...].hasPrefix("}}") {
                    end = text.index(after: end)
                }
                tokens.append(String(text[index..<end]))
                index = end
            }
        }
        return tokens
    }
}
