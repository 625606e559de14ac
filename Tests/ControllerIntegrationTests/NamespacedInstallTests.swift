import Controller
import Foundation
import KeelsonTesting
import Kube
import Manifests
import Render
import Testing

private typealias H = ControllerHarness

/// `deploy-namespaced/`: the controller holds Roles only (in `keelson`, and in `team-a` through
/// `team-access.yaml`), watches those namespaces one by one, and installs no CRDs. It syncs into
/// `team-a` and reverts drift there from its watch; it refuses `team-b` (outside its scope, though
/// it has a Role there) and cluster-scoped objects, while the sandbox enforces the RBAC for the
/// ServiceAccount it acts as. `team-c` is in its scope without a Role: that holds up nothing.
@Suite struct NamespacedInstallTests {
    static let identity = Impersonation(user: "system:serviceaccount:keelson:keelson")

    static func app(_ name: String, path: String, namespace: String) -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: \(name), namespace: keelson}
        spec:
          source: {repoURL: REPO, revision: main, path: \(path)}
          destination: {namespace: \(namespace)}
          syncPolicy:
            automated: {prune: true, selfHeal: true}
            interval: 1s
            retry: {limit: 1, backoff: {duration: 1s, maxDuration: 1s}}
        """
    }

    /// What a cluster admin applies once (the Namespace, the CRDs) and what the namespace's owner
    /// applies: the RBAC objects of `deploy-namespaced/` as Keelson renders it, and team-access.yaml.
    static func install(_ admin: KubeClient) async throws {
        let root = Fixtures.packageRoot()
        var objects: [Manifest] = []
        for file in ["deploy/namespace.yaml", "deploy/crds/application.yaml", "deploy/crds/project.yaml"] {
            objects += try Manifest.decode(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + file))), file: file)
        }
        let rendered = try Kustomizer().render(try SecureRoot(directory: root), path: "deploy-namespaced").manifests
        #expect(!rendered.contains { ["ClusterRoleBinding", "ClusterRole", "Namespace", "CustomResourceDefinition"].contains($0.kind) })
        objects += rendered.filter { ["ServiceAccount", "Role", "RoleBinding"].contains($0.kind) }
        for name in ["team-a", "team-b", "team-c"] {
            objects.append(Manifest(unchecked: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]))
        }
        let access = "deploy-namespaced/team-access.yaml"
        let grants = try Manifest.decode(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + access))), file: access)
        for namespace in ["team-a", "team-b"] {
            objects += grants.map { grant in
                var grant = grant
                grant.namespace = namespace
                return grant
            }
        }
        for object in objects { _ = try await admin.apply(object, options: ApplyOptions(fieldManager: "admin", force: true)) }
        let deployment = try #require(rendered.first { $0.kind == "Deployment" })
        let containers = deployment.object["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []
        let arguments = containers.first?["args"]?.arrayValue ?? []
        #expect(arguments.contains("--watch-namespaces=keelson"))
    }

    @Test func aControllerWithRolesOnlySyncsItsNamespacesAndNoOther() async throws {
        let files = [
            "team/cm.yaml": H.configMap("team-config", "1"),
            "team/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: team-robot}\n",
            "outside/cm.yaml": H.configMap("outside-config", "1"),
            "cluster/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: made-by-keelson}\n",
        ]
        let apps = [
            "team": Self.app("team", path: "team", namespace: "team-a"),
            "outside": Self.app("outside", path: "outside", namespace: "team-b"),
            "cluster": Self.app("cluster", path: "cluster", namespace: "team-a"),
        ]
        try await H.with(
            files: files, apps: apps, scope: .namespaces(["keelson", "team-a", "team-c"]), identity: Self.identity, prepare: Self.install
        ) { h in
            try await h.eventually("the team Application syncs into team-a") {
                let (value, status) = (await h.configMapValue("team-config", namespace: "team-a"), await h.status("team"))
                return value == "1" && status?["sync"]?["status"] == "Synced"
            }
            // Drift is reverted from the namespace's watch (the harness's resync is 10 minutes).
            let configMaps = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
            _ = try await h.client.mergePatch(
                configMaps, name: "team-config", namespace: "team-a", patch: ["data": ["value": "changed by hand"]], options: WriteOptions())
            try await h.eventually("the drift in team-a is reverted") { await h.configMapValue("team-config", namespace: "team-a") == "1" }
            // A deletion by hand too, in a namespace whose watch of ServiceAccounts is not the only one.
            let serviceAccounts = GroupVersionKind(group: "", version: "v1", kind: "ServiceAccount")
            _ = try await h.client.delete(serviceAccounts, name: "team-robot", namespace: "team-a", options: DeleteOptions())
            try await h.eventually("the deleted ServiceAccount is created again") {
                (try? await h.client.get(serviceAccounts, name: "team-robot", namespace: "team-a")) != nil
            }

            for (app, what) in [("outside", "team-b"), ("cluster", "a Namespace")] {
                try await h.eventually("the \(app) Application reports that it may not write \(what)") {
                    let status = JSONWriter.compact(await h.status(app) ?? .null)
                    return status.contains("OutsideWatchedNamespaces") && status.contains("--watch-namespaces")
                }
            }
            #expect(await h.configMapValue("outside-config", namespace: "team-b") == nil)
            let namespaces = GroupVersionKind(group: "", version: "v1", kind: "Namespace")
            #expect((try? await h.client.get(namespaces, name: "made-by-keelson", namespace: nil)) == nil)
        }
    }
}
