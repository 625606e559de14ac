import Crypto
import Foundation
import Hummingbird
import Manifests

extension APIResponder {
    /// The audience kube-apiserver gives a token whose request names none (its `--api-audiences`
    /// on kind and kubeadm clusters).
    static let defaultTokenAudience = "https://kubernetes.default.svc.cluster.local"
    /// A token's lifetime when the request asks for none (one hour, as kube-apiserver).
    static let defaultTokenSeconds: Int64 = 3600
    /// The kinds a token can be bound to.
    static let bindableKinds = ["Pod", "Secret", "Node"]
    /// The key tokens are signed with (its raw bytes): fresh per process, so nothing outside can
    /// verify them (the sandbox authenticates nobody), but each token is a well-formed ES256 JWT.
    static let tokenKey = P256.Signing.PrivateKey().rawRepresentation

    /// `POST .../serviceaccounts/NAME/token` (`kubectl create token`): a `TokenRequest` answered
    /// with a token for the ServiceAccount, its expiry, and the spec with the server's defaults.
    func handleTokenRequest(_ type: ResourceType, namespace: String, name: String, request: Request) async throws -> Response {
        guard request.method == .post else {
            throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
        let account = try await store.get(type, namespace: namespace, name: name)
        let body = try await Self.objectBody(request)
        let requestType = ResourceType(
            group: "authentication.k8s.io", version: "v1", kind: "TokenRequest", plural: "serviceaccounts", verbs: ["create"])
        if let kind = body["kind"]?.stringValue, kind != requestType.kind {
            throw APIError(.badRequest, "the kind of the object (\(kind)) does not match the resource (\(requestType.kind))")
        }
        if let apiVersion = body["apiVersion"]?.stringValue, apiVersion != requestType.apiVersion {
            throw APIError(
                .badRequest,
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(requestType.apiVersion))")
        }
        var spec = body["spec"]?.objectValue ?? [:]
        let seconds = spec["expirationSeconds"]?.intValue ?? Self.defaultTokenSeconds
        if seconds < 600 {
            throw APIError.invalid(
                requestType, name, field: "spec.expirationSeconds", "Invalid value: \(seconds): may not specify a duration less than 10 minutes")
        }
        if seconds > 1 << 32 {
            throw APIError.invalid(
                requestType, name, field: "spec.expirationSeconds", "Invalid value: \(seconds): may not specify a duration larger than 2^32 seconds")
        }
        spec["expirationSeconds"] = .int(seconds)
        let audiences = spec["audiences"]?.arrayValue?.compactMap(\.stringValue) ?? []
        spec["audiences"] = .array((audiences.isEmpty ? [Self.defaultTokenAudience] : audiences).map(JSONValue.string))
        var claims: JSONObject = [:]
        if let bound = spec["boundObjectRef"]?.objectValue {
            claims = try await boundObjectClaims(bound, namespace: namespace)
        }
        let now = store.now()
        let expiry = now.addingTimeInterval(TimeInterval(seconds))
        let token = try Self.token(
            account: account, audiences: spec["audiences"] ?? [], issuedAt: now, expiry: expiry, bound: claims)
        let response: JSONValue = [
            "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
            "metadata": [
                "name": .string(name), "namespace": .string(namespace), "creationTimestamp": .string(Timestamp.string(now)),
            ],
            "spec": .object(spec),
            "status": ["token": .string(token), "expirationTimestamp": .string(Timestamp.string(expiry))],
        ]
        return Self.json(response, status: .created)
    }

    /// The `kubernetes.io` claims of a token bound to an object, which must exist (and have the
    /// UID the reference names, if it names one).
    private func boundObjectClaims(_ reference: JSONObject, namespace: String) async throws -> JSONObject {
        let kind = reference["kind"]?.stringValue ?? ""
        guard Self.bindableKinds.contains(kind), let type = catalog.lookup(apiVersion: "v1", kind: kind) else {
            throw APIError(.badRequest, "cannot bind token to object of kind \"\(kind)\": supported kinds are Pod, Secret and Node")
        }
        if let apiVersion = reference["apiVersion"]?.stringValue, apiVersion != "v1" {
            throw APIError(.badRequest, "cannot bind token to object of apiVersion \"\(apiVersion)\": must be v1")
        }
        let name = reference["name"]?.stringValue ?? ""
        let object = try await store.get(type, namespace: type.namespaced ? namespace : "", name: name)
        let uid = object.meta("uid") ?? ""
        if let wanted = reference["uid"]?.stringValue, !wanted.isEmpty, wanted != uid {
            throw APIError(
                .conflict,
                "the UID in the bound object reference (\(wanted)) does not match the UID in record. "
                    + "The object might have been deleted and then recreated")
        }
        return [kind.lowercased(): ["name": .string(name), "uid": .string(uid)]]
    }

    /// A signed JWT with the claims kube-apiserver puts in a ServiceAccount token.
    static func token(
        account: JSONObject, audiences: JSONValue, issuedAt: Date, expiry: Date, bound: JSONObject
    ) throws -> String {
        var identity: JSONObject = [
            "namespace": .string(account.namespace),
            "serviceaccount": ["name": .string(account.name), "uid": .string(account.meta("uid") ?? "")],
        ]
        for (key, value) in bound { identity[key] = value }
        let iat = Int64(issuedAt.timeIntervalSince1970)
        let claims: JSONValue = [
            "aud": audiences, "exp": .int(Int64(expiry.timeIntervalSince1970)), "iat": .int(iat), "nbf": .int(iat),
            "iss": .string(defaultTokenAudience), "jti": .string(UUID().uuidString.lowercased()),
            "kubernetes.io": .object(identity), "sub": .string("system:serviceaccount:\(account.namespace):\(account.name)"),
        ]
        let header: JSONValue = ["alg": "ES256", "kid": "keelson-sandbox", "typ": "JWT"]
        let input = base64URL(Data(JSONWriter.compact(header).utf8)) + "." + base64URL(Data(JSONWriter.compact(claims).utf8))
        let key = try P256.Signing.PrivateKey(rawRepresentation: tokenKey)
        let signature = try key.signature(for: Data(input.utf8)).rawRepresentation
        return input + "." + base64URL(signature)
    }

    /// Base64url without padding, as JWTs are written.
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
