import Testing

@testable import Manifests

@Suite struct ManifestDiffTests {
    func manifest(_ yaml: String) throws -> Manifest {
        try #require(try Manifest.decode(Array(yaml.utf8), file: "t.yaml").first)
    }

    @Test func classifiesEachObject() throws {
        let old = [
            try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\ndata: {a: '1', b: '2'}\n"),
            try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edited}\ndata: {a: '1'}\n"),
            try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone}\n"),
        ]
        let new = [
            // Key order alone is no change.
            try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\ndata: {b: '2', a: '1'}\n"),
            try manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edited}\ndata: {a: '2'}\n"),
            try manifest("apiVersion: v1\nkind: Namespace\nmetadata: {name: fresh}\n"),
        ]
        let diff = ManifestDiff(old: old, new: new)
        #expect(diff.summary == "1 added, 1 changed, 1 removed, 1 unchanged")
        #expect(!diff.isEmpty)
        let edited = try #require(diff.objects.first { $0.key.name == "edited" })
        #expect(edited.unified.contains("-  a: \"1\"\n+  a: \"2\"\n"))
        #expect(edited.unified.hasPrefix("--- a/ConfigMap/edited\n+++ b/ConfigMap/edited\n@@ "))
        #expect(diff.render().hasSuffix("1 added, 1 changed, 1 removed, 1 unchanged\n"))
        #expect(ManifestDiff(old: old, new: old).isEmpty)
    }

    @Test func secretValuesAreMaskedConsistently() throws {
        let old = try manifest(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {same: c2FtZQ==, changed: b2xk, alsoSame: c2FtZQ==}\nstringData: {plain: canary-old-value}\n"
        )
        let new = try manifest(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {same: c2FtZQ==, changed: bmV3, alsoSame: c2FtZQ==}\nstringData: {plain: canary-new-value}\n"
        )
        var masker = SecretMasker()
        let maskedOld = masker.mask(old)
        let maskedNew = masker.mask(new)
        let oldData = try #require(maskedOld.object["data"])
        let newData = try #require(maskedNew.object["data"])
        // Equal values share a mask, across keys and across both sides.
        #expect(oldData["same"] == newData["same"])
        #expect(oldData["same"] == oldData["alsoSame"])
        // Changed values get different masks.
        #expect(oldData["changed"] != newData["changed"])
        #expect(maskedOld.object["stringData"]?["plain"] != maskedNew.object["stringData"]?["plain"])
        let text = ManifestDiff(old: [old], new: [new]).render()
        for secret in ["c2FtZQ", "b2xk", "bmV3", "canary", "old-value", "new-value"] {
            #expect(!text.contains(secret), "diff output leaks \(secret)")
        }
        #expect(text.contains("changed"))
    }

    @Test func lastAppliedAnnotationOfSecretsIsMasked() throws {
        let secret = try manifest(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"k\":\"c2VjcmV0\"}}'\n"
        )
        var masker = SecretMasker()
        #expect(!YAMLEncoder.encode(masker.mask(secret).value).contains("c2VjcmV0"))
    }

    @Test func unifiedDiffHunks() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        var lines = (1...20).map { "line \($0)" }
        lines[2] = "changed 3"
        lines[17] = "changed 18"
        let new = lines.joined(separator: "\n") + "\n"
        let diff = LineDiff.unified(old: old, new: new, oldName: "a", newName: "b")
        #expect(diff.components(separatedBy: "@@ -").count == 3, "two separate hunks")
        #expect(diff.contains("@@ -1,6 +1,6 @@\n line 1\n line 2\n-line 3\n+changed 3\n line 4\n"))
        #expect(LineDiff.unified(old: old, new: old, oldName: "a", newName: "b").isEmpty)
    }

    @Test(arguments: [
        ("a\nb\nc\n", "a\nc\n"), ("", "x\n"), ("x\n", ""), ("a\nb\n", "b\na\n"), ("1\n2\n3\n4\n", "0\n2\n3\n5\n"),
    ])
    func editScriptsRebuildBothSides(_ old: String, _ new: String) {
        let script = LineDiff.edits(LineDiff.lines(old), LineDiff.lines(new))
        let rebuiltOld = script.compactMap { edit -> String? in
            switch edit {
            case .same(let l), .removed(let l): l
            case .added: nil
            }
        }
        let rebuiltNew = script.compactMap { edit -> String? in
            switch edit {
            case .same(let l), .added(let l): l
            case .removed: nil
            }
        }
        #expect(rebuiltOld == LineDiff.lines(old))
        #expect(rebuiltNew == LineDiff.lines(new))
    }
}
