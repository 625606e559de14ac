import Crypto
import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import KubeSandbox

/// `POST /apis/authentication.k8s.io/v1/tokenreviews`: what the sandbox refuses, as kube-apiserver.
@Suite("TokenReview", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct TokenReviewTests {
    /// The review's status for `token`.
    static func review(_ endpoint: SandboxEndpoint, _ token: String) async throws -> JSONValue? {
        let body = JSONWriter.compact(["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": ["token": .string(token)]])
        let answer = try await SandboxHTTP.call(endpoint, "/apis/authentication.k8s.io/v1/tokenreviews", method: "POST", body: body)
        try #require(answer.status == 201, "\(answer.text)")
        return try JSONParser.parse(Array(answer.text.utf8))["status"]
    }

    // A token signed with the sandbox's key but without `exp` never expires: refused.
    @Test("a token without an expiry is refused")
    func tokenWithoutExpiry() async throws {
        try await withSandbox { kubectl, endpoint in
            try await kubectl.ok(["create", "serviceaccount", "robot"])
            let account = try await kubectl.json(["get", "serviceaccount", "robot"])
            let valid = try await kubectl.ok(["create", "token", "robot"]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try await Self.review(endpoint, valid)?["authenticated"] == true)
            let now = Int64(Date().timeIntervalSince1970)
            let claims: JSONValue = [
                "aud": [.string(APIResponder.defaultTokenAudience)], "iat": .int(now), "nbf": .int(now),
                "iss": .string(APIResponder.defaultTokenAudience), "sub": "system:serviceaccount:default:robot",
                "kubernetes.io": ["namespace": "default", "serviceaccount": ["name": "robot", "uid": account["metadata.uid"] ?? .null]],
            ]
            let header: JSONValue = ["alg": "ES256", "kid": "keelson-sandbox", "typ": "JWT"]
            let input =
                APIResponder.base64URL(Data(JSONWriter.compact(header).utf8)) + "." + APIResponder.base64URL(Data(JSONWriter.compact(claims).utf8))
            let signature = try P256.Signing.PrivateKey(rawRepresentation: APIResponder.tokenKey).signature(for: Data(input.utf8))
            let forever = input + "." + APIResponder.base64URL(signature.rawRepresentation)
            let status = try await Self.review(endpoint, forever)
            #expect(status?["authenticated"] == false)
            #expect(status?["error"]?.stringValue?.contains("no expiry") == true)
        }
    }

    // A token bound to a Pod or Secret dies with it, and does not live on in an object recreated
    // under the same name (a new uid).
    @Test("a token bound to a deleted or recreated object is refused", arguments: ["Pod", "Secret"])
    func boundObjectMustStillExist(kind: String) async throws {
        try await withSandbox { kubectl, endpoint in
            try await kubectl.ok(["create", "serviceaccount", "robot"])
            let manifest =
                kind == "Pod"
                ? "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bound\nspec:\n  containers:\n  - name: c\n    image: busybox\n"
                : "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bound\nstringData:\n  a: b\n"
            try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            let token = try await kubectl.ok(["create", "token", "robot", "--bound-object-kind=\(kind)", "--bound-object-name=bound"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let live = try await Self.review(endpoint, token)
            #expect(live?["authenticated"] == true)
            #expect(live?["user"]?["extra"]?["authentication.kubernetes.io/\(kind.lowercased())-name"] == ["bound"])
            try await kubectl.ok(["delete", kind.lowercased(), "bound", "--wait=false"])
            try await eventually("the \(kind) is gone") { try await Self.review(endpoint, token)?["authenticated"] == false }
            #expect(try await Self.review(endpoint, token)?["error"]?.stringValue?.contains("invalidated") == true)
            try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            let recreated = try await Self.review(endpoint, token)
            #expect(recreated?["authenticated"] == false)
            #expect(recreated?["error"]?.stringValue?.contains("does not match claim") == true)
        }
    }
}
