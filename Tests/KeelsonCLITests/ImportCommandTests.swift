import Controller
import Fleet
import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Testing

/// `keelson import argocd|flux` prints Keelson objects on standard output and the report on
/// standard error, from files, standard input, or a cluster's Argo CD and Flux objects.
@Suite struct ImportCommandTests {
    let keelson = Fixtures.keelsonExecutable()

    static let guestbook = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: guestbook, namespace: argocd}
        spec:
          project: default
          source: {repoURL: https://git.example.com/apps.git, targetRevision: main, path: guestbook}
          destination: {server: https://kubernetes.default.svc, namespace: guestbook}
          syncPolicy: {automated: {prune: true}, syncOptions: [PruneLast=true]}

        """

    static let others = """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata: {name: fleet, namespace: argocd}
        spec:
          generators: [{list: {elements: [{cluster: dev}]}}]
          template:
            metadata: {name: '{{cluster}}-app'}
            spec:
              project: default
              source: {repoURL: https://git.example.com/apps.git, targetRevision: main, path: apps}
              destination: {server: https://kubernetes.default.svc, namespace: apps}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: argocd-cm, namespace: argocd}

        """

    // Directories are read recursively; the objects parse as Keelson's, the report names the
    // field not carried over and the objects skipped; an ApplicationSet keeps its Argo CD template.
    @Test func importsFilesFromADirectory() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-import")
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path + "/apps/nested", withIntermediateDirectories: true)
        try Self.guestbook.write(toFile: folder.path + "/apps/nested/guestbook.yaml", atomically: true, encoding: .utf8)
        try Self.others.write(toFile: folder.path + "/apps/others.yml", atomically: true, encoding: .utf8)
        try "not: [yaml".write(toFile: folder.path + "/apps/README.md", atomically: true, encoding: .utf8)

        let result = try await ProcessRunner.run(keelson, ["import", "argocd", folder.path + "/apps"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let objects = try Manifest.decode(Array(result.stdout), file: "stdout")
        #expect(objects.map(\.kind) == ["Application", "ApplicationSet"])
        let set = try ApplicationSet(objects[1])
        #expect(set.templateFormat == .argoCD && set.namespace == "keelson")
        let app = try Application(try #require(objects.first))
        #expect(app.namespace == "keelson" && app.spec.source.path == "guestbook" && !app.spec.source.directory.recurse)
        #expect(
            result.errorOutput.contains("not carried over: argoproj.io/Application argocd/guestbook: spec.syncPolicy.syncOptions[0]: PruneLast=true"))
        #expect(result.errorOutput.contains("skipped: v1 ConfigMap argocd/argocd-cm"))
        #expect(!result.output.contains("not carried over"), "the report belongs on standard error")
    }

    // Standard input works; an object that fails makes the exit status 1 while the others are
    // still printed; --cluster maps a server to a registered cluster's name.
    @Test func failuresExitOneAndTheRestIsPrinted() async throws {
        let remote = Self.guestbook.replacingOccurrences(of: "name: guestbook,", with: "name: remote,")
            .replacingOccurrences(of: "https://kubernetes.default.svc", with: "https://10.1.2.3:6443")
        let input = Data((Self.guestbook + "---\n" + remote).utf8)
        let failed = try await ProcessRunner.run(keelson, ["import", "argocd", "-"], input: input)
        #expect(failed.status == 1)
        #expect(failed.errorOutput.contains("failed: argoproj.io/Application argocd/remote: spec.destination.server: https://10.1.2.3:6443"))
        #expect(try Manifest.decode(Array(failed.stdout), file: "stdout").map(\.name) == ["guestbook"])

        let mapped = try await ProcessRunner.run(
            keelson, ["import", "argocd", "-", "--cluster", "https://10.1.2.3:6443=edge", "-o", "json"], input: input)
        #expect(mapped.status == 0, "\(mapped.errorOutput)")
        let list = try JSONParser.parse(Array(mapped.stdout), file: "stdout")
        #expect(list["items"]?.arrayValue?.compactMap { $0["spec"]?["destination"]?["cluster"]?.stringValue } == ["edge"])
    }

    // Usage errors exit 2: nothing to read, or files and --from-cluster together.
    @Test func usageErrors() async throws {
        #expect(try await ProcessRunner.run(keelson, ["import", "flux"]).status == 2)
        #expect(try await ProcessRunner.run(keelson, ["import", "flux", "x.yaml", "--from-cluster"]).status == 2)
        #expect(try await ProcessRunner.run(keelson, ["import", "flux", "x.yaml", "--namespace", "a"]).status == 2)
    }

    // --from-cluster lists the Argo CD kinds the cluster serves and reads Argo CD's cluster
    // Secrets for server → name, never printing their credentials; a Flux import skips kinds
    // the cluster does not serve.
    @Test func importsFromACluster() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-import-cluster")
        defer { folder.remove() }
        let kubeconfig = folder.path + "/kubeconfig"
        var logger = Logger(label: "keelson.sandbox")
        logger.logLevel = .critical
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig), logger: logger) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                try await ForeignCRDs.install(client) { $0 != "helm.toolkit.fluxcd.io" }
                let objects = """
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: argocd}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: cluster-edge, namespace: argocd, labels: {argocd.argoproj.io/secret-type: cluster}}
                    stringData: {name: edge, server: "https://10.1.2.3:6443", config: '{"bearerToken": "very-secret-token"}'}
                    ---
                    \(Self.guestbook.replacingOccurrences(of: "https://kubernetes.default.svc", with: "https://10.1.2.3:6443"))
                    ---
                    apiVersion: argoproj.io/v1alpha1
                    kind: AppProject
                    metadata: {name: team-a, namespace: argocd}
                    spec: {sourceRepos: ['*'], destinations: [{server: '*', namespace: '*'}]}
                    ---
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: GitRepository
                    metadata: {name: platform, namespace: argocd}
                    spec: {url: https://git.example.com/platform.git, ref: {branch: main}, interval: 1m}
                    ---
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata: {name: infra, namespace: argocd}
                    spec: {sourceRef: {kind: GitRepository, name: platform}, path: ./infra, prune: true, interval: 5m}
                    """
                for object in try Manifest.decode(Array(objects.utf8), file: "objects.yaml") {
                    // A CRD created a moment ago may not be served yet.
                    try await eventually("\(object.kind) \(object.name) is created", timeout: .seconds(30)) {
                        (try? await client.create(object, options: WriteOptions())) != nil
                    }
                }
            }
            let argo = try await ProcessRunner.run(keelson, ["import", "argocd", "--from-cluster", "--kubeconfig", kubeconfig])
            #expect(argo.status == 0, "\(argo.errorOutput)")
            let objects = try Manifest.decode(Array(argo.stdout), file: "stdout")
            #expect(objects.map(\.kind) == ["Project", "Application"])
            #expect(try Application(try #require(objects.last)).spec.destination.cluster == "edge")
            #expect(!(argo.output + argo.errorOutput).contains("very-secret-token"))

            let flux = try await ProcessRunner.run(
                keelson, ["import", "flux", "--from-cluster", "--kubeconfig", kubeconfig, "--namespace", "argocd"])
            #expect(flux.status == 0, "\(flux.errorOutput)")
            #expect(try Manifest.decode(Array(flux.stdout), file: "stdout").map(\.name) == ["infra"])
            #expect(flux.errorOutput.contains("the cluster serves no helm.toolkit.fluxcd.io/HelmRelease"), "\(flux.errorOutput)")
        }
    }
}
