import Controller
import Foundation
import KeelsonTesting
import Kube
import Manifests
import Synchronization
import Testing

/// Tenants fenced off: Applications outside the controller's namespace are reconciled only in
/// opted-in namespaces, only through a Project that lists them, and never into the controller's
/// namespace; two Applications of one name in two namespaces are two owners.
@Suite(.serialized) struct TenancyTests {
    typealias H = ControllerHarness

    static let files: [String: String] = [
        "good/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good, namespace: team-b-apps}\ndata: {value: \"1\"}\n",
        "crb/crb.yaml": """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: tenant-b-is-admin}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: ServiceAccount, name: default, namespace: team-b}]
        """,
        "kube-system/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: planted, namespace: kube-system}\ndata: {value: \"1\"}\n",
        "quota/quota.yaml": "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: huge, namespace: team-b-apps}\nspec: {hard: {pods: \"1000\"}}\n",
        "ctrl/secret.yaml": """
        apiVersion: v1
        kind: Secret
        metadata: {name: keelson-tokens, namespace: keelson}
        stringData: {tokens.yaml: "- {name: attacker, role: admin, sha256: 00}"}
        """,
        "ctrl-app/app.yaml": """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: b-1, namespace: keelson}
        spec: {source: {repoURL: "https://attacker.invalid/repo.git", path: evil}}
        """,
    ]

    static func tenantApp(_ name: String, path: String, project: String?, repoURL: String = "REPO", destination: String = "team-b-apps") -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: \(name), namespace: team-b}
        spec:
        \(project.map { "  project: \($0)\n" } ?? "")  source: {repoURL: "\(repoURL)", revision: main, path: \(path)}
          destination: {namespace: \(destination)}
          syncPolicy: {automated: {prune: true, selfHeal: true}, interval: 1s}
        """
    }

    static let projects = """
        apiVersion: keelson.dev/v1alpha1
        kind: Project
        metadata: {name: team-b, namespace: keelson}
        spec:
          sourceRepos: ["git://127.0.0.1:*/repo"]
          destinations: [{namespace: "team-b-*"}]
          sourceNamespaces: [team-b]
          namespaceResourceDenyList: [{group: "", kind: ResourceQuota}]
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: Project
        metadata: {name: narrow, namespace: keelson}
        spec:
          sourceRepos: ["https://git.example.com/*"]
          destinations: [{namespace: "*"}]
          sourceNamespaces: [team-b]
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: Project
        metadata: {name: wide, namespace: keelson}
        spec:
          sourceRepos: ["*"]
          destinations: [{namespace: "*"}]
          sourceNamespaces: [team-b]
          clusterResourceAllowList: [{group: "*", kind: "*"}]
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-b}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-b-apps}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: outside}
        """

    /// The `Permitted` condition's reason, when it is False.
    static func refusal(_ status: JSONValue?) -> String? {
        (status?["conditions"]?.arrayValue ?? []).first { $0["type"] == "Permitted" && $0["status"] == "False" }?["reason"]?.stringValue
    }

    /// A controller reconciling `applicationNamespaces` besides `keelson`, the repository served
    /// by `git daemon` (tenants may not use file://), and the Projects and Namespaces above.
    static func withTenants(
        files: [String: String], applicationNamespaces: String, _ body: @Sendable (H, _ url: String) async throws -> Void
    ) async throws {
        let daemon = Mutex<ControllerSourceTests.GitDaemon?>(nil)
        defer { daemon.withLock { $0?.process.withLock { $0?.kill() } } }
        try await H.with(
            files: files, apps: [:], plainTransports: true,
            repoURL: { repository in
                let server = try ControllerSourceTests.GitDaemon(base: (repository as NSString).deletingLastPathComponent)
                daemon.withLock { $0 = server }
                return "git://127.0.0.1:\(server.port)/repo"
            },
            tenancy: TenancyRules(controllerNamespace: "keelson", applicationNamespaces: try TenancyRules.namespacePatterns(applicationNamespaces))
        ) { h in
            let server = try #require(daemon.withLock { $0 })
            try await Ports.waitUntilListening(server.port)
            try await h.apply(Self.projects)
            try await body(h, "git://127.0.0.1:\(server.port)/repo")
        }
    }

    @Test func tenantApplicationsAreFencedByTheirProjectAndNeverReachTheControllersNamespace() async throws {
        try await Self.withTenants(files: Self.files, applicationNamespaces: "team-*") { h, url in
            // Each attack of the audit, as a tenant Application, and one the fence lets through.
            var apps = [
                Self.tenantApp("good", path: "good", project: "team-b"),
                Self.tenantApp("repo-refused", path: "good", project: "narrow"),
                Self.tenantApp("crb", path: "crb", project: "team-b"),
                Self.tenantApp("kube-system", path: "kube-system", project: "team-b"),
                Self.tenantApp("quota", path: "quota", project: "team-b"),
                Self.tenantApp("tokens", path: "ctrl", project: "wide"),
                Self.tenantApp("rewrite", path: "ctrl-app", project: "wide"),
                Self.tenantApp("no-project", path: "good", project: nil),
                Self.tenantApp("unknown-project", path: "good", project: "nope"),
                Self.tenantApp("into-controller", path: "good", project: "wide", destination: "keelson"),
                Self.tenantApp("file", path: "good", project: "wide", repoURL: "file://" + h.repository),
            ].map { $0.replacingOccurrences(of: "REPO", with: url) }
            // In a namespace the controller was not told to reconcile: ignored entirely.
            apps.append(
                Self.tenantApp("ignored", path: "good", project: "wide").replacingOccurrences(of: "REPO", with: url)
                    .replacingOccurrences(of: "namespace: team-b}", with: "namespace: outside}"))
            try await h.apply(apps.joined(separator: "\n---\n"))

            try await h.eventually("the permitted tenant application syncs") {
                let value = await h.configMapValue("good", namespace: "team-b-apps")
                let status = await h.status("good", namespace: "team-b")
                return value == "1" && status?["sync"]?["status"] == "Synced"
            }
            let expected: [(String, String)] = [
                ("repo-refused", "SourceRepositoryNotPermitted"), ("crb", "ClusterResourceNotPermitted"),
                ("kube-system", "DestinationNotPermitted"), ("quota", "NamespaceResourceDenied"),
                ("tokens", "ControllerNamespaceNotPermitted"), ("rewrite", "ControllerNamespaceNotPermitted"),
                ("no-project", "SourceNamespaceNotPermitted"), ("unknown-project", "UnknownProject"),
                ("into-controller", "ControllerNamespaceNotPermitted"), ("file", "FileSourceNotPermitted"),
            ]
            for (name, reason) in expected {
                try await h.eventually("\(name) is refused with \(reason)") { Self.refusal(await h.status(name, namespace: "team-b")) == reason }
            }
            // The condition names the rule and the object.
            let crb = JSONWriter.compact(await h.status("crb", namespace: "team-b") ?? .null)
            #expect(crb.contains("ClusterRoleBinding/tenant-b-is-admin") && crb.contains("clusterResourceAllowList"))
            // Nothing any refused render held was applied.
            let crbs = GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding")
            #expect((try? await h.client.get(crbs, name: "tenant-b-is-admin", namespace: nil)) == nil)
            #expect(await !h.exists("planted", namespace: "kube-system"))
            #expect((try? await h.client.get(H.secrets, name: "keelson-tokens", namespace: "keelson")) == nil)
            #expect((try? await h.client.get(H.applications, name: "b-1", namespace: "keelson")) == nil)
            let quotas = GroupVersionKind(group: "", version: "v1", kind: "ResourceQuota")
            #expect((try? await h.client.get(quotas, name: "huge", namespace: "team-b-apps")) == nil)
            // The Application outside --application-namespaces got no status at all.
            #expect(await h.status("ignored", namespace: "outside") == nil)
        }
    }

    @Test func anApplicationWithAServiceAccountIsJudgedByKubernetesRBAC() async throws {
        let files = [
            "sa-ok/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: allowed, namespace: team-b-apps}\ndata: {value: \"1\"}\n",
            "sa-denied/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: not-allowed, namespace: team-b-apps}\nstringData: {a: b}\n",
        ]
        try await Self.withTenants(files: files, applicationNamespaces: "team-b") { h, url in
            // The deployer may manage ConfigMaps in team-b-apps, nothing else.
            try await h.apply(
                """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: deployer, namespace: team-b-apps}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: configmaps, namespace: team-b-apps}
                rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch, create, update, patch, delete]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: deployer, namespace: team-b-apps}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmaps}
                subjects: [{kind: ServiceAccount, name: deployer, namespace: team-b-apps}]
                """)
            let serviceAccount = "  serviceAccountName: deployer\n  source:"
            try await h.apply(
                [
                    Self.tenantApp("sa-ok", path: "sa-ok", project: "team-b"), Self.tenantApp("sa-denied", path: "sa-denied", project: "team-b"),
                ].map { $0.replacingOccurrences(of: "REPO", with: url).replacingOccurrences(of: "  source:", with: serviceAccount) }.joined(
                    separator: "\n---\n"))
            try await h.eventually("what the ServiceAccount may do is applied") { await h.configMapValue("allowed", namespace: "team-b-apps") == "1" }
            try await h.eventually("what it may not do fails with the API server's 403 in the status") {
                let conditions = (await h.status("sa-denied", namespace: "team-b"))?["conditions"]?.arrayValue ?? []
                return conditions.contains {
                    ($0["message"]?.stringValue ?? "").contains(
                        #"secrets "not-allowed" is forbidden: User "system:serviceaccount:team-b-apps:deployer""#)
                }
            }
            #expect((try? await h.client.get(H.secrets, name: "not-allowed", namespace: "team-b-apps")) == nil)
        }
    }

    @Test func twoApplicationsOfOneNameInTwoNamespacesKeepTheirObjects() async throws {
        let files = [
            "a/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-keelson, namespace: team-b-apps}\ndata: {value: \"a\"}\n",
            "b/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-tenant, namespace: team-b-apps}\ndata: {value: \"b\"}\n",
            "contested/cm.yaml":
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-keelson, namespace: team-b-apps}\ndata: {value: \"taken\"}\n",
        ]
        try await Self.withTenants(files: files, applicationNamespaces: "team-b") { h, url in
            let keelsonApp = H.app("v-1", path: "a").replacingOccurrences(of: "REPO", with: url)
                .replacingOccurrences(of: "destination: {namespace: default}", with: "destination: {namespace: team-b-apps}")
            try await h.apply(keelsonApp)
            try await h.eventually("keelson/v-1 syncs") { await h.configMapValue("from-keelson", namespace: "team-b-apps") == "a" }
            try await h.apply(Self.tenantApp("v-1", path: "b", project: "team-b").replacingOccurrences(of: "REPO", with: url))
            try await h.eventually("team-b/v-1 syncs") {
                let value = await h.configMapValue("from-tenant", namespace: "team-b-apps")
                let status = await h.status("v-1", namespace: "team-b")
                return value == "b" && status?["sync"]?["status"] == "Synced"
            }
            // Today's bug: team-b/v-1's first sync pruned keelson/v-1's object (one inventory per name).
            #expect(await h.configMapValue("from-keelson", namespace: "team-b-apps") == "a")
            let keelsonInventory = try await h.client.get(H.configMaps, name: "keelson-inventory-keelson.v-1", namespace: "keelson")
            let tenantInventory = try await h.client.get(H.configMaps, name: "keelson-inventory-team-b.v-1", namespace: "keelson")
            #expect(JSONWriter.compact(keelsonInventory.value).contains("from-keelson"))
            #expect(!JSONWriter.compact(tenantInventory.value).contains("from-keelson"))

            // A tenant naming the other application's object does not take it over.
            let contested = Self.tenantApp("contested", path: "contested", project: "team-b").replacingOccurrences(of: "REPO", with: url)
            try await h.apply(contested)
            try await h.eventually("the contested object is refused as shared") {
                let conditions = (await h.status("contested", namespace: "team-b"))?["conditions"]?.arrayValue ?? []
                return conditions.contains { $0["reason"] == "SharedResource" && ($0["message"]?.stringValue ?? "").contains("keelson/v-1") }
            }
            #expect(await h.configMapValue("from-keelson", namespace: "team-b-apps") == "a")
        }
    }

    @Test func anInventoryWrittenBeforeNamespacedIdentitiesIsMigratedWithoutLosingTrack() async throws {
        try await H.with(files: ["app/new.yaml": H.configMap("new", "1")], apps: [:]) { h in
            // What an earlier Keelson left: an object stamped `mig:...` and `keelson-inventory-mig`.
            try await h.apply(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: old
                  namespace: default
                  labels: {app.keelson.dev/name: mig}
                  annotations: {keelson.dev/tracking-id: "mig:/ConfigMap:default/old"}
                data: {value: "1"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: keelson-inventory-mig, namespace: keelson, labels: {app.keelson.dev/name: mig}}
                data: {entries: '[{"apiVersion":"v1","kind":"ConfigMap","namespace":"default","name":"old"}]'}
                """)
            try await h.apply(H.app("mig", path: "app").replacingOccurrences(of: "REPO", with: "file://" + h.repository))
            try await h.eventually("the new object is applied and the old one, known only to the old inventory, is pruned") {
                let value = await h.configMapValue("new")
                let old = await h.exists("old")
                return value == "1" && !old
            }
            let inventory = try await h.client.get(H.configMaps, name: "keelson-inventory-keelson.mig", namespace: "keelson")
            #expect(inventory.object["data"]?["entries"]?.stringValue?.contains("\"name\":\"new\"") == true)
            try await h.eventually("the legacy inventory is gone") { !(await h.exists("keelson-inventory-mig", namespace: "keelson")) }
            let live = try await h.client.get(H.configMaps, name: "new", namespace: "default")
            #expect(live.annotations["keelson.dev/tracking-id"] == "keelson/mig:/ConfigMap:default/new")
            #expect(live.labels["app.keelson.dev/namespace"] == "keelson")
        }
    }
}
