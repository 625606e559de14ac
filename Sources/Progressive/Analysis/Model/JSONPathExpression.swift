import Manifests

/// The JSON path subset a web metric reads its value with: `$`, then `.name` and `[index]`
/// steps (`$.data.rate`, `$.results[0].value`). Argo's `{$.a}` braces are accepted too.
public struct JSONPathExpression: Sendable, Hashable, CustomStringConvertible {
    /// One step into the document.
    public enum Step: Sendable, Hashable {
        /// An object member.
        case member(String)
        /// An array element, from 0.
        case index(Int)
    }

    /// The steps from the root.
    public var steps: [Step]
    /// The path as written.
    public var description: String

    /// Parses `text`; `path` names the field in a refusal.
    public init(_ text: String, path: String) throws(AnalysisSpecError) {
        description = text
        var rest = Substring(text)
        if rest.hasPrefix("{"), rest.hasSuffix("}") { rest = rest.dropFirst().dropLast() }
        guard rest.hasPrefix("$") else { throw Self.refusal(text, path, "must start with $") }
        rest = rest.dropFirst()
        var steps: [Step] = []
        while let first = rest.first {
            if first == "." {
                let name = rest.dropFirst().prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw Self.refusal(text, path, "has an empty member name") }
                steps.append(.member(String(name)))
                rest = rest.dropFirst(name.count + 1)
            } else if first == "[" {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { throw Self.refusal(text, path, "has an index that is not [0], [1], …") }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            } else {
                throw Self.refusal(text, path, "has \"\(first)\" where . or [ was expected")
            }
        }
        self.steps = steps
    }

    /// The value the path selects in `document`, or nil when a step finds nothing.
    public func select(in document: JSONValue) -> JSONValue? {
        var current = document
        for step in steps {
            switch step {
            case .member(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let index):
                guard let items = current.arrayValue, index < items.count else { return nil }
                current = items[index]
            }
        }
        return current
    }

    private static func refusal(_ text: String, _ path: String, _ why: String) -> AnalysisSpecError {
        AnalysisSpecError(.invalidField, path: path, "\"\(text)\" \(why) (supported: $.a.b, $.a[0])")
    }
}
