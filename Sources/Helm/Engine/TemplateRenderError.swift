import GoTemplate

/// A chart template that failed to parse or execute, worded as `helm template` reports it.
public struct TemplateRenderError: Error, Sendable, CustomStringConvertible {
    /// The template file (`mychart/templates/deployment.yaml`).
    public var path: String
    /// Helm's message (what follows `Error: `).
    public var message: String
    /// The Go template error underneath.
    public var underlying: (any Error)?

    public var description: String { message }

    /// Helm's `cleanupParseError`: `parse error at (NAME:LINE): MESSAGE`.
    static func parse(path: String, _ error: TemplateParseError) -> TemplateRenderError {
        let tokens = error.description.components(separatedBy: ": ")
        guard tokens.count > 1 else { return TemplateRenderError(path: path, message: "parse error in (\(path)): \(error)", underlying: error) }
        return TemplateRenderError(path: path, message: "parse error at (\(tokens[1])): \(tokens[tokens.count - 1])", underlying: error)
    }

    /// Helm's execution error: `execution error at (LOCATION): MESSAGE` for `required` and `fail`, a
    /// location-per-line trace when the error comes through `include`s alone, Go's text otherwise.
    static func execution(path: String, _ error: TemplateExecError) -> TemplateRenderError {
        let text = error.description
        if let start = text.range(of: HelmFunctions.errorStart) {
            let rest = text[start.upperBound...]
            if let end = rest.range(of: HelmFunctions.errorEnd, options: .backwards) {
                let location = text.components(separatedBy: ": ").dropFirst().first ?? path
                let warning = rest[..<end.lowerBound]
                if !warning.contains("\n") {
                    return TemplateRenderError(path: path, message: "execution error at (\(location)): \(warning)", underlying: error)
                }
            }
        }
        return TemplateRenderError(path: path, message: trace(error) ?? text, underlying: error)
    }

    /// The multi-line trace Helm prints for errors reached through `include`, or nil when Helm keeps Go's text.
    private static func trace(_ error: TemplateExecError) -> String? {
        var lines: [String] = []
        var current = error
        while true {
            guard let location = current.location, let context = current.context else { return nil }
            let head = "\(location)\n  executing \(HelmFunctions.quote(current.templateName)) at <\(context)>:\n    "
            let includePrefix = "error calling include: "
            if current.message.hasPrefix(includePrefix) {
                lines.append(head + "error calling include:")
                guard let inner = current.underlying as? TemplateExecError, inner.location != nil else {
                    // Helm keeps a plain inner error in the trace only when it is a template lookup error.
                    let innerText = String(current.message.dropFirst(includePrefix.count))
                    guard innerText.hasPrefix("template: ") else { return nil }
                    lines.append(innerText)
                    return lines.joined(separator: "\n")
                }
                current = inner
                continue
            }
            if current.message.hasPrefix("error calling ") { return nil }
            lines.append(head + current.message)
            return lines.joined(separator: "\n")
        }
    }
}
