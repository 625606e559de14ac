import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Render

#if canImport(Glibc)
import Glibc
#endif

/// Issue #13 item 6: what one render expands to is capped, per document and for the whole
/// render, before the expansion is built; the error names the file, the line and the limit.
@Suite struct RenderSizeLimitTests {
    /// A ConfigMap whose `data.big` is a 1 MiB scalar repeated `aliases` times through aliases.
    static func bomb(aliases: Int) -> String {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  big: &big \""
        text += String(repeating: "x", count: 1 << 20) + "\"\n"
        for index in 0..<aliases { text += "  a\(index): *big\n" }
        return text
    }

    /// A ConfigMap named `name` whose one value of `size` bytes appears `copies` times (aliases
    /// after the first).
    static func configMap(_ name: String, size: Int, copies: Int = 1) -> String {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\ndata:\n  v0: &v \(String(repeating: "m", count: size))\n"
        for index in 1..<max(copies, 1) { text += "  v\(index): *v\n" }
        return text
    }

    // Medium files, each well under the document limit, add up past the render limit: the
    // error names the file where the total passed it, and the limit (settable on the renderer).
    @Test func manyMediumFilesFailOnTheRenderLimit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for index in 0..<8 { try dir.write(String(format: "cm-%02d.yaml", index), Self.configMap("cm-\(index)", size: 200_000, copies: 3)) }
        let renderer = DirectoryRenderer(maximumRenderBytes: 3_000_000)
        let error = try #require(throws: RenderError.self) { try renderer.render(SecureRoot(directory: dir.path)) }
        #expect(error.code == .tooLarge)
        #expect(error.message.hasPrefix("cm-04.yaml:"), "the fifth file passes 3 MB: \(error)")
        #expect(error.message.contains("3000000 bytes") && error.message.contains("DirectoryRenderer.maximumRenderBytes"), "\(error)")
        // The same files render under a limit they fit in.
        #expect(try DirectoryRenderer(maximumRenderBytes: 5_000_000).render(SecureRoot(directory: dir.path)).manifests.count == 8)
    }

    // With the default limits: 27 files, each 1 MB expanded to 4 MB by aliases (under the
    // document limit), add up past the 100 MiB render limit.
    @Test func aliasesSpreadOverFilesFailOnTheDefaultRenderLimit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for index in 0..<27 { try dir.write(String(format: "cm-%02d.yaml", index), Self.configMap("cm-\(index)", size: 1_000_000, copies: 4)) }
        let error = try #require(throws: RenderError.self) { try DirectoryRenderer().render(SecureRoot(directory: dir.path)) }
        #expect(error.code == .tooLarge)
        #expect(error.message.hasPrefix("cm-26.yaml:"), "\(error)")
        #expect(error.message.contains("104857600 bytes (100 MiB)"), "\(error)")
    }

    // A bomb rendered through a kustomization fails the same way, naming the resource file.
    @Test func aliasBombInAKustomizationFails() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("app/kustomization.yaml", "resources: [bomb.yaml]\nnamePrefix: p-\n")
        try dir.write("app/bomb.yaml", Self.bomb(aliases: 300))
        let error = try #require(throws: RenderError.self) { try DirectoryRenderer().render(SecureRoot(directory: dir.path), path: "app") }
        #expect(error.message.hasPrefix("app/bomb.yaml:9:"), "\(error)")
        #expect(error.message.contains("YAMLDecoder.maximumDocumentBytes"), "\(error)")
    }

    // A patch read once but applied to every ConfigMap copies its value onto each: the
    // kustomization's output is measured after its transformers.
    @Test func patchCopiedOntoManyTargetsFailsOnTheRenderLimit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var resources: [String] = []
        for index in 0..<20 {
            try dir.write("app/cm-\(index).yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-\(index)}\n")
            resources.append("cm-\(index).yaml")
        }
        let patch = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: any}\ndata: {big: \(String(repeating: "p", count: 100_000))}\n"
        try dir.write("app/patch.yaml", patch)
        try dir.write(
            "app/kustomization.yaml",
            "resources: [\(resources.joined(separator: ", "))]\npatches:\n- path: patch.yaml\n  target: {kind: ConfigMap}\n")
        let root = try SecureRoot(directory: dir.path)
        let error = try #require(throws: RenderError.self) { try DirectoryRenderer(maximumRenderBytes: 1_000_000).render(root, path: "app") }
        #expect(error.code == .tooLarge)
        #expect(error.message.hasPrefix("app:") && error.message.contains("Kustomizer.maximumRenderBytes"), "\(error)")
        let fits = try DirectoryRenderer(maximumRenderBytes: 3_000_000).render(SecureRoot(directory: dir.path), path: "app")
        #expect(fits.manifests.count == 20)
    }

    // Legitimate anchors, aliases and merge keys render exactly as before.
    @Test func anchorsAndMergeKeysRenderAsBefore() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write(
            "deploy.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: &labels {app: web}}
            spec:
              selector: {matchLabels: *labels}
              template:
                metadata: {labels: *labels}
                spec:
                  containers:
                  - &main {name: main, image: "nginx:1.25", resources: {limits: &limits {cpu: 200m}}}
                  - <<: *main
                    name: sidecar
                    resources: {requests: *limits}
            """)
        let object = try #require(try DirectoryRenderer().render(SecureRoot(directory: dir.path)).manifests.first?.object)
        let labels: JSONValue = ["app": "web"]
        #expect(object["spec"]?["selector"]?["matchLabels"] == labels)
        #expect(object["spec"]?["template"]?["metadata"]?["labels"] == labels)
        let containers = try #require(object["spec"]?["template"]?["spec"]?["containers"]?.arrayValue)
        #expect(containers[0] == ["name": "main", "image": "nginx:1.25", "resources": ["limits": ["cpu": "200m"]]])
        #expect(containers[1] == ["name": "sidecar", "image": "nginx:1.25", "resources": ["requests": ["cpu": "200m"]]])
    }

    // The audit's attack, black-box: `keelson render` on the 300- and 1,000-alias bombs. Before
    // the limit it printed 314 MB at a 2.8 GB peak (1,000: 1 GB); now it fails at once, naming
    // the file, the line and the limit, and its peak memory stays small. The child runs under a
    // 1 GiB address-space limit so that code without the limit fails here instead of swapping.
    @Test(arguments: [300, 1_000])
    func keelsonRenderRefusesTheBomb(_ aliases: Int) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("bomb.yaml", Self.bomb(aliases: aliases))
        let run = try await Self.runMeasured(Fixtures.keelsonExecutable(), ["render", file])
        #expect(run.status != 0)
        #expect(run.stderr.contains("bomb.yaml:9:") && run.stderr.contains("YAMLDecoder.maximumDocumentBytes"), "\(run.stderr)")
        #expect(run.maxResidentBytes < 150 << 20, "peak resident memory \(run.maxResidentBytes >> 20) MiB")
    }

    /// Runs `executable` to its end with stdout discarded, under a 1 GiB address-space limit;
    /// returns its exit status, stderr and its own peak resident memory. A small Python parent
    /// forks it and reads `RUSAGE_CHILDREN`: the test process's own size never counts (a child
    /// spawned straight from it inherits the parent's high-water mark at `exec`).
    static func runMeasured(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, stderr: String, maxResidentBytes: Int) {
        let script = """
            import resource, subprocess, sys
            def limit(): resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
            run = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit)
            sys.stderr.buffer.write(run.stderr)
            print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let result = try await ProcessRunner.run("python3", ["-c", script, executable] + arguments)
        let fields = result.output.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard fields.count == 2 else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "measuring: \(result.output)"]) }
        return (Int32(fields[0]), result.errorOutput, fields[1] * 1024)
    }
}
