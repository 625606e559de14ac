import Crypto
import Foundation
import ImageAutomation
import Registry
import Testing

/// A directory that knows two policies, so a test sees which ones a webhook selects.
struct FixedDirectory: ImagePolicyDirectory {
    let entries: [(policy: String, image: String)]

    func policies(watching image: ImageReference) async -> [String] {
        entries.filter { (try? ImageReference.parse($0.image))?.sameRepository(as: image) == true }.map(\.policy)
    }
}

@Suite struct RegistryWebhookTests {
    static let secrets = RegistryWebhookSecrets(
        dockerHubToken: "hub-token-1", github: "gh-secret", harbor: "Bearer harbor-secret", generic: "generic-secret")
    static let handler = RegistryWebhookHandler(
        secrets: secrets,
        policies: FixedDirectory(entries: [
            ("apps:web", "docker.io/acme/web"), ("apps:web-gh", "ghcr.io/acme/web"), ("apps:harbor", "harbor.example.com/library/app"),
            ("apps:generic", "registry.example.com:5000/team/app"), ("other:web", "acme/web"),
        ]),
        maximumBodyBytes: 64 * 1024)

    static func sign(_ body: [UInt8], _ key: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(key.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    static let dockerHubBody = Array(
        #"{"callback_url":"https://registry.hub.docker.com/u/acme/web/hook/x/","push_data":{"tag":"1.2.0","pusher":"ci"},"repository":{"repo_name":"acme/web","namespace":"acme","name":"web"}}"#
            .utf8)
    static let ghcrBody = Array(
        #"{"action":"published","package":{"name":"web","package_type":"CONTAINER","owner":{"login":"Acme"},"package_version":{"container_metadata":{"tag":{"name":"1.2.0"}}}}}"#
            .utf8)
    static let harborBody = Array(
        #"{"type":"PUSH_ARTIFACT","occur_at":1700000000,"operator":"ci","event_data":{"resources":[{"digest":"sha256:00","tag":"v2","resource_url":"harbor.example.com/library/app:v2"}],"repository":{"name":"app","namespace":"library","repo_full_name":"library/app","repo_type":"private"}}}"#
            .utf8)
    static let genericBody = Array(#"{"image":"registry.example.com:5000/team/app:3.0.0"}"#.utf8)

    // MARK: Good requests name the policies watching the pushed repository

    @Test func dockerHubWithTokenInURL() async throws {
        let policies = try await Self.handler.handle(provider: "dockerhub", headers: [:], body: Self.dockerHubBody, token: "hub-token-1")
        // `acme/web` and `docker.io/acme/web` are the same repository.
        #expect(policies == ["apps:web", "other:web"])
        let event = try Self.handler.verify(provider: "dockerhub", headers: [:], body: Self.dockerHubBody, token: "hub-token-1")
        #expect(event.tag == "1.2.0")
    }

    @Test func ghcrPackageEventWithSignature() async throws {
        let headers = ["x-github-event": "package", "X-Hub-Signature-256": Self.sign(Self.ghcrBody, "gh-secret")]
        #expect(try await Self.handler.handle(provider: "ghcr", headers: headers, body: Self.ghcrBody) == ["apps:web-gh"])
    }

    @Test func harborWithAuthorizationHeader() async throws {
        let headers = ["Authorization": "Bearer harbor-secret"]
        #expect(try await Self.handler.handle(provider: "harbor", headers: headers, body: Self.harborBody) == ["apps:harbor"])
    }

    @Test func genericWithSignature() async throws {
        let headers = ["X-Signature": Self.sign(Self.genericBody, "generic-secret")]
        #expect(try await Self.handler.handle(provider: "Generic", headers: headers, body: Self.genericBody) == ["apps:generic"])
    }

    // MARK: Refusals

    @Test(
        arguments: [
            // Docker Hub: a wrong or missing token.
            ("dockerhub", [:], "wrong-token", RegistryWebhookError.Code.unauthenticated),
            ("dockerhub", [:], nil, .unauthenticated),
            // GHCR: a signature of other bytes, a signature by another key, none, and one that is not hex.
            ("ghcr", ["X-Hub-Signature-256": sign(Array("other".utf8), "gh-secret")], nil, .unauthenticated),
            ("ghcr", ["X-Hub-Signature-256": sign(ghcrBody, "wrong")], nil, .unauthenticated),
            ("ghcr", [:], nil, .unauthenticated),
            ("ghcr", ["X-Hub-Signature-256": "sha256=zz"], nil, .unauthenticated),
            // Harbor: the wrong secret, or none.
            ("harbor", ["Authorization": "Bearer nope"], nil, .unauthenticated),
            ("harbor", [:], nil, .unauthenticated),
            // Generic: a signature by another key, or none.
            ("generic", ["X-Signature": sign(genericBody, "wrong")], nil, .unauthenticated),
            ("generic", [:], nil, .unauthenticated),
            // An unknown provider.
            ("quay", [:], nil, .unknownProvider),
        ] as [(String, [String: String], String?, RegistryWebhookError.Code)])
    func badAuthenticationIsRefused(_ provider: String, _ headers: [String: String], _ token: String?, _ code: RegistryWebhookError.Code) async {
        let body: [UInt8] =
            switch provider {
            case "dockerhub": Self.dockerHubBody
            case "ghcr": Self.ghcrBody
            case "harbor": Self.harborBody
            default: Self.genericBody
            }
        let error = await #expect(throws: RegistryWebhookError.self) {
            try await Self.handler.handle(provider: provider, headers: headers, body: body, token: token)
        }
        #expect(error?.code == code)
        // No secret is echoed back.
        #expect(error.map { !$0.message.contains("secret") || $0.code == .notConfigured } ?? false)
    }

    @Test func providerWithoutSecretIsRefused() async {
        let handler = RegistryWebhookHandler(secrets: RegistryWebhookSecrets(github: "x"), policies: FixedDirectory(entries: []))
        let error = await #expect(throws: RegistryWebhookError.self) {
            try await handler.handle(provider: "dockerhub", headers: [:], body: Self.dockerHubBody, token: "")
        }
        #expect(error?.code == .notConfigured)
        #expect(error?.httpStatus == 403)
    }

    /// One value serves only the providers that sign with it: Docker Hub's URL token and Harbor's
    /// header travel in plain text, so the signing key never doubles as one (issue #13, item 15).
    @Test func oneSecretSignsButIsNoPlainTextToken() async throws {
        let single = RegistryWebhookSecrets(hmac: "reg-s3cret")
        #expect(single.secret(for: .ghcr) == "reg-s3cret" && single.secret(for: .generic) == "reg-s3cret")
        #expect(single.secret(for: .dockerhub) == nil && single.secret(for: .harbor) == nil)
        let handler = RegistryWebhookHandler(secrets: single, policies: FixedDirectory(entries: []))
        let error = await #expect(throws: RegistryWebhookError.self) {
            try await handler.handle(provider: "dockerhub", headers: [:], body: Self.dockerHubBody, token: "reg-s3cret")
        }
        #expect(error?.code == .notConfigured)

        let set = try RegistryWebhookSecrets(keys: ["dockerhub": "hub", "secret": "shared", "harbor": "Bearer h"], source: "dir")
        #expect(set.secret(for: .dockerhub) == "hub" && set.secret(for: .ghcr) == "shared" && set.secret(for: .harbor) == "Bearer h")
        #expect(throws: ImageAutomationError.self) { try RegistryWebhookSecrets(keys: ["dockerhub": "same", "ghcr": "same"], source: "dir") }
        #expect(throws: ImageAutomationError.self) { try RegistryWebhookSecrets(keys: ["quay": "x"], source: "dir") }
    }

    /// A body over the limit is refused before its signature is even checked.
    @Test func oversizedBodyIsRefusedFirst() async {
        let big = [UInt8](repeating: UInt8(ascii: " "), count: 64 * 1024 + 1)
        for provider in RegistryWebhookProvider.allCases {
            let error = await #expect(throws: RegistryWebhookError.self) {
                try await Self.handler.handle(provider: provider.rawValue, headers: [:], body: big, token: nil)
            }
            #expect(error?.code == .tooLarge)
            #expect(error?.httpStatus == 413)
        }
    }

    /// Authenticated bodies that are not the provider's push payload are 400, or 202 when valid but not a push.
    @Test(
        arguments: [
            ("dockerhub", "not json", RegistryWebhookError.Code.malformed),
            ("dockerhub", #"{"push_data":{"tag":"1"}}"#, .malformed),
            ("dockerhub", #"{"repository":{"repo_name":"Bad Name"}}"#, .malformed),
            ("ghcr", #"{"action":"published","package":{"package_type":"container"}}"#, .malformed),
            ("ghcr", #"{"action":"deleted","package":{"name":"web","owner":{"login":"acme"}}}"#, .ignored),
            ("harbor", #"{"type":"PUSH_ARTIFACT","event_data":{"repository":{"repo_full_name":"library/app"}}}"#, .malformed),
            ("harbor", #"{"type":"DELETE_ARTIFACT","event_data":{}}"#, .ignored),
            ("generic", #"{"img":"x"}"#, .malformed),
            ("generic", #"[1,2]"#, .malformed),
        ] as [(String, String, RegistryWebhookError.Code)])
    func malformedBodies(_ provider: String, _ text: String, _ code: RegistryWebhookError.Code) async {
        let body = Array(text.utf8)
        let headers: [String: String] =
            switch provider {
            case "ghcr": ["X-Hub-Signature-256": Self.sign(body, "gh-secret")]
            case "harbor": ["Authorization": "Bearer harbor-secret"]
            case "generic": ["X-Signature": Self.sign(body, "generic-secret")]
            default: [:]
            }
        let error = await #expect(throws: RegistryWebhookError.self) {
            try await Self.handler.handle(provider: provider, headers: headers, body: body, token: "hub-token-1")
        }
        #expect(error?.code == code, "\(String(describing: error))")
    }

    @Test func pingIsIgnored() async {
        let body = Array(#"{"zen":"Keep it logically awesome.","hook_id":1}"#.utf8)
        let error = await #expect(throws: RegistryWebhookError.self) {
            try await Self.handler.handle(
                provider: "ghcr", headers: ["X-GitHub-Event": "ping", "X-Hub-Signature-256": Self.sign(body, "gh-secret")], body: body)
        }
        #expect(error?.code == .ignored)
        #expect(error?.httpStatus == 202)
    }
}
