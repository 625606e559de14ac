import Foundation
import ImageAutomation
import KeelsonFoundation
import KeelsonTesting
import Registry
import Testing

/// Against a real docker-registry on loopback holding images these tests push themselves.
@Suite(.enabled(if: LocalRegistry.missing == nil, "\(LocalRegistry.missing ?? "")"))
struct RegistryIntegrationTests {
    static let tags = ["1.0.0", "1.2.0", "1.10.0", "2.0.0-rc.1", "latest", "main-abc123-1700000001", "main-def456-1700000200", "7", "12"]
    static let anonymous: RegistryClient.Credentials = { _ in .anonymous }

    struct PolicyCase: Sendable, CustomTestStringConvertible {
        var rule: String
        var policy: @Sendable () throws -> TagPolicy
        var selected: String
        var testDescription: String { rule }
    }

    static let policies: [PolicyCase] = [
        PolicyCase(rule: "semver release range", policy: { TagPolicy(choice: .semver(try VersionRange(">=1.0.0"))) }, selected: "1.10.0"),
        PolicyCase(rule: "semver with pre-releases", policy: { TagPolicy(choice: .semver(try VersionRange(">=1.0.0-0"))) }, selected: "2.0.0-rc.1"),
        PolicyCase(rule: "semver caret", policy: { TagPolicy(choice: .semver(try VersionRange("~1.0"))) }, selected: "1.0.0"),
        PolicyCase(rule: "alphabetical asc", policy: { TagPolicy(choice: .alphabetical(.asc)) }, selected: "main-def456-1700000200"),
        PolicyCase(rule: "alphabetical desc", policy: { TagPolicy(choice: .alphabetical(.desc)) }, selected: "1.0.0"),
        PolicyCase(
            rule: "numerical over numeric tags",
            policy: { TagPolicy(choice: .numerical(.asc), filter: try TagFilter(pattern: "^[0-9]+$")) }, selected: "12"),
        PolicyCase(
            rule: "numerical desc over numeric tags",
            policy: { TagPolicy(choice: .numerical(.desc), filter: try TagFilter(pattern: "^[0-9]+$")) }, selected: "7"),
        PolicyCase(
            rule: "extracted timestamp",
            policy: { TagPolicy(choice: .numerical(.asc), filter: try TagFilter(pattern: "^main-[a-f0-9]+-(?P<ts>[0-9]+)$", extract: "$ts")) },
            selected: "main-def456-1700000200"),
    ]

    /// Tags are listed (asking for pages of two), every policy chooses over them, and digests
    /// match what was pushed. Debian's docker-registry 2.8 ignores `n` on tag lists and answers
    /// in one page, so `Link` paging itself is pinned in `RegistryProtocolTests`.
    @Test func tagsPoliciesAndDigests() async throws {
        try await LocalRegistry.with { registry in
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true, pageSize: 2), credentials: Self.anonymous) { client in
                var digests: [String: String] = [:]
                for tag in Self.tags { digests[tag] = try await LocalRegistry.pushImage(client, "\(registry.host)/team/app:\(tag)") }
                let image = try ImageReference.parse("\(registry.host)/team/app")
                let listed = try await client.tags(of: image)
                #expect(listed.sorted() == Self.tags.sorted())
                #expect(listed.count == Self.tags.count, "no tag may be listed twice across pages")
                for c in Self.policies {
                    #expect(try c.policy().select(listed) == c.selected, "\(c.rule)")
                }
                for tag in ["1.10.0", "latest"] {
                    var tagged = image
                    tagged.tag = tag
                    #expect(try await client.digest(of: tagged) == digests[tag])
                }
                #expect(Set(digests.values).count == Self.tags.count, "each pushed image is distinct")
                // Scan, choose and pin in one step, as an ImagePolicy with digest pinning does.
                let selected = try await client.select(image, policy: TagPolicy(choice: .semver(try VersionRange("^1.0"))), pinDigest: true)
                #expect(selected == SelectedImage(name: "\(registry.host)/team/app", tag: "1.10.0", digest: digests["1.10.0"]))
                let unpinned = try await client.select(image, policy: TagPolicy(choice: .alphabetical(.desc)), name: "mirror/app")
                #expect(unpinned == SelectedImage(name: "mirror/app", tag: "1.0.0"))
                let none = await #expect(throws: ImageAutomationError.self) {
                    try await client.select(image, policy: TagPolicy(choice: .semver(try VersionRange(">=5"))))
                }
                #expect(none?.code == .noMatchingTag && none?.subject == image.name)
                var missing = image
                missing.tag = "9.9.9"
                let error = await #expect(throws: RegistryError.self) { try await client.digest(of: missing) }
                #expect(error?.code == .registry)
            }
        }
    }

    /// With htpasswd auth: the right password lists tags; a wrong or missing one is an unauthorized error without the password.
    @Test func basicAuth() async throws {
        let htpasswd = try await LocalRegistry.htpasswd(user: "ci", password: "s3cret-pw")
        try await LocalRegistry.with(.htpasswd(htpasswd)) { registry in
            let good: RegistryClient.Credentials = { _ in .basic(username: "ci", password: "s3cret-pw") }
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true, pageSize: 2), credentials: good) { client in
                try await LocalRegistry.pushImage(client, "\(registry.host)/secure/app:1.0.0")
                try await LocalRegistry.pushImage(client, "\(registry.host)/secure/app:1.1.0")
                try await LocalRegistry.pushImage(client, "\(registry.host)/secure/app:2.0.0")
                #expect(try await client.tags(of: ImageReference.parse("\(registry.host)/secure/app")).sorted() == ["1.0.0", "1.1.0", "2.0.0"])
            }
            for credential in [RegistryCredential.basic(username: "ci", password: "wrong-pw"), .anonymous] {
                try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: { _ in credential }) { client in
                    let error = await #expect(throws: RegistryError.self) {
                        try await client.tags(of: ImageReference.parse("\(registry.host)/secure/app"))
                    }
                    #expect(error?.code == .unauthorized)
                    #expect(error.map { !"\($0)".contains("wrong-pw") && !"\($0)".contains("s3cret") } == true)
                }
            }
        }
    }
}

/// docker-registry with token auth and with TLS: the Bearer flow and a private CA, end to end.
@Suite(.enabled(if: LocalRegistry.missing == nil, "\(LocalRegistry.missing ?? "")"))
struct RegistryTokenAndTLSTests {
    /// A token service on loopback that checks Basic credentials and issues signed tokens for the scope asked.
    static func tokenService(_ request: StubRequest, _ base: String) -> StubResponse? {
        let basic = "Basic " + Data("robot:tok3n-pw".utf8).base64EncodedString()
        guard request.path == "/token", request.headers["authorization"] == basic else { return StubResponse(status: 401) }
        let scope = (request.query["scope"] ?? "").split(separator: ":").map(String.init)
        guard scope.count == 3,
            let token = try? TestPKI.shared.token(
                issuer: "keelson-test-issuer", service: request.query["service"] ?? "", repository: scope[1],
                actions: scope[2].split(separator: ",").map(String.init))
        else { return StubResponse(status: 400) }
        return StubResponse(status: 200, body: #"{"token":"\#(token)","expires_in":300}"#)
    }

    @Test func bearerTokenFlowAgainstTheRealRegistry() async throws {
        try await StubServer.with(Self.tokenService) { tokens in
            let guardSetting = LocalRegistry.Guard.token(
                realm: tokens.base + "/token", service: "keelson-registry", issuer: "keelson-test-issuer",
                rootCertificatePEM: TestPKI.shared.tokenCertificatePEM)
            try await LocalRegistry.with(guardSetting) { registry in
                let good: RegistryClient.Credentials = { _ in .basic(username: "robot", password: "tok3n-pw") }
                try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: good) { client in
                    let pushed = try await LocalRegistry.pushImage(client, "\(registry.host)/team/app:1.0.0")
                    try await LocalRegistry.pushImage(client, "\(registry.host)/team/app:1.1.0")
                    let image = try ImageReference.parse("\(registry.host)/team/app:1.0.0")
                    #expect(try await client.tags(of: image).sorted() == ["1.0.0", "1.1.0"])
                    #expect(try await client.digest(of: image) == pushed)
                }
                // The registry asks for pull (blob check), then pull,push (upload); the push token then
                // serves every later request, so two tokens are issued for all the pushes and reads.
                let issued = tokens.requests.filter { $0.path == "/token" }.compactMap { $0.query["scope"] }.filter { $0.contains("team/app") }
                // The registry lists actions in either order.
                #expect(issued.map { Set($0.split(separator: ":").last!.split(separator: ",")) } == [["pull"], ["pull", "push"]])
                let bad: RegistryClient.Credentials = { _ in .basic(username: "robot", password: "wrong") }
                try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: bad) { client in
                    let error = await #expect(throws: RegistryError.self) {
                        try await client.tags(of: ImageReference.parse("\(registry.host)/team/app"))
                    }
                    #expect(error?.code == .unauthorized)
                }
            }
        }
    }

    @Test func privateCAIsTrustedOnlyWhenGiven() async throws {
        try await LocalRegistry.with(.tls(certificatePEM: TestPKI.shared.serverCertificatePEM, keyPEM: TestPKI.shared.serverKeyPEM)) { registry in
            let trusted = RegistryOptions(caCertificatesPEM: Array(TestPKI.shared.caPEM.utf8))
            try await RegistryClient.withClient(options: trusted, credentials: { _ in .anonymous }) { client in
                try await LocalRegistry.pushImage(client, "\(registry.host)/tls/app:3.0.0")
                #expect(try await client.tags(of: ImageReference.parse("\(registry.host)/tls/app")) == ["3.0.0"])
            }
            try await RegistryClient.withClient(options: RegistryOptions(requestTimeout: .seconds(5)), credentials: { _ in .anonymous }) { client in
                let error = await #expect(throws: RegistryError.self) {
                    try await client.tags(of: ImageReference.parse("\(registry.host)/tls/app"))
                }
                #expect(error?.code == .transport, "an unknown CA is refused")
            }
        }
    }
}
