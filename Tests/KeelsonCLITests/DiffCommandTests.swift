import Foundation
import KeelsonTesting
import Testing

/// `keelson diff OLD NEW` as a user runs it.
@Suite struct DiffCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    static let canary = "CANARY-7f3a9c-DO-NOT-LEAK"

    func secret(_ value: String, name: String = "db") -> String {
        let encoded = Data(value.utf8).base64EncodedString()
        return """
            apiVersion: v1
            kind: Secret
            metadata:
              name: \(name)
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"password":"\(value)"}}'
            data:
              password: \(encoded)
            stringData:
              token: \(value)

            """
    }

    @Test func secretValuesNeverReachOutputOrErrors() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("old/secret.yaml", secret(Self.canary + "-old"))
        try dir.write("new/secret.yaml", secret(Self.canary + "-new"))
        try dir.write("new/added.yaml", secret(Self.canary, name: "added"))
        try dir.write("old/removed.yaml", secret(Self.canary, name: "removed"))
        let result = try await ProcessRunner.run(keelson, ["diff", dir.path + "/old", dir.path + "/new"])
        #expect(result.status == 1)
        let everything = result.stdout + result.stderr
        for needle in [
            Self.canary, String(Self.canary.prefix(12)), Data((Self.canary + "-old").utf8).base64EncodedString(),
            String(Data(Self.canary.utf8).base64EncodedString().prefix(12)),
        ] {
            #expect(!String(decoding: everything, as: UTF8.self).contains(needle), "output leaks \(needle)")
        }
        #expect(result.output.contains("=== Secret/db (changed)"))
        #expect(result.output.hasSuffix("1 added, 1 changed, 1 removed, 0 unchanged\n"))
    }

    @Test func equalTreesExitZero() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("a/x.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
        try dir.write("b/renamed-file.yml", "{apiVersion: v1, kind: Namespace, metadata: {name: a}}\n")
        let result = try await ProcessRunner.run(keelson, ["diff", dir.path + "/a", dir.path + "/b"])
        #expect(result.status == 0)
        #expect(result.output == "0 added, 0 changed, 0 removed, 1 unchanged\n")
    }

    @Test func filesCanBeCompared() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: one}\n")
        try dir.write("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: two}\n")
        let result = try await ProcessRunner.run(keelson, ["diff", dir.path + "/a.yaml", dir.path + "/b.yaml"])
        #expect(result.status == 1)
        #expect(result.output.contains("-  k: one\n+  k: two\n"))
    }

    @Test func errorsExitTwoWithoutLeaking() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("a/s.yaml", secret(Self.canary))
        // A broken Secret: the parse error must not quote the document.
        try dir.write("b/s.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: \"\(Self.canary)\n  other: [\n")
        let result = try await ProcessRunner.run(keelson, ["diff", dir.path + "/a", dir.path + "/b"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(!(result.output + result.errorOutput).contains(Self.canary))
        #expect(result.errorOutput.hasPrefix("keelson: s.yaml:"))
        let missing = try await ProcessRunner.run(keelson, ["diff", dir.path + "/a", dir.path + "/nope"])
        #expect(missing.status == 2)
    }
}
