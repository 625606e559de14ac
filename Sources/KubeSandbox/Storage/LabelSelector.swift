import Foundation
import Manifests

/// A parsed `labelSelector` query: equality, set-based and existence requirements, all ANDed.
struct LabelSelector: Sendable, Hashable {
    /// One requirement.
    enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    /// The requirements.
    var requirements: [Requirement]

    /// Parses the selector syntax, e.g. `app=web,tier in (a,b),!legacy`.
    init(parsing text: String) throws(APIError) {
        requirements = []
        for part in Self.splitTopLevel(text) {
            let term = part.trimmingCharacters(in: .whitespaces)
            if term.isEmpty { continue }
            requirements.append(try Self.requirement(term))
        }
    }

    /// Whether labels satisfy every requirement.
    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .isIn(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): labels[key].map { !values.contains($0) } ?? true
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            }
        }
    }

    private static func requirement(_ term: String) throws(APIError) -> Requirement {
        if term.hasPrefix("!") { return .doesNotExist(try key(String(term.dropFirst()), term)) }
        for (op, make) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
            if let range = term.range(of: op) {
                let value = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
                return make(try key(String(term[..<range.lowerBound]), term), value)
            }
        }
        for (op, make) in [(" notin ", Requirement.notIn), (" in ", Requirement.isIn)] {
            if let range = term.range(of: op) {
                let list = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard list.hasPrefix("("), list.hasSuffix(")") else { throw invalid(term) }
                let values = list.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                return make(try key(String(term[..<range.lowerBound]), term), Set(values))
            }
        }
        return .exists(try key(term, term))
    }

    private static func key(_ raw: String, _ term: String) throws(APIError) -> String {
        let key = raw.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) else {
            throw invalid(term)
        }
        return key
    }

    private static func invalid(_ term: String) -> APIError {
        APIError(.badRequest, "unable to parse requirement: \(term)")
    }

    /// Splits on commas outside parentheses.
    private static func splitTopLevel(_ text: String) -> [String] {
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

/// A parsed `fieldSelector` query over the fields the API server indexes.
struct FieldSelector: Sendable, Hashable {
    /// Field paths every type supports.
    static let commonFields: Set<String> = ["metadata.name", "metadata.namespace"]
    /// Extra field paths per kind, as the API server allows them.
    static let kindFields: [String: Set<String>] = [
        "Pod": ["status.phase", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName"],
        "Secret": ["type"], "Event": ["involvedObject.name", "involvedObject.kind", "reason", "type"],
        "Namespace": ["status.phase"], "Job": ["status.successful"],
    ]

    /// `(path, value, negated)` terms, ANDed.
    var terms: [(path: String, value: String, negated: Bool)]

    /// Parses `a=b,c!=d` for a kind, rejecting fields the kind does not index.
    init(parsing text: String, kind: String) throws(APIError) {
        terms = []
        let allowed = Self.commonFields.union(Self.kindFields[kind] ?? [])
        for raw in text.split(separator: ",") {
            let term = String(raw)
            let negated = term.contains("!=")
            let pieces = term.components(separatedBy: negated ? "!=" : (term.contains("==") ? "==" : "="))
            guard pieces.count == 2 else { throw APIError(.badRequest, "invalid selector: '\(text)'") }
            guard allowed.contains(pieces[0]) else {
                throw APIError(.badRequest, "field label not supported: \(pieces[0])")
            }
            terms.append((pieces[0], pieces[1], negated))
        }
    }

    /// Whether the object satisfies every term.
    func matches(_ object: JSONObject) -> Bool {
        terms.allSatisfy { term in
            let actual = JSONValue.object(object)[path: term.path.split(separator: ".").map(String.init)]
            let text = actual.map { $0.stringValue ?? JSONWriter.compact($0) } ?? ""
            return (text == term.value) != term.negated
        }
    }

    static func == (lhs: FieldSelector, rhs: FieldSelector) -> Bool {
        lhs.terms.map { "\($0.path)\($0.negated)\($0.value)" } == rhs.terms.map { "\($0.path)\($0.negated)\($0.value)" }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(terms.count) }
}
