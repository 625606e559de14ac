import Kube
import KubeSandbox
import Manifests
import Testing

/// `KubeClient.impersonating` against the sandbox's RBAC: every request of an impersonating
/// client, watches included, is judged as the ServiceAccount's, and refusals are the API
/// server's 403 with its exact wording.
@Suite("Client impersonation against the sandbox's RBAC")
struct ImpersonationTests {
    static let deployer = Impersonation.serviceAccount(namespace: "team-a", name: "deployer")
    static let user = "system:serviceaccount:team-a:deployer"

    /// Namespaces team-a and team-b, and a Role in team-a granting `verbs` on ConfigMaps bound to the deployer.
    func grant(_ client: KubeClient, verbs: [String] = ["get", "list", "watch", "create", "patch", "update", "delete"]) async throws {
        for namespace in ["team-a", "team-b"] {
            _ = try await client.create(try object("{apiVersion: v1, kind: Namespace, metadata: {name: \(namespace)}}"))
        }
        let verbList = verbs.joined(separator: ", ")
        _ = try await client.create(
            try object(
                """
                {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: configmaps, namespace: team-a},
                 rules: [{apiGroups: [""], resources: [configmaps], verbs: [\(verbList)]}]}
                """))
        _ = try await client.create(
            try object(
                """
                {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: deployer, namespace: team-a},
                 roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmaps},
                 subjects: [{kind: ServiceAccount, name: deployer}]}
                """))
    }

    /// The status of the `KubeError` `body` throws.
    func refusal(_ body: () async throws -> Void) async throws -> APIStatus {
        let error = try await #require(throws: KubeError.self) { try await body() }
        return try #require(error.status, "\(error)")
    }

    @Test("an apply the ServiceAccount's Role allows succeeds; the same apply in another namespace gets the API server's 403")
    func applyAllowedAndForbidden() async throws {
        try await withSandboxClient { client, _ in
            try await grant(client)
            let tenant = client.impersonating(Self.deployer)
            let options = ApplyOptions(fieldManager: "keelson")
            let applied = try await tenant.apply(configMap("x", namespace: "team-a", data: ["k": "v"]), options: options)
            #expect(applied.object["data"]?["k"]?.stringValue == "v")

            let status = try await refusal { _ = try await tenant.apply(configMap("x", namespace: "team-b"), options: options) }
            #expect(status.code == 403)
            #expect(status.reason == "Forbidden")
            #expect(
                status.message
                    == #"configmaps "x" is forbidden: User "system:serviceaccount:team-a:deployer" cannot patch resource "configmaps" in API group "" in the namespace "team-b""#
            )
            #expect(status.kind == "configmaps" && status.name == "x")
            // The client it came from is still all-powerful.
            _ = try await client.apply(configMap("x", namespace: "team-b"), options: options)
        }
    }

    @Test("a server-side apply that would create the object needs create as well as patch")
    func applyCreateNeedsCreate() async throws {
        try await withSandboxClient { client, _ in
            try await grant(client, verbs: ["get", "patch"])
            let tenant = client.impersonating(Self.deployer)
            let options = ApplyOptions(fieldManager: "keelson")
            let status = try await refusal { _ = try await tenant.apply(configMap("new", namespace: "team-a"), options: options) }
            #expect(status.code == 403)
            // kube-apiserver's create-on-update check words it with the (empty) RBAC reason only.
            #expect(status.message == #"configmaps "new" is forbidden: "#)
            _ = try await client.apply(configMap("new", namespace: "team-a"), options: options)
            let patched = try await tenant.apply(configMap("new", namespace: "team-a", data: ["k": "v"]), options: options)
            #expect(patched.object["data"]?["k"]?.stringValue == "v")
        }
    }

    @Test("list is allowed only in the bound namespace; across namespaces it is refused at the cluster scope")
    func listOnlyInBoundNamespace() async throws {
        try await withSandboxClient { client, _ in
            try await grant(client)
            _ = try await client.create(configMap("mine", namespace: "team-a"))
            _ = try await client.create(configMap("theirs", namespace: "team-b"))
            let tenant = client.impersonating(Self.deployer)
            #expect(try await tenant.list(configMapKind, namespace: "team-a", options: ListOptions()).items.map(\.name) == ["mine"])
            let other = try await refusal { _ = try await tenant.list(configMapKind, namespace: "team-b", options: ListOptions()) }
            #expect(
                other.message
                    == #"configmaps is forbidden: User "system:serviceaccount:team-a:deployer" cannot list resource "configmaps" in API group "" in the namespace "team-b""#
            )
            let all = try await refusal { _ = try await tenant.list(configMapKind, namespace: nil, options: ListOptions()) }
            #expect(
                all.message
                    == #"configmaps is forbidden: User "system:serviceaccount:team-a:deployer" cannot list resource "configmaps" in API group "" at the cluster scope"#
            )
            let secret = try await refusal {
                _ = try await tenant.get(GroupVersionKind(apiVersion: "v1", kind: "Secret"), name: "s", namespace: "team-a")
            }
            #expect(
                secret.message
                    == #"secrets "s" is forbidden: User "system:serviceaccount:team-a:deployer" cannot get resource "secrets" in API group "" in the namespace "team-a""#
            )
        }
    }

    @Test("a watch is impersonated too: refused outside the bound namespace, served inside it")
    func watchForbidden() async throws {
        try await withSandboxClient { client, _ in
            try await grant(client)
            let tenant = client.impersonating(Self.deployer)
            let status = try await refusal {
                for try await _ in tenant.watch(configMapKind, namespace: "team-b", options: ListOptions(timeoutSeconds: 5)) {}
            }
            #expect(status.code == 403)
            #expect(
                status.message
                    == #"configmaps is forbidden: User "system:serviceaccount:team-a:deployer" cannot watch resource "configmaps" in API group "" in the namespace "team-b""#
            )
            let start = try await tenant.list(configMapKind, namespace: "team-a", options: ListOptions()).resourceVersion
            _ = try await client.create(configMap("seen", namespace: "team-a"))
            var names: [String] = []
            for try await event in tenant.watch(configMapKind, namespace: "team-a", options: ListOptions(resourceVersion: start, timeoutSeconds: 30))
            where event.type == .added {
                names.append(event.manifest?.name ?? "")
                break
            }
            #expect(names == ["seen"])
        }
    }

    /// Each case pins one way a ClusterRoleBinding names the impersonated ServiceAccount.
    @Test(
        "a ClusterRoleBinding grants in every namespace to a User, Group or ServiceAccount subject",
        arguments: [
            "{kind: User, apiGroup: rbac.authorization.k8s.io, name: 'system:serviceaccount:team-a:deployer'}",
            "{kind: Group, apiGroup: rbac.authorization.k8s.io, name: 'system:serviceaccounts:team-a'}",
            "{kind: ServiceAccount, name: deployer, namespace: team-a}",
        ])
    func clusterRoleBindingSubjects(subject: String) async throws {
        try await withSandboxClient { client, _ in
            try await grant(client, verbs: ["get"])
            _ = try await client.create(configMap("shared", namespace: "team-b"))
            let tenant = client.impersonating(Self.deployer)
            let denied = try await refusal { _ = try await tenant.get(configMapKind, name: "shared", namespace: "team-b") }
            #expect(denied.code == 403)
            _ = try await client.create(
                try object(
                    """
                    {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: reader},
                     rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list]}]}
                    """))
            _ = try await client.create(
                try object(
                    """
                    {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {name: reader},
                     roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}, subjects: [\(subject)]}
                    """))
            #expect(try await tenant.get(configMapKind, name: "shared", namespace: "team-b").name == "shared")
            #expect(try await tenant.list(configMapKind, namespace: nil, options: ListOptions()).items.count == 1)
            // Another ServiceAccount of the same namespace is not the User subject.
            let other = client.impersonating(.serviceAccount(namespace: "team-b", name: "deployer"))
            _ = try await refusal { _ = try await other.get(configMapKind, name: "shared", namespace: "team-b") }
        }
    }

    @Test("every group of the identity is sent: a binding to its second group applies, and only with that group")
    func everyGroupIsSent() async throws {
        try await withSandboxClient { client, _ in
            _ = try await client.create(
                try object(
                    """
                    {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {name: ops},
                     roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin},
                     subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: ops}]}
                    """))
            let jane = client.impersonating(Impersonation(user: "jane", groups: ["devs", "ops"]))
            #expect(try await jane.list(configMapKind, namespace: nil, options: ListOptions()).items.isEmpty)
            let notOps = client.impersonating(Impersonation(user: "jane", groups: ["devs"]))
            let status = try await refusal { _ = try await notOps.list(configMapKind, namespace: nil, options: ListOptions()) }
            #expect(status.message == #"configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" at the cluster scope"#)
        }
    }

    @Test("wildcards: apiGroups and resources `*`, and `*/status` reaching every status subresource only")
    func wildcards() async throws {
        try await withSandboxClient { client, _ in
            try await grant(client, verbs: [])
            let deployment = try object(
                """
                {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: team-a},
                 spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}}}
                """)
            let created = try await client.create(deployment)
            _ = try await client.create(
                try object(
                    """
                    {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: wild, namespace: team-a},
                     rules: [{apiGroups: ['*'], resources: ['*'], verbs: [get]}, {apiGroups: ['*'], resources: ['*/status'], verbs: [update]}]}
                    """))
            _ = try await client.create(
                try object(
                    """
                    {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: wild, namespace: team-a},
                     roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: wild}, subjects: [{kind: ServiceAccount, name: deployer}]}
                    """))
            let tenant = client.impersonating(Self.deployer)
            var read = try await tenant.get(GroupVersionKind(created), name: "web", namespace: "team-a")
            // Unconditional writes: the simulated controller updates the status meanwhile.
            read.setMetadata("resourceVersion", nil)
            _ = try await tenant.updateStatus(read, options: WriteOptions())
            let status = try await refusal { _ = try await tenant.update(read, options: WriteOptions()) }
            #expect(
                status.message
                    == #"deployments.apps "web" is forbidden: User "system:serviceaccount:team-a:deployer" cannot update resource "deployments" in API group "apps" in the namespace "team-a""#
            )
            #expect(status.group == "apps")
        }
    }

    @Test("binding cluster-admin without holding it is refused as an escalation; binding what one holds is not")
    func escalation() async throws {
        try await withSandboxClient { client, _ in
            try await grant(client)
            _ = try await client.create(
                try object(
                    """
                    {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: binder, namespace: team-a},
                     rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings, roles], verbs: [get, create, patch, update]}]}
                    """))
            _ = try await client.create(
                try object(
                    """
                    {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: binder, namespace: team-a},
                     roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: binder}, subjects: [{kind: ServiceAccount, name: deployer}]}
                    """))
            let tenant = client.impersonating(Self.deployer)
            let options = ApplyOptions(fieldManager: "keelson")
            let takeover = try object(
                """
                {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: takeover, namespace: team-a},
                 roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin},
                 subjects: [{kind: ServiceAccount, name: deployer}]}
                """)
            let status = try await refusal { _ = try await tenant.apply(takeover, options: options) }
            #expect(status.code == 403)
            #expect(
                status.message.hasPrefix(
                    #"rolebindings.rbac.authorization.k8s.io "takeover" is forbidden: user "system:serviceaccount:team-a:deployer" (groups=["system:serviceaccounts" "system:serviceaccounts:team-a" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:"#
                ), "\(status.message)")
            #expect(status.message.contains(#"{APIGroups:["*"], Resources:["*"], Verbs:["*"]}"#), "\(status.message)")
            await #expect(throws: KubeError.self) {
                _ = try await client.get(GroupVersionKind(takeover), name: "takeover", namespace: "team-a")
            }
            // A Role granting more than the deployer holds is refused the same way.
            let wider = try object(
                """
                {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: wider, namespace: team-a},
                 rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]}
                """)
            let role = try await refusal { _ = try await tenant.apply(wider, options: options) }
            #expect(role.message.hasSuffix("\n" + #"{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}"#), "\(role.message)")
            // Re-applying a binding the admin made, unchanged, grants nothing and passes; changing its subjects does not.
            var foreign = takeover
            foreign.setMetadata("name", "foreign")
            foreign.object["subjects"] = [["kind": "ServiceAccount", "name": "other"]]
            _ = try await client.apply(foreign, options: ApplyOptions(fieldManager: "admin"))
            _ = try await tenant.apply(foreign, options: options)
            var widened = foreign
            widened.object["subjects"] = [["kind": "Group", "name": "system:authenticated", "apiGroup": "rbac.authorization.k8s.io"]]
            let widening = try await refusal { _ = try await tenant.apply(widened, options: ApplyOptions(fieldManager: "keelson", force: true)) }
            #expect(widening.message.hasPrefix(#"rolebindings.rbac.authorization.k8s.io "foreign" is forbidden: user "#), "\(widening.message)")
            // Binding a Role whose rules the deployer holds is fine.
            _ = try await tenant.apply(
                try object(
                    """
                    {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: peers, namespace: team-a},
                     roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmaps},
                     subjects: [{kind: ServiceAccount, name: helper}]}
                    """), options: options)
        }
    }

    @Test("an impersonating client is cheap: it reuses the discovery its client already did, one request per call")
    func sharesDiscovery() async throws {
        try await withSandboxClient { client, endpoint in
            try await grant(client)
            _ = try await client.resource(for: configMapKind)
            let admin = SandboxAdmin(url: endpoint.url)
            let before = try await admin.counter("requests")
            let tenant = client.impersonating(Self.deployer)
            _ = try await tenant.list(configMapKind, namespace: "team-a", options: ListOptions())
            _ = try await client.impersonating(.serviceAccount(namespace: "team-a", name: "other")).resource(for: configMapKind)
            #expect(try await admin.counter("requests") == before + 1)
        }
    }

    @Test("a counting wrapper counts the impersonating client's calls with its own")
    func countingWrapperSharesCounters() async throws {
        try await withSandboxClient { client, _ in
            try await grant(client)
            let counted = CountingKubernetesAPI(client)
            let tenant = counted.impersonating(Self.deployer)
            _ = try await tenant.apply(configMap("c", namespace: "team-a"), options: ApplyOptions(fieldManager: "keelson"))
            _ = try? await tenant.get(configMapKind, name: "c", namespace: "team-b")
            #expect(counted.calls[.apply] == 1 && counted.calls[.get] == 1)
            #expect(counted.writtenObjects.map(\.description) == ["ConfigMap/team-a/c"])
        }
    }
}
