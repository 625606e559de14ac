import Foundation
import Hummingbird
import Manifests

extension APIResponder {
    /// Refuses a request its impersonated user may not make, with the API server's 403; returns
    /// the user (`nil` when the request impersonates nobody and is therefore all-powerful).
    func authorize(_ request: Request, path: RequestPath) async throws(APIError) -> UserInfo? {
        guard
            let user = try UserInfo(
                impersonatedUser: request.headers[.init("Impersonate-User")!], groups: request.headers[values: .init("Impersonate-Group")!])
        else { return nil }
        let attributes = RequestAttributes(
            method: request.method.rawValue, path: request.uri.path, parsed: path, query: QueryParameters(request.uri.query))
        let decision = await store.rbacPolicy().authorize(user, attributes)
        guard decision.allowed else { throw APIError.forbidden(attributes, detail: Self.refusal(attributes, user, decision)) }
        return user
    }

    /// The detail of a refusal: the sentence, then the authorizer's reason when it gave one.
    static func refusal(_ attributes: RequestAttributes, _ user: UserInfo, _ decision: RBACPolicy.Decision) -> String {
        let sentence = attributes.refusal(for: user.name)
        return decision.reason.isEmpty ? sentence : "\(sentence): \(decision.reason)"
    }

    /// The `create` check a server-side apply makes when the object does not exist yet: refused
    /// as kube-apiserver refuses it, `configmaps "x" is forbidden: ` followed by the reason
    /// (often empty).
    func authorizeCreateOnApply(_ user: UserInfo?, type: ResourceType, namespace: String, name: String) async throws(APIError) {
        guard let user else { return }
        let attributes = RequestAttributes(
            verb: "create", group: type.group, version: type.version, resource: type.plural, namespace: namespace, name: name)
        let decision = await store.rbacPolicy().authorize(user, attributes)
        guard decision.allowed else { throw APIError.forbidden(attributes, detail: decision.reason) }
    }

    /// Runs a write of an RBAC object by `user` first as a dry run, and refuses it when the result
    /// would grant more than `user` holds; then runs it for real (unless it was a dry run).
    func guardingEscalation(
        _ user: UserInfo?, type: ResourceType, options: WriteOptions, _ write: (WriteOptions) async throws -> JSONObject
    ) async throws -> JSONObject {
        guard let user, type.group == RBACPolicy.group else { return try await write(options) }
        var preview = options
        preview.dryRun = true
        let result = try await write(preview)
        let old = try? await store.get(type, namespace: result.namespace, name: result.name)
        try await store.rbacPolicy().checkEscalation(result, over: old, type: type, by: user)
        return options.dryRun ? result : try await write(options)
    }

    /// `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`: whether the requester
    /// (the impersonated user, if any) may do what `spec` describes, as `kubectl auth can-i` asks.
    func handleSelfSubjectAccessReview(_ request: Request, user: UserInfo?) async throws -> Response {
        guard request.method == .post else {
            throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
        var review = try await Self.objectBody(request)
        let spec = review["spec"]
        let attributes: RequestAttributes
        if let resource = spec?["resourceAttributes"], resource.objectValue != nil {
            func field(_ name: String) -> String { resource[name]?.stringValue ?? "" }
            attributes = RequestAttributes(
                verb: field("verb"), group: field("group"), version: field("version"), resource: field("resource"),
                subresource: field("subresource"), namespace: field("namespace"), name: field("name"))
        } else if let nonResource = spec?["nonResourceAttributes"], nonResource.objectValue != nil {
            attributes = RequestAttributes(verb: nonResource["verb"]?.stringValue ?? "", path: nonResource["path"]?.stringValue ?? "")
        } else {
            throw APIError(
                .invalid,
                "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: "
                    + "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified",
                group: "authorization.k8s.io", plural: "selfsubjectaccessreviews")
        }
        var status: JSONObject
        if let user {
            let decision = await store.rbacPolicy().authorize(user, attributes)
            status = ["allowed": .bool(decision.allowed)]
            if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
        } else {
            status = ["allowed": true]
        }
        review["apiVersion"] = "authorization.k8s.io/v1"
        review["kind"] = "SelfSubjectAccessReview"
        review["metadata"] = ["creationTimestamp": nil]
        review["status"] = .object(status)
        return Self.json(.object(review), status: .created)
    }
}

extension APIResponder {
    /// `POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews`: every rule the requester
    /// holds in `spec.namespace`, as `kubectl auth can-i --list` shows them.
    func handleSelfSubjectRulesReview(_ request: Request, user: UserInfo?) async throws -> Response {
        guard request.method == .post else {
            throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
        var review = try await Self.objectBody(request)
        let namespace = review["spec"]?["namespace"]?.stringValue ?? ""
        var rules = [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])]
        var errors: [String] = []
        if let user, !user.isPrivileged { (rules, errors) = await store.rbacPolicy().rules(of: user, in: namespace) }
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        let resourceRules = rules.filter { !$0.resources.isEmpty }.map { rule -> JSONValue in
            var entry: JSONObject = ["verbs": strings(rule.verbs), "apiGroups": strings(rule.apiGroups), "resources": strings(rule.resources)]
            if !rule.resourceNames.isEmpty { entry["resourceNames"] = strings(rule.resourceNames) }
            return .object(entry)
        }
        let nonResourceRules = rules.filter { !$0.nonResourceURLs.isEmpty }.map { rule -> JSONValue in
            ["verbs": strings(rule.verbs), "nonResourceURLs": strings(rule.nonResourceURLs)]
        }
        var status: JSONObject = [
            "resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules), "incomplete": .bool(!errors.isEmpty),
        ]
        if !errors.isEmpty { status["evaluationError"] = .string(RBACPolicy.aggregate(errors)) }
        review["apiVersion"] = "authorization.k8s.io/v1"
        review["kind"] = "SelfSubjectRulesReview"
        review["metadata"] = ["creationTimestamp": nil]
        review["status"] = .object(status)
        return Self.json(.object(review), status: .created)
    }
}
