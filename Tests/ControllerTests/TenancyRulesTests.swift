import Manifests
import Testing

@testable import Controller

/// The tenancy rules, without a cluster: which namespaces are reconciled, which project an
/// Application may use, and which objects that project allows.
@Suite struct TenancyRulesTests {
    let rules = TenancyRules(controllerNamespace: "keelson", applicationNamespaces: [try! PatternRule("team-*"), try! PatternRule("!team-x")])

    func app(
        _ namespace: String, project: String = "default", repo: String = "https://git.example.com/team-b/apps.git",
        destination: String = "team-b-apps"
    ) throws -> Application {
        try Application(
            try Manifest([
                "apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "metadata": ["name": "a", "namespace": .string(namespace)],
                "spec": ["project": .string(project), "source": ["repoURL": .string(repo)], "destination": ["namespace": .string(destination)]],
            ]))
    }

    func project(_ yaml: String) throws -> Project {
        try Project(try #require(try Manifest.decode(Array(yaml.utf8), file: "project.yaml").first))
    }

    var teamB: Project {
        get throws {
            try project(
                """
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
        var object = try Manifest([
            "apiVersion": .string(group.isEmpty ? "v1" : group + "/v1"), "kind": .string(kind), "metadata": ["name": .string(name)],
        ])
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
        #expect(throws: Never.self) {
            try rules.check([try object("ClusterRole", "x", group: "rbac.authorization.k8s.io")], of: try app("keelson"), project: inside)
        }
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
        let projects: ProjectSet = ["team-b": try teamB]
        #expect {
            try rules.project(for: try app(namespace, project: project, repo: repo, destination: destination), in: projects)
        } throws: { ($0 as? ProjectViolation)?.rule == rule }
    }

    @Test func destinationsMatchTheClusterName() throws {
        let staging = try project(
            """
            apiVersion: keelson.dev/v1alpha1
            kind: Project
            metadata: {name: staging-only, namespace: keelson}
            spec:
              sourceRepos: ["*"]
              destinations: [{cluster: "staging-*", namespace: "*"}, {cluster: "staging-eu", namespace: "*"}, {cluster: "!staging-eu", namespace: "*"}]
            """)
        let projects: ProjectSet = ["staging-only": staging]
        func app(cluster: String?) throws -> Application {
            var destination: JSONObject = ["namespace": "shop"]
            if let cluster { destination["cluster"] = .string(cluster) }
            return try Application(
                try Manifest([
                    "apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "metadata": ["name": "a", "namespace": "keelson"],
                    "spec": ["project": "staging-only", "source": ["repoURL": "https://git.example.com/a.git"], "destination": .object(destination)],
                ]))
        }
        #expect(throws: Never.self) { try rules.project(for: try app(cluster: "staging-us"), in: projects) }
        for denied in [nil, "prod", "staging-eu"] {
            #expect("\(denied ?? "in-cluster") is refused") {
                try rules.project(for: try app(cluster: denied), in: projects)
            } throws: { ($0 as? ProjectViolation)?.rule == .destination }
        }
    }

    @Test(arguments: [
        // Another spelling of the denied repository is the same repository.
        "https://git.example.com/team-b/secret",
        "https://git.example.com/team-b/SECRET.git",
        "https://GIT.example.com:443/team-b/secret.git/",
        "https://git.example.com/team-b/secret.git?x=1",
        "https://git.example.com/team-b/%73ecret.git",
        // A path that climbs out of the allowed folder is refused outright.
        "https://git.example.com/team-b/../team-a/private.git",
        "https://git.example.com/team-b/%2e%2e/team-a/private.git",
    ])
    func aRepositoryCannotBeRespelledPastTheRules(repo: String) throws {
        #expect { try rules.project(for: try app("team-b", project: "team-b", repo: repo), in: ["team-b": try teamB]) } throws: {
            ($0 as? ProjectViolation)?.rule == .sourceRepository
        }
    }

    @Test func repositoryPatternsMatchAnySpellingGitAccepts() throws {
        let ssh = try project(
            """
            apiVersion: keelson.dev/v1alpha1
            kind: Project
            metadata: {name: ssh, namespace: keelson}
            spec: {sourceRepos: ["git@github.com:team-b/*"], destinations: [{namespace: "*"}], sourceNamespaces: [team-b]}
            """)
        for repo in ["git@github.com:team-b/apps.git", "ssh://git@github.com/team-b/apps", "ssh://git@github.com:22/team-b/Apps.git"] {
            #expect(throws: Never.self) { try rules.project(for: try app("team-b", project: "ssh", repo: repo), in: ["ssh": ssh]) }
        }
        // The allowed team's repository is allowed in every spelling.
        #expect(throws: Never.self) {
            try rules.project(for: try app("team-b", project: "team-b", repo: "https://git.example.com/team-b/Apps"), in: ["team-b": try teamB])
        }
    }

    @Test func tenantsActAsTheDefaultServiceAccountWhenTheyNameNone() throws {
        let locked = TenancyRules(controllerNamespace: "keelson", applicationNamespaces: rules.applicationNamespaces, defaultServiceAccount: "tenant")
        #expect(locked.serviceAccount(of: try app("team-b")) == "tenant")
        // The operators' own Applications keep the controller's identity unless they name one.
        #expect(locked.serviceAccount(of: try app("keelson")) == nil)
        var named = try app("team-b")
        named.spec.serviceAccountName = "deployer"
        #expect(locked.serviceAccount(of: named) == "deployer")
        #expect(rules.serviceAccount(of: try app("team-b")) == nil)
    }

    // A namespaced install (--watch-namespaces) refuses a destination, an object's namespace, a
    // cluster-scoped object and CreateNamespace outside its namespaces, in its own cluster only.
    @Test func aNamespacedInstallRefusesWhatItDoesNotWatch() throws {
        var scoped = TenancyRules(controllerNamespace: "keelson")
        scoped.watchScope = .namespaces(["keelson", "team-a"])
        let inside = try app("keelson", repo: "https://git.example.com/a.git", destination: "team-a")
        let project = try scoped.project(for: inside, in: [:])
        #expect(throws: Never.self) { try scoped.check([try object("ConfigMap", "c", namespace: "team-a")], of: inside, project: project) }
        let outside = try app("keelson", repo: "https://git.example.com/a.git", destination: "team-b")
        #expect(performing: { try scoped.project(for: outside, in: [:]) }, throws: { ($0 as? ProjectViolation)?.rule == .watchScope })
        for stray in [
            try object("ConfigMap", "c", namespace: "team-b"), try object("Namespace", "n"),
            try object("ClusterRole", "r", group: "rbac.authorization.k8s.io"),
        ] {
            #expect("\(stray.key) is refused") {
                try scoped.check([stray], of: inside, project: project)
            } throws: { ($0 as? ProjectViolation)?.rule == .watchScope && "\($0)".contains("--watch-namespaces") }
        }
        // Across the cluster nothing changes.
        #expect(throws: Never.self) {
            try TenancyRules(controllerNamespace: "keelson").check([try object("Namespace", "n")], of: inside, project: project)
        }
    }

    @Test func anInvalidProjectAllowsNothingNotEvenAsDefault() throws {
        let broken = ProjectSet(valid: [:], invalid: ["default"])
        #expect { try rules.project(for: try app("keelson"), in: broken) } throws: { ($0 as? ProjectViolation)?.rule == .unknownProject }
    }

    @Test func coreIsTheCoreGroupAndCreateNamespaceNeedsTheAllowList() throws {
        let project = try project(
            """
            apiVersion: keelson.dev/v1alpha1
            kind: Project
            metadata: {name: p, namespace: keelson}
            spec:
              sourceRepos: ["*"]
              destinations: [{namespace: "team-b-*"}]
              sourceNamespaces: [team-b]
              namespaceResourceDenyList: [{group: core, kind: Secret}]
            """)
        let tenant = try app("team-b", project: "p")
        #expect { try rules.check([try object("Secret", "s", namespace: "team-b-apps")], of: tenant, project: project) } throws: {
            ($0 as? ProjectViolation)?.rule == .namespaceResource
        }
        var creating = tenant
        creating.spec.syncPolicy.syncOptions = ["CreateNamespace=true"]
        #expect { try rules.check([try object("ConfigMap", "c", namespace: "team-b-new")], of: creating, project: project) } throws: {
            ($0 as? ProjectViolation)?.rule == .clusterResource
        }
    }

    @Test func fileSourcesAreForTheControllersNamespaceOnly() throws {
        let wide = try project(
            """
            apiVersion: keelson.dev/v1alpha1
            kind: Project
            metadata: {name: wide, namespace: keelson}
            spec: {sourceRepos: ["*"], destinations: [{namespace: "*"}], sourceNamespaces: ["*"]}
            """)
        #expect {
            try rules.project(for: try app("team-b", project: "wide", repo: "file:///var/lib/keelson/git/mirrors/x.git"), in: ["wide": wide])
        } throws: {
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
        #expect {
            try project(
                "apiVersion: keelson.dev/v1alpha1\nkind: Project\nmetadata: {name: p, namespace: keelson}\nspec: {destinations: [{cluster: x}]}\n")
        } throws: {
            "\($0)".contains("spec.destinations[0].namespace")
        }
        #expect {
            try project("apiVersion: keelson.dev/v1alpha1\nkind: Project\nmetadata: {name: p, namespace: keelson}\nspec: {sourceRepo: []}\n")
        } throws: {
            "\($0)".contains("Project keelson/p: spec.sourceRepo: unknown field")
        }
    }
}
