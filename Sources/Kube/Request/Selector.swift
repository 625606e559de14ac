/// A label selector: requirements joined by commas, as `kubectl -l` takes them.
///
/// ```swift
/// let selector: LabelSelector = [.equals("app", "web"), .in("tier", ["a", "b"]), .exists("track")]
/// selector.description  // "app=web,tier in (a,b),track"
/// ```
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One requirement on a label.
    public enum Requirement: Sendable, Hashable {
        /// `key=value`.
        case equals(String, String)
        /// `key!=value`.
        case notEquals(String, String)
        /// `key in (v1,v2)`.
        case `in`(String, [String])
        /// `key notin (v1,v2)`.
        case notIn(String, [String])
        /// `key`.
        case exists(String)
        /// `!key`.
        case doesNotExist(String)

        /// The requirement as selector text.
        public var text: String {
            switch self {
            case .equals(let key, let value): "\(key)=\(value)"
            case .notEquals(let key, let value): "\(key)!=\(value)"
            case .in(let key, let values): "\(key) in (\(values.sorted().joined(separator: ",")))"
            case .notIn(let key, let values): "\(key) notin (\(values.sorted().joined(separator: ",")))"
            case .exists(let key): key
            case .doesNotExist(let key): "!\(key)"
            }
        }
    }

    /// The requirements, all of which must hold.
    public var requirements: [Requirement]

    /// Creates a selector from requirements.
    public init(_ requirements: [Requirement]) { self.requirements = requirements }
    /// Creates a selector from a literal list of requirements.
    public init(arrayLiteral elements: Requirement...) { requirements = elements }

    /// A selector matching every label in `labels` exactly, sorted by key.
    public static func matching(_ labels: [String: String]) -> LabelSelector {
        LabelSelector(labels.sorted { $0.key < $1.key }.map { .equals($0.key, $0.value) })
    }

    /// The selector text for `labelSelector=`.
    public var description: String { requirements.map(\.text).joined(separator: ",") }
}

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
