import Foundation
import Hummingbird
import Manifests

extension APIResponder {
    /// Serves GET, LIST, WATCH, POST, PUT, PATCH and DELETE on resources and subresources.
    func handleResource(_ path: ResourcePath, request: Request, query: QueryParameters, user: UserInfo?) async throws -> Response {
        guard let type = catalog.lookup(group: path.group, version: path.version, plural: path.plural),
            type.namespaced || path.namespace == nil
        else { throw APIError(.notFound, "the server could not find the requested resource") }
        if type == BuiltinResources.selfSubjectAccessReview && path.name == nil {
            return try await handleSelfSubjectAccessReview(request, user: user)
        }
        if type == BuiltinResources.tokenReview && path.name == nil {
            return try await handleTokenReview(request)
        }
        if type == BuiltinResources.selfSubjectRulesReview && path.name == nil {
            return try await handleSelfSubjectRulesReview(request, user: user)
        }
        guard type.verbs == ResourceType.verbs else {
            throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
        if let subresource = path.subresource {
            guard
                (subresource == "status" && type.hasStatus) || (subresource == "scale" && type.hasScale)
                    || (subresource == "token" && type.issuesTokens)
            else {
                throw APIError(.notFound, "the server could not find the requested resource")
            }
        }
        let options = try writeOptions(query, request: request)
        let namespace = type.namespaced ? path.namespace : nil
        guard let name = path.name else {
            switch request.method {
            case .get:
                let listQuery = try self.listQuery(query, type: type, namespace: namespace)
                if query.flag("watch") {
                    return try await watch(
                        type, query: listQuery, parameters: query, asTable: TablePrinter.wanted(request.headers[.accept]))
                }
                let page = try await store.list(type, query: listQuery)
                if TablePrinter.wanted(request.headers[.accept]) {
                    var table = TablePrinter.table(
                        page.items, type: type, custom: catalog.printerColumns(for: type), revision: page.revision,
                        includeObject: query["includeObject"])
                    if let token = page.continueToken { table["metadata"]?["continue"] = .string(token) }
                    return Self.json(table)
                }
                return Self.json(list(type, page: page))
            case .post:
                let body = try await Self.objectBody(request)
                let created = try await guardingEscalation(user, type: type, options: options) { options in
                    try await store.create(type, namespace: namespace, body: body, options: options)
                }
                return Self.json(.object(created), status: .created, warnings: options.warnings)
            case .delete:
                let deleteOptions = try await self.deleteOptions(request, query: query, options: options)
                let listQuery = try self.listQuery(query, type: type, namespace: namespace)
                let page = try await store.list(type, query: listQuery)
                for object in page.items {
                    _ = try await store.delete(
                        type, namespace: object.namespace, name: object.name, preconditions: DeletePreconditions(),
                        options: deleteOptions.write, propagation: deleteOptions.propagation)
                }
                return Self.json(list(type, page: page))
            default:
                throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
            }
        }
        let objectNamespace = namespace ?? ""
        if type.namespaced && path.namespace == nil {
            throw APIError(.notFound, "the server could not find the requested resource")
        }
        if path.subresource == "token" {
            return try await handleTokenRequest(type, namespace: objectNamespace, name: name, request: request)
        }
        if path.subresource == "scale" {
            return try await handleScale(type, namespace: objectNamespace, name: name, request: request, options: options)
        }
        switch request.method {
        case .get:
            let object = try await store.get(type, namespace: objectNamespace, name: name)
            if path.subresource == nil && TablePrinter.wanted(request.headers[.accept]) {
                return Self.json(
                    TablePrinter.table(
                        [object], type: type, custom: catalog.printerColumns(for: type), revision: nil, includeObject: query["includeObject"]))
            }
            return Self.json(.object(object))
        case .put:
            let body = try await Self.objectBody(request)
            let updated = try await guardingEscalation(user, type: type, options: options) { options in
                try await store.update(
                    type, namespace: objectNamespace, name: name, body: body, options: options, subresource: path.subresource)
            }
            return Self.json(.object(updated), warnings: options.warnings)
        case .patch:
            let patch = try await patchBody(request, query: query)
            let existed = (try? await store.get(type, namespace: objectNamespace, name: name)) != nil
            if case .apply = patch, !existed {
                try await authorizeCreateOnApply(user, type: type, namespace: objectNamespace, name: name)
            }
            let patched = try await guardingEscalation(user, type: type, options: options) { options in
                try await store.patch(
                    type, namespace: objectNamespace, name: name, patch: patch, options: options, subresource: path.subresource)
            }
            return Self.json(.object(patched), status: existed ? .ok : .created, warnings: options.warnings)
        case .delete:
            let deleteOptions = try await self.deleteOptions(request, query: query, options: options)
            let deleted = try await store.delete(
                type, namespace: objectNamespace, name: name, preconditions: deleteOptions.preconditions, options: deleteOptions.write,
                propagation: deleteOptions.propagation)
            return Self.json(.object(deleted))
        default:
            throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
    }

    /// The list document for one page.
    func list(_ type: ResourceType, page: ListPage) -> JSONValue {
        var metadata: JSONObject = ["resourceVersion": .string(String(page.revision))]
        if let token = page.continueToken { metadata["continue"] = .string(token) }
        if let remaining = page.remaining { metadata["remainingItemCount"] = .int(remaining) }
        return [
            "kind": .string("\(type.kind)List"), "apiVersion": .string(type.apiVersion), "metadata": .object(metadata),
            "items": .array(page.items.map(JSONValue.object)),
        ]
    }

    private func listQuery(_ query: QueryParameters, type: ResourceType, namespace: String?) throws(APIError) -> ListQuery {
        var result = ListQuery(namespace: namespace)
        if let text = query["labelSelector"], !text.isEmpty { result.labels = try LabelSelector(parsing: text) }
        if let text = query["fieldSelector"], !text.isEmpty { result.fields = try FieldSelector(parsing: text, kind: type.kind) }
        result.limit = query["limit"].flatMap { Int($0) }
        result.continueToken = query["continue"]
        return result
    }

    private func writeOptions(_ query: QueryParameters, request: Request) throws(APIError) -> WriteOptions {
        var options = WriteOptions()
        if let dryRun = query["dryRun"] {
            guard dryRun == "All" else { throw APIError(.badRequest, "dryRun: Unsupported value: \"\(dryRun)\": supported values: \"All\"") }
            options.dryRun = true
        }
        if let mode = query["fieldValidation"], !mode.isEmpty {
            guard let known = FieldValidation(rawValue: mode) else {
                throw APIError(
                    .badRequest, "fieldValidation: Unsupported value: \"\(mode)\": supported values: \"Ignore\", \"Strict\", \"Warn\"")
            }
            options.fieldValidation = known
        }
        options.force = query.flag("force")
        if let manager = query["fieldManager"], !manager.isEmpty {
            options.fieldManager = manager
        } else if let agent = request.headers[.userAgent] {
            options.fieldManager = String(agent.prefix { $0 != "/" }.prefix(128))
        }
        return options
    }

    /// A DELETE's `DeleteOptions`: its body (which kubectl sends) and its query parameters, the body
    /// winning as on a real server. `dryRun` counts from either: a dry run that deleted would lose data.
    private func deleteOptions(_ request: Request, query: QueryParameters, options: WriteOptions) async throws -> DeleteOptions {
        guard let body = try await Self.body(request, empty: [:]).objectValue else {
            throw APIError(.badRequest, "the body of a DELETE must be a DeleteOptions object")
        }
        var result = DeleteOptions(write: options)
        if let dryRun = body["dryRun"] {
            guard let values = dryRun.arrayValue?.compactMap(\.stringValue), values.count == dryRun.arrayValue?.count else {
                throw APIError(.badRequest, "dryRun: Invalid value: the dryRun of DeleteOptions must be a list of strings")
            }
            for value in values where value != "All" {
                throw APIError(.badRequest, "dryRun: Unsupported value: \"\(value)\": supported values: \"All\"")
            }
            if !values.isEmpty { result.write.dryRun = true }
        }
        result.preconditions = DeletePreconditions(
            uid: body["preconditions"]?["uid"]?.stringValue, resourceVersion: body["preconditions"]?["resourceVersion"]?.stringValue)
        let orphan = body["orphanDependents"]?.boolValue ?? query["orphanDependents"].map { $0 == "true" }
        if let policy = body["propagationPolicy"]?.stringValue ?? query["propagationPolicy"] {
            guard orphan == nil else {
                throw APIError(
                    .invalid,
                    "propagationPolicy: Invalid value: \"\(policy)\": orphanDependents and deletionPropagation cannot be both set")
            }
            guard let known = PropagationPolicy(rawValue: policy) else {
                throw APIError(.badRequest, "propagationPolicy: Unsupported value: \"\(policy)\"")
            }
            result.propagation = known
        } else if orphan == true {
            result.propagation = .orphan
        }
        return result
    }

    private func patchBody(_ request: Request, query: QueryParameters) async throws -> PatchBody {
        let contentType =
            request.headers[.contentType]?.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            } ?? ""
        switch contentType {
        case "application/merge-patch+json": return .merge(try await Self.body(request))
        case "application/strategic-merge-patch+json": return .strategic(try await Self.body(request))
        case "application/json-patch+json": return .json(try await Self.body(request))
        case "application/apply-patch+yaml":
            guard query["fieldManager"].map({ !$0.isEmpty }) == true else {
                throw APIError(.badRequest, "PATCH request must have fieldManager set for apply requests")
            }
            return .apply(try await Self.objectBody(request, yaml: true))
        default:
            throw APIError(
                .unsupportedMediaType,
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, "
                    + "application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")
        }
    }
}
