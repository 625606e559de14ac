/// A Kubernetes field selector: `field=value` and `field!=value` terms joined by commas, all of
/// which must hold. `,`, `=` and `\` in values are escaped with `\`, as the API server reads them.
///
/// ```swift
/// let selector: FieldSelector = [.equals("metadata.name", "web"), .notEquals("status.phase", "Running")]
/// selector.description  // "metadata.name=web,status.phase!=Running"
/// ```
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One term.
    public enum Term: Sendable, Hashable {
        /// `field=value` (also `field==value`).
        case equals(String, String)
        /// `field!=value`.
        case notEquals(String, String)

        /// The dotted field path, e.g. `metadata.name`.
        public var field: String {
            switch self {
            case .equals(let field, _), .notEquals(let field, _): field
            }
        }
    }

    /// The terms, all of which must hold.
    public var terms: [Term]

    /// Creates a selector from terms.
    public init(_ terms: [Term]) { self.terms = terms }
    /// Creates a selector from a literal list of terms.
    public init(arrayLiteral elements: Term...) { terms = elements }

    /// The selector text for `fieldSelector=`, values escaped.
    public var description: String {
        terms.map { term in
            switch term {
            case .equals(let field, let value): "\(field)=\(Self.escape(value))"
            case .notEquals(let field, let value): "\(field)!=\(Self.escape(value))"
            }
        }.joined(separator: ",")
    }

    /// Parses `a=b,c!=d`, unescaping `\,`, `\=` and `\\` in values.
    public init(_ text: String) throws(FieldSelectorError) {
        terms = []
        for term in Self.split(text) where !term.isEmpty {
            guard let (field, op, value) = Self.operands(term), !field.isEmpty else {
                throw FieldSelectorError(selector: text, message: "'\(term)' is not field=value or field!=value")
            }
            terms.append(op == "!=" ? .notEquals(field, value) : .equals(field, value))
        }
    }

    /// Whether `object` satisfies every term: the field's value as text (absent is `""`).
    public func matches(_ object: JSONObject) -> Bool {
        terms.allSatisfy { term in
            let actual = JSONValue.object(object)[path: term.field.split(separator: ".").map(String.init)]
            let text = actual.map { $0.stringValue ?? JSONWriter.compact($0) } ?? ""
            switch term {
            case .equals(_, let value): return text == value
            case .notEquals(_, let value): return text != value
            }
        }
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            if character == "\\" || character == "," || character == "=" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// The terms, split on commas that are not escaped (escapes kept).
    private static func split(_ text: String) -> [String] {
        var terms: [String] = [""]
        var escaped = false
        for character in text {
            if character == "," && !escaped {
                terms.append("")
            } else {
                terms[terms.count - 1].append(character)
            }
            escaped = character == "\\" && !escaped
        }
        return terms
    }

    /// A term's field, operator (`=`, `==` or `!=`) and unescaped value; `nil` without an operator.
    private static func operands(_ term: String) -> (String, String, String)? {
        let characters = Array(term)
        guard let index = characters.firstIndex(where: { $0 == "=" || $0 == "!" }) else { return nil }
        let field = String(characters[..<index])
        var rest = characters[index...]
        let op: String
        if rest.starts(with: "!=") {
            op = "!="
        } else if rest.starts(with: "==") {
            op = "=="
        } else if rest.first == "=" {
            op = "="
        } else {
            return nil
        }
        rest = rest.dropFirst(op.count)
        var value = ""
        var escaped = false
        for character in rest {
            if character == "\\" && !escaped {
                escaped = true
                continue
            }
            value.append(character)
            escaped = false
        }
        return (field, op, value)
    }
}

/// Why a field selector could not be read.
public struct FieldSelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The selector as given.
    public var selector: String
    /// What is wrong with it.
    public var message: String
    public var description: String { "invalid field selector '\(selector)': \(message)" }
}
