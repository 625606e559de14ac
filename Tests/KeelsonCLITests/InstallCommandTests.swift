import Foundation
import KeelsonRuntime
import KeelsonTesting
import Manifests
import Testing

/// `keelson install`: the manifests it carries are `deploy/`, it prints what `kubectl kustomize
/// deploy/` prints, and it installs them into a sandbox with Keelson's sync engine.
@Suite struct InstallCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    static let deploy = Fixtures.packageRoot() + "/deploy"

    /// The binary carries every file of deploy/, byte for byte, and nothing else.
    @Test func theCarriedFilesAreDeploy() throws {
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: Self.deploy).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(Installation.files.map(\.path).sorted() == onDisk)
        for (path, text) in Installation.files {
            #expect(try String(contentsOfFile: Self.deploy + "/" + path, encoding: .utf8) == text, "\(path) differs from deploy/\(path)")
        }
    }

    @Test(
        "--dry-run prints what kubectl kustomize deploy/ prints",
        .enabled(if: ReferenceKubectl.v137.isAvailable, "kubectl 1.37.1 is not installed; scripts/test installs it"))
    func dryRunIsKustomizeOfDeploy() async throws {
        let ours = try await ProcessRunner.run(keelson, ["install", "--dry-run"])
        try #require(ours.status == 0, "\(ours.errorOutput)")
        let theirs = try await ProcessRunner.run(try ReferenceKubectl.v137.path(), ["kustomize", Self.deploy])
        try #require(theirs.status == 0, "\(theirs.errorOutput)")
        let mine = try Manifest.decode(ours.stdout, file: "keelson install").map(\.object)
        let expected = try Manifest.decode(theirs.stdout, file: "kubectl kustomize").map(\.object)
        #expect(mine == expected)
        let kinds = mine.compactMap { $0["kind"]?.stringValue }
        #expect(kinds.contains("NetworkPolicy") && kinds.contains("Deployment"))
    }

    /// The namespaced variant: what kubectl kustomize makes of it, with no cluster-scoped object
    /// and the controller confined by --watch-namespaces.
    @Test(
        "keelson render deploy-namespaced/ prints what kubectl kustomize prints, and nothing cluster-scoped",
        .enabled(if: ReferenceKubectl.v137.isAvailable, "kubectl 1.37.1 is not installed; scripts/test installs it"))
    func namespacedVariantIsKustomizeOfIt() async throws {
        let variant = Fixtures.packageRoot() + "/deploy-namespaced"
        let ours = try await ProcessRunner.run(keelson, ["render", variant])
        try #require(ours.status == 0, "\(ours.errorOutput)")
        let theirs = try await ProcessRunner.run(try ReferenceKubectl.v137.path(), ["kustomize", variant])
        try #require(theirs.status == 0, "\(theirs.errorOutput)")
        let mine = try Manifest.decode(ours.stdout, file: "keelson render").map(\.object)
        #expect(mine == (try Manifest.decode(theirs.stdout, file: "kubectl kustomize").map(\.object)))
        let kinds = Set(mine.compactMap { $0["kind"]?.stringValue })
        #expect(kinds == ["ServiceAccount", "Role", "RoleBinding", "Service", "Deployment", "NetworkPolicy"], "\(kinds)")
        #expect(ours.stdout.count > 0 && String(decoding: ours.stdout, as: UTF8.self).contains("--watch-namespaces=keelson"))
    }

    @Test func imageAndReplicasAreSet() throws {
        let objects = try Installation.manifests(image: "registry.example.com/keelson@sha256:0123", replicas: 2)
        let deployment = try #require(objects.first { $0.object["kind"] == "Deployment" })
        #expect(deployment.value[path: ["spec", "replicas"]] == 2)
        let container = try #require(deployment.value[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first)
        #expect(container["image"] == "registry.example.com/keelson@sha256:0123")
        #expect(throws: InstallationError.self) { try Installation.manifests(image: "bad image") }
        #expect(throws: InstallationError.self) { try Installation.manifests(replicas: -1) }
    }

    @Test(arguments: [["-o", "yaml"], ["--replicas=-1", "--dry-run"], ["--image", "a b", "--dry-run"]])
    func unusableFlagsExitTwo(_ arguments: [String]) async throws {
        let result = try await ProcessRunner.run(keelson, ["install"] + arguments)
        #expect(result.status == 2, "\(result.errorOutput)")
        #expect(result.stdout.isEmpty)
    }

    /// Installs into a sandbox: every object of deploy/ is there afterwards, and a second install
    /// changes nothing.
    @Test(.enabled(if: ProcessRunner.isAvailable("kubectl"), "kubectl is not installed"))
    func installsEveryObjectIntoASandbox() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sandbox = try await SandboxCommandTests.Running(keelson, data: dir.path + "/state.db", directory: dir)
        defer { if sandbox.process.isRunning { sandbox.process.terminate() } }
        let first = try await ProcessRunner.run(
            keelson, ["install", "--kubeconfig", sandbox.kubeconfig, "--image", "registry.example.com/keelson:0.1.0"])
        try #require(first.status == 0, "\(first.output)\(first.errorOutput)")
        #expect(first.output.contains("keelson/keelson succeeded"), "\(first.output)")
        for object in try Installation.manifests() {
            let kind = object.object["kind"]?.stringValue ?? ""
            let name = object.object["metadata"]?["name"]?.stringValue ?? ""
            let namespace = object.object["metadata"]?["namespace"]?.stringValue
            let arguments = ["get", kind.lowercased() + "." + Self.group(object), name] + (namespace.map { ["-n", $0] } ?? [])
            _ = try await sandbox.kubectl(arguments)
        }
        let image = try await sandbox.kubectl(
            ["get", "deployment", "keelson-controller", "-n", "keelson", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
        #expect(image == "registry.example.com/keelson:0.1.0")
        let second = try await ProcessRunner.run(
            keelson, ["install", "--kubeconfig", sandbox.kubeconfig, "--image", "registry.example.com/keelson:0.1.0", "-o", "json"])
        try #require(second.status == 0, "\(second.output)\(second.errorOutput)")
        let changes = try JSONParser.parse(Array(second.stdout), file: "install -o json")
        let actions = Set((changes["objects"]?.arrayValue ?? []).compactMap { $0["action"]?.stringValue })
        #expect(actions == ["unchanged"], "\(second.output)")
        _ = try await sandbox.stop()
    }

    /// The API group kubectl needs to name a kind unambiguously (`deployment.apps`); empty for the core group.
    static func group(_ object: Manifest) -> String {
        let apiVersion = object.object["apiVersion"]?.stringValue ?? ""
        return apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
    }
}
