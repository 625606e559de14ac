/// A Kubernetes label selector: requirements on labels, all of which must hold.
///
/// Read from the string grammar (`kubectl -l`, `?labelSelector=`, kustomize targets) or from a
/// `matchLabels`/`matchExpressions` object, matched against a label map, written back as text.
///
/// ```swift
/// let selector = try LabelSelector("app=web,tier in (a,b),!legacy")
/// selector.matches(["app": "web", "tier": "a"])  // true
/// let built: LabelSelector = [.equals("app", "web"), .in("tier", ["a", "b"]), .exists("track")]
/// built.description  // "app=web,tier in (a,b),track"
/// ```
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One requirement on a label.
    public enum Requirement: Sendable, Hashable {
        /// `key=value` (also `key==value`).
        case equals(String, String)
        /// `key!=value`: the label is absent or has another value.
        case notEquals(String, String)
        /// `key in (v1,v2)`.
        case `in`(String, [String])
        /// `key notin (v1,v2)`: the label is absent or has none of the values.
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

        /// Whether `labels` satisfy the requirement.
        public func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .in(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): labels[key].map { !values.contains($0) } ?? true
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
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

    /// The selector text, as `labelSelector=` takes it.
    public var description: String { requirements.map(\.text).joined(separator: ",") }

    /// Whether `labels` satisfy every requirement (an empty selector matches everything).
    public func matches(_ labels: [String: String]) -> Bool { requirements.allSatisfy { $0.matches(labels) } }

    /// Whether the string entries of a `labels` (or `annotations`) object satisfy every requirement.
    public func matches(_ labels: JSONObject) -> Bool {
        matches(Dictionary(labels.compactMap { key, value in value.stringValue.map { (key, $0) } }, uniquingKeysWith: { a, _ in a }))
    }
}

extension LabelSelector {
    /// Parses the selector grammar: `a=b,c!=d,e in (x,y),f notin (z),g,!h`; spaces around terms are ignored.
    public init(_ text: String) throws(LabelSelectorError) {
        requirements = []
        for part in Self.splitOutsideParentheses(text) {
            let term = part.trimmingBlanks
            if term.isEmpty { continue }
            requirements.append(try Self.requirement(term, in: text))
        }
    }

    /// Reads a `metav1.LabelSelector` object: `matchLabels` and `matchExpressions` (operators
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`).
    public init(_ object: JSONObject) throws(LabelSelectorError) {
        requirements = []
        let whole = JSONWriter.compact(.object(object))
        for (key, value) in object["matchLabels"]?.objectValue ?? [:] {
            guard let text = value.stringValue else { throw LabelSelectorError(selector: whole, message: "matchLabels.\(key) must be a string") }
            requirements.append(.equals(key, text))
        }
        for (index, expression) in (object["matchExpressions"]?.arrayValue ?? []).enumerated() {
            guard let key = expression["key"]?.stringValue, let op = expression["operator"]?.stringValue else {
                throw LabelSelectorError(selector: whole, message: "matchExpressions[\(index)] needs key and operator")
            }
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch op {
            case "In", "NotIn":
                guard !values.isEmpty else { throw LabelSelectorError(selector: whole, message: "matchExpressions[\(index)]: \(op) needs values") }
                requirements.append(op == "In" ? .in(key, values) : .notIn(key, values))
            case "Exists", "DoesNotExist":
                guard values.isEmpty else { throw LabelSelectorError(selector: whole, message: "matchExpressions[\(index)]: \(op) takes no values") }
                requirements.append(op == "Exists" ? .exists(key) : .doesNotExist(key))
            default:
                throw LabelSelectorError(selector: whole, message: "matchExpressions[\(index)]: '\(op)' is not a valid operator")
            }
        }
    }

    private static func requirement(_ term: String, in text: String) throws(LabelSelectorError) -> Requirement {
        if term.hasPrefix("!") { return .doesNotExist(try key(term.dropFirst(), term, text)) }
        for (op, make) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
            if let range = term.range(of: op) {
                return make(try key(term[..<range.lowerBound], term, text), term[range.upperBound...].trimmingBlanks)
            }
        }
        if let blank = term.firstIndex(where: { $0 == " " || $0 == "\t" }) {
            let rest = term[blank...].trimmingBlanks
            for (op, make) in [("notin", Requirement.notIn), ("in", Requirement.in)] where rest.hasPrefix(op) {
                let list = rest.dropFirst(op.count).trimmingBlanks
                guard list.hasPrefix("("), list.hasSuffix(")") else {
                    throw LabelSelectorError(selector: text, message: "'\(term)': expected a list of values in parentheses")
                }
                let values = list.dropFirst().dropLast().split(separator: ",").map(\.trimmingBlanks)
                return make(try key(term[..<blank], term, text), values)
            }
        }
        return .exists(try key(Substring(term), term, text))
    }

    /// A label key: letters, digits, `-`, `_`, `.` and one `/` after an optional prefix.
    private static func key(_ raw: Substring, _ term: String, _ text: String) throws(LabelSelectorError) -> String {
        let key = raw.trimmingBlanks
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) else {
            throw LabelSelectorError(selector: text, message: "unable to parse requirement '\(term)'")
        }
        return key
    }

    private static func splitOutsideParentheses(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}

/// Why a label selector could not be read.
public struct LabelSelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The selector as given.
    public var selector: String
    /// What is wrong with it.
    public var message: String
    public var description: String { "invalid label selector '\(selector)': \(message)" }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingBlanks: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
