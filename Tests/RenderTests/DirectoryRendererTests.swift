import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Render

@Suite struct DirectoryRendererTests {
    static let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\nspec: {replicas: 1}\n"
    static let namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n"
    static let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n"

    func render(_ files: [String: String], _ renderer: DirectoryRenderer = DirectoryRenderer()) throws -> RenderResult {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (name, text) in files { try dir.write(name, text) }
        return try renderer.render(SecureRoot(directory: dir.path))
    }

    @Test func rendersRecursivelyInApplyOrder() throws {
        let result = try render([
            "z/deploy.yaml": Self.deployment,
            "a/ns.yaml": Self.namespace,
            "m/deeper/crd.yml": Self.crd,
            "cr.json": #"{"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "app"}}"#,
        ])
        #expect(result.manifests.map(\.kind) == ["CustomResourceDefinition", "Namespace", "Deployment", "Widget"])
        #expect(result.files == ["a/ns.yaml", "cr.json", "m/deeper/crd.yml", "z/deploy.yaml"])
    }

    @Test func skipsEmptyCommentOnlyAndHiddenFiles() throws {
        let result = try render([
            "empty.yaml": "",
            "comments.yaml": "# nothing here\n---\n# still nothing\n",
            "multi.yaml": "---\n" + Self.namespace + "---\n---\n" + Self.deployment,
            ".git/config.yaml": "not: [yaml",
            ".hidden.yaml": "broken: [",
            "notes.txt": "not yaml at all: [",
        ])
        #expect(result.manifests.map(\.kind) == ["Namespace", "Deployment"])
    }

    @Test func includeAndExcludeGlobs() throws {
        let files = ["base/a.yaml": Self.namespace, "base/b.yaml": Self.deployment, "test/c.yaml": Self.crd]
        let onlyBase = DirectoryRenderer(include: [try Glob("base/*.yaml")])
        #expect(try render(files, onlyBase).files == ["base/a.yaml", "base/b.yaml"])
        let noTests = DirectoryRenderer(exclude: [try Glob("test/**")])
        #expect(try render(files, noTests).files == ["base/a.yaml", "base/b.yaml"])
        let braces = DirectoryRenderer(include: [try Glob("{a,c}.yaml")])
        #expect(try render(files, braces).files == ["base/a.yaml", "test/c.yaml"])
    }

    @Test func documentWithoutKindNamesFileAndLine() throws {
        let bad = Self.namespace + "---\napiVersion: v1\nmetadata: {name: x}\n"
        do {
            _ = try render(["dir/bad.yaml": bad])
            Issue.record("rendered a document without kind")
        } catch let error as RenderError {
            #expect(error.code == .parse)
            #expect(error.message.hasPrefix("dir/bad.yaml:5:"), "\(error.message)")
        }
    }

    @Test func syntaxErrorNamesFileLineAndColumn() throws {
        do {
            _ = try render(["x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n"])
            Issue.record("rendered broken YAML")
        } catch let error as RenderError {
            #expect(error.message.hasPrefix("x.yaml:"), "\(error.message)")
        }
    }

    @Test func duplicateObjectsAreRefused() throws {
        #expect(throws: RenderError.self) { try render(["a.yaml": Self.namespace, "b.yaml": Self.namespace]) }
    }

    @Test func listsAreFlattened() throws {
        let list = "apiVersion: v1\nkind: List\nitems:\n- " + Self.namespace.replacingOccurrences(of: "\n", with: "\n  ")
        #expect(try render(["l.yaml": list]).manifests.map(\.key.description) == ["Namespace/app"])
    }

    @Test func outputIsDeterministic() throws {
        var files: [String: String] = [:]
        for i in 0..<50 {
            files["f\(i % 7)/cm-\(i).yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-\(i), namespace: ns-\(i % 3)}\n"
        }
        let first = YAMLEncoder.encodeDocuments(try render(files).manifests.map(\.value))
        let second = YAMLEncoder.encodeDocuments(try render(files).manifests.map(\.value))
        #expect(first == second)
        let names = try render(files).manifests.map { "\($0.namespace)/\($0.name)" }
        #expect(names == names.sorted())
    }

    @Test func aKustomizationAtTheTopRendersThroughKustomize() throws {
        let result = try render(["kustomization.yaml": "namePrefix: p-\nresources: [a.yaml]\n", "a.yaml": Self.namespace + "---\n" + Self.deployment])
        #expect(result.manifests.map(\.name) == ["app", "p-web"])
        #expect(result.files == ["kustomization.yaml", "a.yaml"])
    }

    @Test func aNestedKustomizationInAPlainDirectoryIsRefused() throws {
        #expect(throws: RenderError.self) {
            try render(["app/kustomization.yaml": "resources: [a.yaml]\n", "app/a.yaml": Self.namespace])
        }
    }
}
