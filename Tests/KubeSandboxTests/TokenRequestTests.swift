import Foundation
import Manifests
import Testing

/// `kubectl create token`: the `serviceaccounts/token` subresource answering a TokenRequest.
@Suite("kubectl create token", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct TokenRequestTests {
    @Test("create token answers a TokenRequest: a JWT for the ServiceAccount with the audiences and lifetime asked for")
    func createToken() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "serviceaccount", "robot"])
            let token = try await kubectl.ok(["create", "token", "robot", "--audience=vault", "--duration=20m"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let claims = try Self.claims(of: token)
            #expect(claims["sub"] == "system:serviceaccount:default:robot")
            #expect(claims["aud"] == ["vault"])
            #expect((claims["exp"]?.intValue ?? 0) - (claims["iat"]?.intValue ?? 0) == 1200)
            let account = try await kubectl.json(["get", "serviceaccount", "robot"])
            #expect(claims["kubernetes.io"]?["serviceaccount"]?["uid"] == account["metadata.uid"])

            let plain = try Self.claims(of: try await kubectl.ok(["create", "token", "robot"]).trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(plain["aud"] == ["https://kubernetes.default.svc.cluster.local"])
            #expect((plain["exp"]?.intValue ?? 0) - (plain["iat"]?.intValue ?? 0) == 3600)
        }
    }

    @Test("create token binds to a pod, and refuses a missing account, a missing pod and a too short lifetime")
    func tokenBindingAndRefusals() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "serviceaccount", "robot"])
            try await kubectl.ok(
                ["apply", "-f", "-"],
                stdin: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n")
            let pod = try await kubectl.json(["get", "pod", "p"])
            let bound = try await kubectl.ok(["create", "token", "robot", "--bound-object-kind=Pod", "--bound-object-name=p"])
            let claims = try Self.claims(of: bound.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(claims["kubernetes.io"]?["pod"] == ["name": "p", "uid": pod["metadata.uid"] ?? .null])

            let missing = try await kubectl.run(["create", "token", "ghost"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains(#"serviceaccounts "ghost" not found"#), "\(missing.stderr)")
            let noPod = try await kubectl.run(["create", "token", "robot", "--bound-object-kind=Pod", "--bound-object-name=gone"])
            #expect(noPod.stderr.contains(#"pods "gone" not found"#), "\(noPod.stderr)")
            let short = try await kubectl.run(["create", "token", "robot", "--duration=5m"])
            #expect(short.stderr.contains("may not specify a duration less than 10 minutes"), "\(short.stderr)")
        }
    }

    @Test("discovery lists serviceaccounts/token as a create-only TokenRequest subresource")
    func discovery() async throws {
        try await withSandbox { kubectl, _ in
            let core = try JSONValueBox(try await kubectl.ok(["get", "--raw", "/api/v1"]))
            let token = (core["resources"]?.arrayValue ?? []).first { $0["name"] == "serviceaccounts/token" }
            #expect(token?["kind"] == "TokenRequest")
            #expect(token?["group"] == "authentication.k8s.io")
            #expect(token?["version"] == "v1")
            #expect(token?["verbs"] == ["create"])
        }
    }

    /// The claims of a JWT (its middle part, base64url).
    static func claims(of token: String) throws -> JSONValue {
        let parts = token.split(separator: ".")
        try #require(parts.count == 3, "not a JWT: \(token)")
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        let data = try #require(Data(base64Encoded: payload))
        return try JSONParser.parse(Array(data))
    }
}
