import Manifests

extension LabelSelector {
    /// Parses a `labelSelector` query, refusing it as the API server does.
    init(parsing text: String) throws(APIError) {
        do { try self.init(text) } catch { throw APIError(.badRequest, "unable to parse requirement: \(error.message)") }
    }
}

extension FieldSelector {
    /// Field paths every type indexes.
    static let commonFields: Set<String> = ["metadata.name", "metadata.namespace"]
    /// Extra field paths per kind, as the API server indexes them.
    static let kindFields: [String: Set<String>] = [
        "Pod": ["status.phase", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName"],
        "Secret": ["type"], "Event": ["involvedObject.name", "involvedObject.kind", "reason", "type"],
        "Namespace": ["status.phase"], "Job": ["status.successful"],
    ]

    /// Parses a `fieldSelector` query for a kind, refusing fields the kind does not index.
    init(parsing text: String, kind: String) throws(APIError) {
        do { try self.init(text) } catch { throw APIError(.badRequest, "invalid selector: '\(text)'") }
        let allowed = Self.commonFields.union(Self.kindFields[kind] ?? [])
        if let term = terms.first(where: { !allowed.contains($0.field) }) {
            throw APIError(.badRequest, "field label not supported: \(term.field)")
        }
    }
}
