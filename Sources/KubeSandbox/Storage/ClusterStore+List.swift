import Foundation
import Manifests

/// The query of a LIST or WATCH request.
struct ListQuery: Sendable {
    /// The namespace, or `nil` for all namespaces.
    var namespace: String?
    /// The `labelSelector`.
    var labels: LabelSelector?
    /// The `fieldSelector`.
    var fields: FieldSelector?
    /// The `limit`, if positive.
    var limit: Int?
    /// The `continue` token of a previous page.
    var continueToken: String?

    /// Whether an object passes the namespace and selectors.
    func matches(_ object: JSONObject) -> Bool {
        (namespace == nil || object.namespace == namespace) && (labels?.matches(object.labels) ?? true)
            && (fields?.matches(object) ?? true)
    }
}

/// One page of a LIST.
struct ListPage: Sendable {
    /// The objects.
    var items: [JSONObject]
    /// The resourceVersion the list was read at.
    var revision: Int64
    /// The token for the next page, if any.
    var continueToken: String?
    /// How many objects follow this page.
    var remaining: Int?
}

extension ClusterStore {
    /// Lists objects matching the query, one page at a time.
    func list(_ type: ResourceType, query: ListQuery) throws(APIError) -> ListPage {
        var items = all(type, namespace: query.namespace).filter(query.matches)
        if let token = query.continueToken, !token.isEmpty {
            guard let decoded = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }),
                let separator = decoded.firstIndex(of: "\u{0}")
            else {
                throw APIError(.badRequest, "continue key is not valid: illegal base64 data")
            }
            let after = ObjectName(namespace: String(decoded[..<separator]), name: String(decoded[decoded.index(after: separator)...]))
            items = items.filter { ObjectName(namespace: $0.namespace, name: $0.name) > after }
        }
        guard let limit = query.limit, limit > 0, items.count > limit else {
            return ListPage(items: items, revision: revision)
        }
        let page = Array(items.prefix(limit))
        let last = page[page.count - 1]
        let token = Data("\(last.namespace)\u{0}\(last.name)".utf8).base64EncodedString()
        return ListPage(items: page, revision: revision, continueToken: token, remaining: items.count - limit)
    }
}
