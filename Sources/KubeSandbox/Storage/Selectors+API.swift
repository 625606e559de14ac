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
    /// Extra field paths per kind, as the API server indexes them (its `ToSelectableFields`).
    static let kindFields: [String: Set<String>] = [
        "Pod": [
            "status.phase", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.podIP", "status.nominatedNodeName",
        ],
        "Secret": ["type"],
        "Event": [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
        ],
        "Namespace": ["status.phase"], "Job": ["status.successful"],
    ]
    /// Selectable fields whose value sits elsewhere in the object.
    static let fieldPaths: [String: [String: String]] = ["Event": ["source": "source.component"]]

    /// Parses a `fieldSelector` query for a kind, refusing fields the kind does not index.
    init(parsing text: String, kind: String) throws(APIError) {
        do { try self.init(text) } catch { throw APIError(.badRequest, "invalid selector: '\(text)'") }
        let allowed = Self.commonFields.union(Self.kindFields[kind] ?? [])
        if let term = terms.first(where: { !allowed.contains($0.field) }) {
            throw APIError(.badRequest, "field label not supported: \(term.field)")
        }
        if let paths = Self.fieldPaths[kind] {
            terms = terms.map { term in
                switch term {
                case .equals(let field, let value): .equals(paths[field] ?? field, value)
                case .notEquals(let field, let value): .notEquals(paths[field] ?? field, value)
                }
            }
        }
    }
}
