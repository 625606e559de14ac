import GoTemplate
import Synchronization

/// The functions Helm's engine defines itself: `include`, `tpl`, `required` and `fail`.
extension HelmFunctions {
    /// Marks a message that Helm reports as `execution error at (LOCATION): MESSAGE`.
    static let errorStart = "HELM_ERR_START"
    static let errorEnd = "HELM_ERR_END"

    static func engine(strict: Bool) -> [String: GoFunction] {
        let nesting = IncludeNesting()
        return [
            "include": GoFunction([.string, .any]) { arguments, context in
                guard case .string(let name) = arguments[0] else { return .string("") }
                try nesting.enter(name)
                defer { nesting.leave(name) }
                return .string(try context.execute(template: name, data: arguments[1]))
            },
            "tpl": GoFunction([.string, .any]) { arguments, context in
                guard case .string(let text) = arguments[0] else { return .string("") }
                do {
                    return .string(replacingBytes(try context.render(text: text, data: arguments[1]), "<no value>", ""))
                } catch let error as TemplateParseError {
                    throw GoFunctionError("cannot parse template \(quote(text)): \(error)")
                } catch {
                    throw GoFunctionError("error during tpl function execution for \(quote(text)): \(error)")
                }
            },
            "required": GoFunction([.string, .any]) { arguments, _ in
                guard case .string(let warning) = arguments[0] else { return arguments[1] }
                switch arguments[1] {
                case .null, .string(""): throw GoFunctionError(errorStart + warning + errorEnd)
                default: return arguments[1]
                }
            },
            "fail": GoFunction([.string]) { arguments, _ in
                guard case .string(let message) = arguments[0] else { return .string("") }
                throw GoFunctionError(errorStart + message + errorEnd)
            },
        ]
    }

    /// Go's `%q` of a string.
    static func quote(_ text: String) -> String { GoQuote.quote(text) }
}

/// How deeply each template name is nested in `include` calls during one render (Helm's `includedNames`).
final class IncludeNesting: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func enter(_ name: String) throws(GoFunctionError) {
        let allowed = counts.withLock { counts -> Bool in
            if let count = counts[name], count > TemplateEngine.includeRecursionLimit { return false }
            counts[name, default: 0] += 1
            return true
        }
        if !allowed { throw GoFunctionError("rendering template has a nested reference name: \(name): unable to execute template") }
    }

    func leave(_ name: String) { counts.withLock { $0[name, default: 1] -= 1 } }
}
