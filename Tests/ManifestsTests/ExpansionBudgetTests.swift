import Foundation
import Manifests
import Testing

/// Issue #13 item 6: a small file whose aliases repeat a large scalar must fail on the bytes it
/// expands to, before the expansion is built, naming the file, the line and the limit.
@Suite struct ExpansionBudgetTests {
    /// A ConfigMap whose `data.big` is a 1 MiB scalar and `data.a0`… repeat it through aliases:
    /// about 1 MiB of text that expands to `aliases` MiB.
    static func bomb(aliases: Int) -> String {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  big: &big \""
        text += String(repeating: "x", count: 1 << 20) + "\"\n"
        for index in 0..<aliases { text += "  a\(index): *big\n" }
        return text
    }

    // The 300- and 1,000-alias bombs of the audit: 1 MiB on disk, 300 MiB and 1 GiB expanded.
    @Test(arguments: [300, 1_000])
    func aliasBombFailsOnTheDocumentLimit(_ aliases: Int) throws {
        let started = ContinuousClock.now
        let error = try #require(throws: ManifestError.self) {
            try YAMLDecoder().decode(Self.bomb(aliases: aliases), file: "apps/bomb.yaml")
        }
        #expect(error.code == .aliasExpansion)
        // The anchor and two aliases fit in 4 MiB; the third alias (`a2:`, line 9) passes it.
        #expect(error.location.file == "apps/bomb.yaml")
        #expect(error.location.line == 9, "the line of the alias that passed the limit, not of the anchor: \(error)")
        #expect(error.message.contains("4194304 bytes (4 MiB)") && error.message.contains("YAMLDecoder.maximumDocumentBytes"), "\(error)")
        #expect(ContinuousClock.now - started < .seconds(30), "fails while counting, not after building the expansion")
    }

    // A document as large as its own text always reads: only expansion is limited.
    @Test func documentLargerThanTheLimitWithoutAliasesReads() throws {
        let value = String(repeating: "y", count: 5 << 20)
        let documents = try YAMLDecoder().decode("kind: ConfigMap\ndata:\n  big: \(value)\n", file: "big.yaml")
        #expect(documents.first?.value["data"]?["big"]?.stringValue?.utf8.count == 5 << 20)
    }

    // Documents each under the document limit still share the stream's limit.
    @Test func documentsTogetherFailOnTheStreamLimit() throws {
        let anchor = String(repeating: "z", count: 100_000)
        let document = "kind: ConfigMap\ndata:\n  a: &a \(anchor)\n  b: *a\n  c: *a\n"
        let text = Array(repeating: document, count: 10).joined(separator: "---\n")
        let decoder = YAMLDecoder(maximumStreamBytes: 2_000_000)
        let error = try #require(throws: ManifestError.self) { try decoder.decode(text, file: "many.yaml") }
        #expect(error.code == .tooLarge)
        #expect(error.message.contains("YAMLDecoder.maximumStreamBytes"), "\(error)")
        #expect(error.location.line > 5, "names the document where the stream passed the limit: \(error)")
    }

    // A render's budget is shared by every file decoded with it.
    @Test func sharedBudgetSpansFiles() throws {
        var budget = ExpansionBudget(limit: 300_000, name: "the test limit")
        let file = "kind: ConfigMap\ndata:\n  a: \(String(repeating: "q", count: 100_000))\n"
        _ = try YAMLDecoder().decode(file, file: "one.yaml", budget: &budget)
        _ = try YAMLDecoder().decode(file, file: "two.yaml", budget: &budget)
        let error = try #require(throws: ManifestError.self) { try YAMLDecoder().decode(file, file: "three.yaml", budget: &budget) }
        #expect(error.location.file == "three.yaml" && error.message.contains("the test limit"), "\(error)")
    }

    // Legitimate anchors, aliases and merge keys read exactly as before.
    @Test func anchorsAliasesAndMergeKeysReadAsBefore() throws {
        let text = """
            defaults: &defaults {cpu: 100m, memory: 64Mi}
            labels: &labels {app: web, tier: front}
            containers:
            - name: a
              resources: {requests: *defaults}
            - <<: *defaults
              name: b
              memory: 128Mi
            - <<: [*labels, *defaults]
              name: c
            ports: &ports [80, 443]
            again: *ports
            """
        let value = try #require(try YAMLDecoder().decode(text, file: "ok.yaml").first?.value)
        let defaults: JSONValue = ["cpu": "100m", "memory": "64Mi"]
        let expected: JSONValue = [
            "defaults": defaults,
            "labels": ["app": "web", "tier": "front"],
            "containers": [
                ["name": "a", "resources": ["requests": defaults]],
                ["cpu": "100m", "memory": "128Mi", "name": "b"],
                ["app": "web", "tier": "front", "cpu": "100m", "memory": "64Mi", "name": "c"],
            ],
            "ports": [80, 443],
            "again": [80, 443],
        ]
        #expect(value == expected)
        // Merged keys land where `<<` stood, before the explicit ones.
        #expect(value["containers"]?.arrayValue?[1].objectValue?.keys.elements == ["cpu", "name", "memory"])
        #expect(value["containers"]?.arrayValue?[2].objectValue?.keys.elements == ["app", "tier", "cpu", "memory", "name"])
    }
}
