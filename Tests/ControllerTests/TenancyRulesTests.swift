import Manifests
import Testing

@testable import Controller

/// The tenancy rules, without a cluster: which namespaces are reconciled, which project an
/// Application may use, and which objects that project allows.
@Suite struct TenancyRulesTests {
    let rules = TenancyRules(controllerNamespace: "keelson", applicationNamespaces: [try! PatternRule("team-*"), try! PatternRule("!team-x")])

    func app(_ namespace: String, project: String = "default", repo: String = "https://git.example.com/team-b/apps.git", destination: String = "team-b-apps") throws -> Application {
        try Application(try Manifest([
            "apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "metadata": ["name": "a", "namespace": .string(namespace)],
            "spec": ["project": .string(project), "source": ["repoURL": .string(repo)], "destination": ["namespace": .string(destination)]],
        ]))
    }

    func project(_ yaml: String) throws -> Project {
        try Project(try #require(try Manifest.decode(Array(yaml.utf8), file: "project.yaml").first))
    }

    var teamB: Project {
        get throws {
            try project("""
                apiVersion: keelson.dev/v1alpha1
                kind: Project
                metadata: {name: team-b, namespace: keelson}
                spec:
                  sourceRepos: ["https://git.example.com/team-b/*", "!https://git.example.com/team-b/secret.git"]
                  destinations: [{namespace: "team-b-*"}, {namespace: "!team-b-prod"}]
                  sourceNamespaces: [team-b]
                  clusterResourceAllowList: [{group: "", kind: Namespace}]
                  namespaceResourceDenyList: [{group: "", kind: ResourceQuota}]
                """)
        }
    }

    func object(_ kind: String, _ name: String, namespace: String = "", group: String = "") throws -> Manifest {
        var object = try Manifest(["apiVersion": .string(group.isEmpty ? "v1" : group + "/v1"), "kind": .string(kind), "metadata": ["name": .string(name)]])
        if !namespace.isEmpty { object.namespace = namespace }
        return object
    }

    @Test(arguments: [
        // The controller's own namespace, always.
        ("keelson", true),
        // Opted in by a glob.
        ("team-b", true),
        // Excluded by a negated glob.
        ("team-x", false),
        // Not named at all.
        ("default", false),
    ])
    func onlyOptedInNamespacesAreReconciled(namespace: String, reconciled: Bool) {
        #expect(rules.reconciles(namespace: namespace) == reconciled)
    }

    @Test func theDefaultProjectServesOnlyTheControllersNamespace() throws {
        // No Project/default object: the built-in default allows everything, inside only.
        let inside = try rules.project(for: try app("keelson", destination: "anywhere"), in: [:])
        #expect(throws: Never.self) { try rules.check([try object("ClusterRole", "x", group: "rbac.authorization.k8s.io")], of: try app("keelson"), project: inside) }
        #expect(throws: ProjectViolation.self) { try rules.project(for: try app("team-b"), in: [:]) }
    }

    @Test(arguments: [
        // A project that does not exist.
        ("team-b", "nope", "https://git.example.com/team-b/apps.git", "team-b-apps", ProjectViolation.Rule.unknownProject),
        // A namespace the project does not list.
        ("team-c", "team-b", "https://git.example.com/team-b/apps.git", "team-b-apps", .sourceNamespace),
        // A repository outside sourceRepos, and one a negated glob excludes.
        ("team-b", "team-b", "https://git.example.com/team-a/apps.git", "team-b-apps", .sourceRepository),
        ("team-b", "team-b", "https://git.example.com/team-b/secret.git", "team-b-apps", .sourceRepository),
        // A destination outside destinations, one a negated destination excludes, and the controller's namespace.
        ("team-b", "team-b", "https://git.example.com/team-b/apps.git", "kube-system", .destination),
        ("team-b", "team-b", "https://git.example.com/team-b/apps.git", "team-b-prod", .destination),
        ("team-b", "team-b", "https://git.example.com/team-b/apps.git", "keelson", .controllerNamespace),
    ])
    func applicationRules(namespace: String, project: String, repo: String, destination: String, rule: ProjectViolation.Rule) throws {
        let projects = ["team-b": try teamB]
        #expect {
            try rules.project(for: try app(namespace, project: project, repo: repo, destination: destination), in: projects)
        } throws: { ($0 as? ProjectViolation)?.rule == rule }
    }

    @Test func fileSourcesAreForTheControllersNamespaceOnly() throws {
        let wide = try project("""
            apiVersion: keelson.dev/v1alpha1
            kind: Project
            metadata: {name: wide, namespace: keelson}
            spec: {sourceRepos: ["*"], destinations: [{namespace: "*"}], sourceNamespaces: ["*"]}
            """)
        #expect { try rules.project(for: try app("team-b", project: "wide", repo: "file:///var/lib/keelson/git/mirrors/x.git"), in: ["wide": wide]) } throws: {
            ($0 as? ProjectViolation)?.rule == .fileSource
        }
        #expect(throws: Never.self) { try rules.project(for: try app("keelson", project: "wide", repo: "file:///srv/repo"), in: ["wide": wide]) }
    }

    @Test(arguments: [
        // Cluster-scoped kinds need the allow list; a Namespace is allowed but must be a destination.
        ("ClusterRoleBinding", "rbac.authorization.k8s.io", "", "x", ProjectViolation.Rule?.some(.clusterResource)),
        ("Namespace", "", "", "team-b-extra", nil),
        ("Namespace", "", "", "keelson", .controllerNamespace),
        ("Namespace", "", "", "kube-system", .destination),
        // Namespaced kinds: destinations, the deny list, and never the controller's namespace.
        ("ConfigMap", "", "team-b-apps", "x", nil),
        ("ConfigMap", "", "kube-system", "x", .destination),
        ("ResourceQuota", "", "team-b-apps", "x", .namespaceResource),
        ("Secret", "", "keelson", "keelson-tokens", .controllerNamespace),
    ])
    func objectRules(kind: String, group: String, namespace: String, name: String, rule: ProjectViolation.Rule?) throws {
        let tenant = try app("team-b", project: "team-b")
        let project = try teamB
        let object = try object(kind, name, namespace: namespace, group: group)
        if let rule {
            #expect { try rules.check([object], of: tenant, project: project) } throws: {
                let violation = $0 as? ProjectViolation
                return violation?.rule == rule && violation?.object == object.key
            }
        } else {
            #expect(throws: Never.self) { try rules.check([object], of: tenant, project: project) }
        }
    }

    @Test func invalidProjectsNameTheField() throws {
        #expect { try project("apiVersion: keelson.dev/v1alpha1\nkind: Project\nmetadata: {name: p, namespace: keelson}\nspec: {destinations: [{cluster: x}]}\n") } throws: {
            "\($0)".contains("spec.destinations[0].namespace")
        }
        #expect { try project("apiVersion: keelson.dev/v1alpha1\nkind: Project\nmetadata: {name: p, namespace: keelson}\nspec: {sourceRepo: []}\n") } throws: {
            "\($0)".contains("Project keelson/p: spec.sourceRepo: unknown field")
        }
    }
}
