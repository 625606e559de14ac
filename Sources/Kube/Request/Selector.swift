/// A field selector: `field=value` and `field!=value` terms joined by commas.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One term.
    public enum Term: Sendable, Hashable {
        /// `field=value`.
        case equals(String, String)
        /// `field!=value`.
        case notEquals(String, String)
    }

    /// The terms, all of which must hold.
    public var terms: [Term]

    /// Creates a selector from terms.
    public init(_ terms: [Term]) { self.terms = terms }
    /// Creates a selector from a literal list of terms.
    public init(arrayLiteral elements: Term...) { terms = elements }

    /// The selector text for `fieldSelector=`; `,`, `=` and `\` in values are escaped as the
    /// API server's field selector parser expects.
    public var description: String {
        terms.map { term in
            switch term {
            case .equals(let field, let value): "\(field)=\(Self.escape(value))"
            case .notEquals(let field, let value): "\(field)!=\(Self.escape(value))"
            }
        }.joined(separator: ",")
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            if character == "\\" || character == "," || character == "=" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
