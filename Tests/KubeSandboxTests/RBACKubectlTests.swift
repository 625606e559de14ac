import Foundation
import Testing

/// The sandbox's RBAC for impersonated users, as the real kubectl sees it with `--as`.
@Suite("Sandbox RBAC with the real kubectl", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct RBACKubectlTests {
    static let user = "system:serviceaccount:team-a:deployer"

    /// Namespaces team-a and team-b, and a Role in team-a for ConfigMaps bound to the deployer ServiceAccount.
    func grant(_ kubectl: Kubectl) async throws {
        try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.namespace("team-a") + "---\n" + Fixtures.namespace("team-b"))
        try await kubectl.ok(
            ["apply", "-f", "-"],
            stdin: """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: configmaps, namespace: team-a}
                rules:
                - apiGroups: [""]
                  resources: [configmaps]
                  verbs: [get, list, watch, create, patch]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: deployer, namespace: team-a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmaps}
                subjects:
                - {kind: ServiceAccount, name: deployer, namespace: team-a}
                """)
    }

    /// Each case pins one answer of `kubectl auth can-i` through SelfSubjectAccessReview.
    @Test(
        "kubectl auth can-i --as answers from the sandbox's RBAC",
        arguments: [
            (["patch", "configmaps", "-n", "team-a"], true),
            (["create", "configmaps", "-n", "team-a"], true),
            (["delete", "configmaps", "-n", "team-a"], false),
            (["patch", "configmaps", "-n", "team-b"], false),
            (["get", "secrets", "-n", "team-a"], false),
            (["list", "configmaps", "--all-namespaces"], false),
            (["create", "clusterrolebindings"], false),
        ])
    func canI(arguments: [String], allowed: Bool) async throws {
        try await withSandbox { kubectl, _ in
            try await grant(kubectl)
            let result = try await kubectl.run(["auth", "can-i", "--as=\(Self.user)"] + arguments)
            #expect(result.stdout == (allowed ? "yes\n" : "no\n"), "\(result.stderr)")
            #expect(result.status == (allowed ? 0 : 1))
            // Without --as the caller is the sandbox's admin.
            #expect(try await kubectl.run(["auth", "can-i"] + arguments).stdout == "yes\n")
        }
    }

    @Test("a forbidden kubectl apply --as prints the API server's 403 text; an allowed one applies")
    func forbiddenApply() async throws {
        try await withSandbox { kubectl, _ in
            try await grant(kubectl)
            let manifest = Fixtures.configMap("x", data: ["k": "v"])
            let ssa = try await kubectl.run(
                ["--as=\(Self.user)", "apply", "--server-side", "-n", "team-b", "-f", "-"], stdin: manifest)
            #expect(ssa.status != 0)
            #expect(
                ssa.stderr.contains(
                    #"Error from server (Forbidden): configmaps "x" is forbidden: User "system:serviceaccount:team-a:deployer" cannot patch resource "configmaps" in API group "" in the namespace "team-b""#
                ),
                "\(ssa.stderr)")
            let clientSide = try await kubectl.run(["--as=\(Self.user)", "apply", "-n", "team-b", "-f", "-"], stdin: manifest)
            #expect(clientSide.status != 0)
            #expect(
                clientSide.stderr.contains(
                    #"configmaps "x" is forbidden: User "system:serviceaccount:team-a:deployer" cannot get resource "configmaps" in API group "" in the namespace "team-b""#
                ),
                "\(clientSide.stderr)")
            try await kubectl.ok(["--as=\(Self.user)", "apply", "--server-side", "-n", "team-a", "-f", "-"], stdin: manifest)
            #expect(try await kubectl.json(["get", "configmap", "x", "-n", "team-a"]).string("data.k") == "v")
            let list = try await kubectl.run(["--as=\(Self.user)", "get", "configmaps", "-A"])
            #expect(
                list.stderr.contains(
                    #"Error from server (Forbidden): configmaps is forbidden: User "system:serviceaccount:team-a:deployer" cannot list resource "configmaps" in API group "" at the cluster scope"#
                ),
                "\(list.stderr)")
        }
    }

    @Test("kubectl auth can-i --list --as lists the ServiceAccount's rules in the namespace")
    func canIList() async throws {
        try await withSandbox { kubectl, _ in
            try await grant(kubectl)
            let inA = try await kubectl.ok(["auth", "can-i", "--list", "--as=\(Self.user)", "-n", "team-a"])
            let row = try #require(inA.split(separator: "\n").first { $0.hasPrefix("configmaps ") }, "\(inA)")
            #expect(row.contains("[get list watch create patch]"), "\(row)")
            #expect(inA.contains("selfsubjectaccessreviews.authorization.k8s.io"))
            let inB = try await kubectl.ok(["auth", "can-i", "--list", "--as=\(Self.user)", "-n", "team-b"])
            #expect(!inB.contains("configmaps "), "\(inB)")
        }
    }
}
