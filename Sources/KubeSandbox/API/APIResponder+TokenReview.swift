import Crypto
import Foundation
import Hummingbird
import Manifests

extension APIResponder {
    /// The largest token a review accepts; a ServiceAccount token is under 2 KiB.
    static let maxReviewedToken = 16 << 10

    /// `POST /apis/authentication.k8s.io/v1/tokenreviews`: whether `spec.token` is a
    /// ServiceAccount token this sandbox issued, still valid, for an account that still exists,
    /// for one of `spec.audiences` (default: the API server's own audience). Answers as
    /// kube-apiserver does: `status.authenticated`, the user and the audiences that matched, or
    /// `authenticated: false` with an `error`. The token is never echoed back.
    func handleTokenReview(_ request: Request) async throws -> Response {
        guard request.method == .post else {
            throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
        let review = try await Self.objectBody(request)
        guard let token = review["spec"]?["token"]?.stringValue, !token.isEmpty else {
            throw APIError(
                .invalid, "TokenReview.authentication.k8s.io \"\" is invalid: spec.token: Required value",
                group: "authentication.k8s.io", plural: "tokenreviews")
        }
        let wanted = review["spec"]?["audiences"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let status: JSONObject
        do {
            status = try await reviewedStatus(token: token, audiences: wanted.isEmpty ? [Self.defaultTokenAudience] : wanted)
        } catch let failure as TokenReviewFailure {
            status = ["authenticated": false, "error": .string(failure.message)]
        }
        var spec: JSONObject = [:]
        if !wanted.isEmpty { spec["audiences"] = .array(wanted.map(JSONValue.string)) }
        let response: JSONValue = [
            "kind": "TokenReview", "apiVersion": "authentication.k8s.io/v1", "metadata": ["creationTimestamp": nil],
            "spec": .object(spec), "status": .object(status),
        ]
        return Self.json(response, status: .created)
    }

    /// Why a token did not authenticate, in kube-apiserver's words where it has them.
    struct TokenReviewFailure: Error {
        var message: String
    }

    private func reviewedStatus(token: String, audiences: [String]) async throws -> JSONObject {
        let claims = try Self.verifiedClaims(token)
        let now = Int64(store.now().timeIntervalSince1970)
        // The sandbox issues bound tokens only, which always expire: one without `exp` is forged.
        guard let expiry = claims["exp"]?.intValue else {
            throw TokenReviewFailure(message: "[invalid bearer token, the token has no expiry (exp)]")
        }
        if now >= expiry {
            throw TokenReviewFailure(message: "[invalid bearer token, service account token has expired]")
        }
        if let notBefore = claims["nbf"]?.intValue, now < notBefore - 60 {
            throw TokenReviewFailure(message: "[invalid bearer token, service account token is not valid yet]")
        }
        let tokenAudiences = claims["aud"]?.arrayValue?.compactMap(\.stringValue) ?? claims["aud"]?.stringValue.map { [$0] } ?? []
        let matched = audiences.filter(tokenAudiences.contains)
        guard !matched.isEmpty else {
            throw TokenReviewFailure(
                message: "[invalid bearer token, token audiences \(tokenAudiences) is invalid for the target audiences \(audiences)]")
        }
        let identity = claims["kubernetes.io"]
        guard let namespace = identity?["namespace"]?.stringValue, let name = identity?["serviceaccount"]?["name"]?.stringValue,
            let uid = identity?["serviceaccount"]?["uid"]?.stringValue,
            let type = catalog.lookup(apiVersion: "v1", kind: "ServiceAccount")
        else { throw TokenReviewFailure(message: "[invalid bearer token, the token is not a service account token]") }
        // A token outlives nothing it names: the account (and the uid it had) must still exist.
        let account: JSONObject
        do { account = try await store.get(type, namespace: namespace, name: name) } catch {
            throw TokenReviewFailure(message: "[invalid bearer token, service account \(namespace)/\(name) not found]")
        }
        guard account.meta("uid") == uid else {
            throw TokenReviewFailure(message: "[invalid bearer token, service account UID (\(uid)) does not match the current one]")
        }
        var extra: JSONObject = [:]
        for kind in Self.bindableKinds {
            let claim = kind.lowercased()
            guard let bound = identity?[claim] else { continue }
            let (boundName, boundUID) = try await checkBoundObject(kind, bound, namespace: namespace)
            extra["authentication.kubernetes.io/\(claim)-name"] = [.string(boundName)]
            extra["authentication.kubernetes.io/\(claim)-uid"] = [.string(boundUID)]
        }
        var user: JSONObject = [
            "username": .string("system:serviceaccount:\(namespace):\(name)"), "uid": .string(uid),
            "groups": ["system:serviceaccounts", .string("system:serviceaccounts:\(namespace)"), "system:authenticated"],
        ]
        if !extra.isEmpty { user["extra"] = .object(extra) }
        return ["authenticated": true, "user": .object(user), "audiences": .array(matched.map(JSONValue.string))]
    }

    /// A token bound to a Pod, Secret or Node dies with it, as in kube-apiserver: the object must
    /// still exist with the UID the token names. Returns its name and UID.
    private func checkBoundObject(_ kind: String, _ bound: JSONValue, namespace: String) async throws -> (String, String) {
        guard let name = bound["name"]?.stringValue, let uid = bound["uid"]?.stringValue, let type = catalog.lookup(apiVersion: "v1", kind: kind)
        else { throw TokenReviewFailure(message: "[invalid bearer token, the \(kind.lowercased()) claim names no object]") }
        let object: JSONObject
        do { object = try await store.get(type, namespace: type.namespaced ? namespace : "", name: name) } catch {
            throw TokenReviewFailure(message: "[invalid bearer token, service account token has been invalidated]")
        }
        let current = object.meta("uid") ?? ""
        guard current == uid else {
            throw TokenReviewFailure(message: "[invalid bearer token, \(kind.lowercased()) UID (\(current)) does not match claim (\(uid))]")
        }
        return (name, uid)
    }

    /// The claims of a token signed with this sandbox's key, or a failure.
    static func verifiedClaims(_ token: String) throws -> JSONValue {
        guard token.utf8.count <= maxReviewedToken else { throw TokenReviewFailure(message: "[invalid bearer token, the token is too large]") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = base64URLDecoded(parts[0]), let payload = base64URLDecoded(parts[1]),
            let signature = base64URLDecoded(parts[2]),
            let headerValue = try? JSONParser.parse(Array(header)), headerValue["alg"]?.stringValue == "ES256"
        else { throw TokenReviewFailure(message: "[invalid bearer token, the token is not a well-formed ES256 JWT]") }
        let key = try P256.Signing.PrivateKey(rawRepresentation: tokenKey).publicKey
        guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
            key.isValidSignature(ecdsa, for: Data((parts[0] + "." + parts[1]).utf8))
        else { throw TokenReviewFailure(message: "[invalid bearer token, square/go-jose: error in cryptographic primitive]") }
        guard let claims = try? JSONParser.parse(Array(payload)), claims.objectValue != nil else {
            throw TokenReviewFailure(message: "[invalid bearer token, the claims are not a JSON object]")
        }
        return claims
    }

    /// Decodes base64url without padding.
    static func base64URLDecoded(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
