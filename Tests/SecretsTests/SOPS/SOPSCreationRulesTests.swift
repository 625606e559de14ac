import Foundation
import KeelsonTesting
import Testing

@testable import Secrets

/// `.sops.yaml` creation rules: parsing, first-match selection, and agreement with the sops binary.
struct SOPSCreationRulesTests {
    static let dev = AgeIdentity.generate().recipient.description
    static let prod = AgeIdentity.generate().recipient.description
    static let ops = AgeIdentity.generate().recipient.description

    static let config = """
        creation_rules:
          - path_regex: prod/.*\\.yaml$
            age: \(prod), \(ops)
            encrypted_regex: ^(data|stringData)$
          - path_regex: \\.env$
            age:
              - \(dev)
            unencrypted_suffix: _plain
            mac_only_encrypted: true
          - path_regex: groups/
            key_groups:
              - age:
                  - \(ops)
            encrypted_suffix: _secret
          - age: \(dev)
        """

    struct Pick: Sendable, CustomStringConvertible {
        var path: String
        var recipients: [String]
        var selector: SOPSEncryptionRules.Selector
        var macOnly = false
        var description: String { path }
    }

    static let picks: [Pick] = [
        // The first matching rule wins, and `age` may be a comma-separated string.
        Pick(path: "clusters/prod/secret.yaml", recipients: [prod, ops], selector: .encryptedRegex("^(data|stringData)$")),
        // `age` may be a list; mac_only_encrypted is carried.
        Pick(path: "apps/web/.env", recipients: [dev], selector: .unencryptedSuffix("_plain"), macOnly: true),
        // A single key group's age keys count as recipients.
        Pick(path: "groups/a.json", recipients: [ops], selector: .encryptedSuffix("_secret")),
        // A rule without path_regex matches everything, with sops' default selector.
        Pick(path: "staging/secret.yaml", recipients: [dev], selector: .unencryptedSuffix("_unencrypted")),
    ]

    @Test(arguments: picks)
    func ruleIsPickedByPath(_ pick: Pick) throws {
        let rule = try SOPSCreationRules.parse(Array(Self.config.utf8)).rule(forPath: pick.path)
        #expect(rule.recipients.map(\.description) == pick.recipients)
        #expect(rule.encryption == SOPSEncryptionRules(selector: pick.selector, macOnlyEncrypted: pick.macOnly))
    }

    struct Bad: Sendable, CustomStringConvertible {
        var description: String
        var yaml: String
        var path = "a.yaml"
        var code: SOPSError.Code
    }

    static let bad: [Bad] = [
        // No rule matches: a clear error rather than encrypting to nobody.
        Bad(description: "no match", yaml: "creation_rules:\n  - path_regex: ^x$\n    age: \(dev)\n", code: .config),
        // A rule with only PGP keys gives Keelson no recipients.
        Bad(description: "pgp only", yaml: "creation_rules:\n  - pgp: ABCDEF\n", code: .config),
        // sops allows one selector per rule.
        Bad(
            description: "two selectors", yaml: "creation_rules:\n  - age: \(dev)\n    encrypted_regex: a\n    unencrypted_suffix: b\n", code: .config
        ),
        // A malformed recipient is named by position.
        Bad(description: "bad recipient", yaml: "creation_rules:\n  - age: age1notakey\n", code: .config),
        // An invalid path_regex is refused when parsing.
        Bad(description: "bad regex", yaml: "creation_rules:\n  - path_regex: '('\n    age: \(dev)\n", code: .config),
        // Shamir needs several groups; Keelson refuses rather than mis-encrypting.
        Bad(description: "shamir", yaml: "creation_rules:\n  - key_groups:\n      - age: [\(dev)]\n      - age: [\(ops)]\n", code: .unsupported),
        Bad(description: "not a list", yaml: "creation_rules: yes-please\n", code: .config),
    ]

    @Test(arguments: bad)
    func badConfigIsRefused(_ bad: Bad) {
        expectSOPSError([bad.code]) {
            _ = try SOPSCreationRules.parse(Array(bad.yaml.utf8), file: ".sops.yaml").rule(forPath: bad.path)
        }
    }

    // An oversized .sops.yaml is refused before parsing.
    @Test func oversizedConfigIsRefused() {
        let huge = [UInt8](repeating: UInt8(ascii: "#"), count: SOPSCreationRules.maxSize + 1)
        expectSOPSError([.inputTooLarge]) { _ = try SOPSCreationRules.parse(huge) }
    }

    // sops, given the same .sops.yaml, picks the same recipients and selector as Keelson for each path.
    @Test(.enabled(if: ProcessRunner.isAvailable("sops"), "the sops binary is not on PATH"), arguments: picks)
    func sopsPicksTheSameRule(_ pick: Pick) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write(".sops.yaml", Self.config)
        let plain = pick.path.hasSuffix(".env") ? "A=1\n" : (pick.path.hasSuffix(".json") ? "{\"a\": 1}" : "a: 1\n")
        try folder.write(pick.path, plain)
        var environment = ProcessInfo.processInfo.environment
        environment["SOPS_DISABLE_VERSION_CHECK"] = "1"
        let result = try await ProcessRunner.run("sops", ["-e", pick.path], directory: folder.path, environment: environment)
        try #require(result.status == 0, "sops exited \(result.status): \(result.errorOutput)")
        let format = try #require(SOPS.Format(path: pick.path))
        let loaded = try SOPSStore.load(Array(result.stdout), format: format, file: pick.path, maxDepth: 10)
        let metadata = try SOPSMetadata(try #require(loaded.metadata))
        #expect(metadata.age.map(\.recipient) == pick.recipients)
        #expect(metadata.rules == SOPSEncryptionRules(selector: pick.selector, macOnlyEncrypted: pick.macOnly))
    }
}
