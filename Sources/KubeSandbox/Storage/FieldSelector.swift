import Foundation
import Manifests

extension LabelSelector {
    /// Parses a `labelSelector` query, refusing it as the API server does.
    init(parsing text: String) throws(APIError) {
        do { try self.init(text) } catch { throw APIError(.badRequest, "unable to parse requirement: \(error.message)") }
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
