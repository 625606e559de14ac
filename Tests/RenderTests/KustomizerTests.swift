import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Render

/// Kustomizer rules that need no kubectl: refusals and their messages, the content hash.
@Suite struct KustomizerTests {
    static let refusals: [(name: String, files: [String: String], path: String, code: RenderError.Code, prefix: String)] = [
        // Remote bases are never fetched; the error names the file and the field.
        (
            "remote base", ["kustomization.yaml": "resources:\n- https://github.com/org/repo//base?ref=v1\n"], ".", .unsupported,
            "kustomization.yaml: resources: remote resource"
        ),
        // A chart missing from the chart home is never pulled from its repo.
        (
            "helm chart to pull", ["kustomization.yaml": "helmCharts:\n- {name: x, repo: 'https://charts.example.com', version: 1.0.0}\n"], ".",
            .unsupported, "kustomization.yaml: helmCharts x: no chart found at 'charts/x-1.0.0/x': Keelson does not pull charts"
        ),
        // Exec and KRM plugins never run (builtin plugin configs do); the error names the config's file.
        (
            "generator plugin",
            [
                "app/kustomization.yaml": "generators: [gen.yaml]\n",
                "app/gen.yaml": "apiVersion: someteam.example.com/v1\nkind: SecretFetcher\nmetadata: {name: g}\n",
            ], "app", .unsupported, "app/gen.yaml:1:1: SecretFetcher: external plugin"
        ),
        (
            "transformer plugin", ["kustomization.yaml": "transformers:\n- |\n  apiVersion: v1\n  kind: Sed\n  metadata: {name: s}\n"], ".",
            .unsupported, "kustomization.yaml: transformers:1:1: Sed: external plugin"
        ),
        // A replacement's error names the kustomization file and the field.
        (
            "replacement source missing", ["kustomization.yaml": "replacements:\n- source: {kind: X}\n  targets: [{select: {kind: Z}}]\n"], ".",
            .transform, "kustomization.yaml: replacements: found no matches for source"
        ),
        // A var that names no object fails, naming the var.
        (
            "var without object", ["kustomization.yaml": "vars:\n- name: X\n  objref: {kind: Service, name: db, apiVersion: v1}\n"], ".",
            .transform, "var 'X' cannot be mapped"
        ),
        // Not implemented: refused rather than rendered differently from kustomize.
        ("openapi version", ["kustomization.yaml": "openapi:\n  version: v1.21.2\n"], ".", .unsupported, "kustomization.yaml: openapi: "),
        ("unknown order", ["kustomization.yaml": "sortOptions:\n  order: random\n"], ".", .kustomization, "kustomization.yaml: sortOptions: "),
        (
            "transformer annotations", ["kustomization.yaml": "buildMetadata: [transformerAnnotations]\n"], ".", .unsupported,
            "kustomization.yaml: buildMetadata: transformerAnnotations"
        ),
        // A typo is an error, as in kustomize's strict decoding.
        ("unknown field", ["kustomization.yaml": "namPrefix: x-\n"], ".", .kustomization, "kustomization.yaml: namPrefix: unknown field"),
        // The load restrictor: an overlay may not read a file from its base's directory.
        (
            "file outside the kustomization",
            [
                "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
                "overlay/kustomization.yaml": "resources: [../base/cm.yaml]\n",
            ], "overlay", .read, "overlay/kustomization.yaml: resources: security;"
        ),
        // A generator field names the generator.
        (
            "bad literal", ["kustomization.yaml": "configMapGenerator:\n- name: c\n  literals: [nokey]\n"], ".", .kustomization,
            "kustomization.yaml: configMapGenerator c: invalid literal source"
        ),
    ]

    @Test(arguments: refusals.map(\.name))
    func refusesNamingFileAndField(_ name: String) throws {
        let entry = try #require(Self.refusals.first { $0.name == name })
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (file, text) in entry.files { try dir.write(file, text) }
        do {
            let result = try Kustomizer().render(try SecureRoot(directory: dir.path), path: entry.path)
            Issue.record("\(name): rendered \(result.manifests.count) objects instead of failing")
        } catch let error as RenderError {
            #expect(error.code == entry.code, "\(name): \(error)")
            #expect(error.message.hasPrefix(entry.prefix), "\(name): \(error.message)")
        }
    }

    @Test func sha256MatchesTheStandardVectors() {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array(String(repeating: "a", count: 1000).utf8)
        #expect(hex(SHA256.hash(long)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    /// Suffixes kustomize v5.5 printed for these objects (its hash ignores the name).
    static let suffixes: [(JSONObject, String)] = [
        (["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "empty"]], "6ct58987ht"),
        (["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "other-name"]], "6ct58987ht"),
        (["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "lit"], "data": ["a": "1", "b": "x y", "c": "z"]], "g8fg74md57"),
        (["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "type": "Opaque", "data": ["k": "dg=="]], "ftgtgc4t9f"),
    ]

    @Test(arguments: suffixes.indices)
    func contentHashMatchesKustomize(_ index: Int) {
        #expect(ContentHash.suffix(for: Self.suffixes[index].0) == Self.suffixes[index].1)
    }
}
