/// What a request asks to do, as kube-apiserver's `RequestInfoFactory` derives it: the verb
/// and, for resource requests, the group, resource, subresource, namespace and name.
struct RequestAttributes: Sendable, Hashable {
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, or
    /// the lower-cased method of a non-resource request.
    var verb: String
    /// Whether the request addresses a resource (else a path such as `/version`).
    var isResourceRequest: Bool
    /// The URL path.
    var path: String
    /// The API group (`""` for core).
    var group: String = ""
    /// The API version.
    var version: String = ""
    /// The plural resource.
    var resource: String = ""
    /// The subresource (`status`, `scale`), or `""`.
    var subresource: String = ""
    /// The namespace, or `""` for cluster scope (and lists across namespaces).
    var namespace: String = ""
    /// The object's name, or `""` (creates and lists, unless a field selector names one).
    var name: String = ""

    /// A resource request.
    init(
        verb: String, group: String, version: String = "v1", resource: String, subresource: String = "", namespace: String = "",
        name: String = ""
    ) {
        self.verb = verb
        isResourceRequest = true
        path = ""
        self.group = group
        self.version = version
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }

    /// A non-resource request.
    init(verb: String, path: String) {
        self.verb = verb
        isResourceRequest = false
        self.path = path
    }

    /// The attributes of an HTTP request.
    init(method: String, path: String, parsed: RequestPath, query: QueryParameters) {
        guard case .resource(let resource) = parsed else {
            self.init(verb: method.lowercased(), path: path)
            return
        }
        var name = resource.name ?? ""
        var namespace = resource.namespace ?? ""
        // A namespace is its own namespace: `GET /api/v1/namespaces/x` is judged in namespace x.
        if resource.group.isEmpty, resource.plural == "namespaces", !name.isEmpty { namespace = name }
        let verb: String
        switch method {
        case "GET", "HEAD":
            if !name.isEmpty {
                verb = "get"
            } else {
                verb = query.flag("watch") ? "watch" : "list"
                name = Self.exactName(fieldSelector: query["fieldSelector"]) ?? ""
            }
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = name.isEmpty ? "deletecollection" : "delete"
        default: verb = method.lowercased()
        }
        self.init(
            verb: verb, group: resource.group, version: resource.version, resource: resource.plural,
            subresource: resource.subresource ?? "", namespace: namespace, name: name)
        self.path = path
    }

    /// The name a `metadata.name=X` field selector pins a list or watch to, as the API server
    /// reads it for `resourceNames` rules.
    private static func exactName(fieldSelector: String?) -> String? {
        guard let selector = fieldSelector else { return nil }
        for term in selector.split(separator: ",") {
            for prefix in ["metadata.name==", "metadata.name="] where term.hasPrefix(prefix) {
                let name = String(term.dropFirst(prefix.count))
                return name.isEmpty ? nil : name
            }
        }
        return nil
    }

    /// The same request with another verb (the `create` a server-side apply to a missing object needs).
    func with(verb: String) -> RequestAttributes {
        var copy = self
        copy.verb = verb
        return copy
    }

    /// kube-apiserver's sentence for a refusal (`responsewriters.forbiddenMessage`).
    func refusal(for user: String) -> String {
        guard isResourceRequest else { return "User \(goQuoted(user)) cannot \(verb) path \(goQuoted(path))" }
        let combined = subresource.isEmpty ? resource : "\(resource)/\(subresource)"
        let head = "User \(goQuoted(user)) cannot \(verb) resource \(goQuoted(combined)) in API group \(goQuoted(group))"
        return namespace.isEmpty ? "\(head) at the cluster scope" : "\(head) in the namespace \(goQuoted(namespace))"
    }
}

extension APIError {
    /// The 403 kube-apiserver sends (`errors.NewForbidden`): `configmaps "x" is forbidden: DETAIL`,
    /// `deployments.apps is forbidden: DETAIL` without a name, `forbidden: DETAIL` for paths.
    static func forbidden(_ request: RequestAttributes, detail: String) -> APIError {
        let qualified = request.group.isEmpty ? request.resource : "\(request.resource).\(request.group)"
        let message: String
        if qualified.isEmpty {
            message = "forbidden: \(detail)"
        } else if request.name.isEmpty {
            message = "\(qualified) is forbidden: \(detail)"
        } else {
            message = "\(qualified) \(goQuoted(request.name)) is forbidden: \(detail)"
        }
        return APIError(
            .forbidden, message, group: request.group.isEmpty ? nil : request.group,
            plural: request.resource.isEmpty ? nil : request.resource, name: request.name.isEmpty ? nil : request.name)
    }
}
