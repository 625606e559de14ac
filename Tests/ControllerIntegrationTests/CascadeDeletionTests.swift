import Controller
import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// Deleting an Application with `keelson.dev/resources-finalizer` deletes its objects first (as
/// Argo CD's resources finalizer does); without it, the objects stay.
@Suite(.serialized) struct CascadeDeletionTests {
    typealias H = ControllerHarness

    static let deployments = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")

    static let files: [String: String] = [
        "app/cm.yaml": H.configMap("web-config", "1"),
        "app/deploy.yaml": H.deployment("web"),
        "app/kept.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: kept, annotations: {argocd.argoproj.io/sync-options: Prune=false}}
        data: {value: "1"}
        """,
        // Argo CD's and Flux's keeps for the owner's deletion.
        "app/retained.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: retained, annotations: {argocd.argoproj.io/sync-options: Delete=false}}
        data: {value: "1"}
        """,
        "app/flux-kept.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: flux-kept, labels: {kustomize.toolkit.fluxcd.io/prune: disabled}}
        data: {value: "1"}
        """,
    ]

    /// The Application `name` with `finalizers` in its metadata.
    static func app(_ name: String, finalizers: [String], extra: String = "") -> String {
        H.app(name, path: "app", extra: extra).replacingOccurrences(
            of: "namespace: keelson}", with: "namespace: keelson, finalizers: [\(finalizers.joined(separator: ", "))]}")
    }

    static func conditions(_ status: JSONValue?) -> [JSONValue] { status?["conditions"]?.arrayValue ?? [] }

    func gone(_ h: H, _ name: String) async -> Bool {
        do {
            _ = try await h.client.get(H.applications, name: name, namespace: "keelson")
            return false
        } catch {
            return error.isNotFound
        }
    }

    func deployment(_ h: H, _ name: String) async -> Manifest? { try? await h.client.get(Self.deployments, name: name, namespace: "default") }

    @Test func withTheFinalizerTheObjectsGoFirstAndWhatItDoesNotOwnStays() async throws {
        try await H.with(files: Self.files, apps: [:]) { h in
            // Same name in another namespace: not the Application's.
            try await h.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n")
            try await h.apply(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, namespace: other}\ndata: {value: \"theirs\"}\n")
            try await h.apply(
                Self.app("cascade", finalizers: [Application.resourcesFinalizer]).replacingOccurrences(of: "REPO", with: "file://" + h.repository))
            try await h.eventually("the application syncs") {
                let (value, web, kept) = (await h.configMapValue("web-config"), await deployment(h, "web"), await h.exists("kept"))
                let (retained, fluxKept) = (await h.exists("retained"), await h.exists("flux-kept"))
                return value == "1" && web != nil && kept && retained && fluxKept
            }
            // Something else holds the ConfigMap for a while: the Application waits for it, saying so.
            _ = try await h.client.mergePatch(
                H.configMaps, name: "web-config", namespace: "default", patch: ["metadata": ["finalizers": ["example.com/hold"]]],
                options: WriteOptions(fieldManager: "test"))
            _ = try await h.client.delete(H.applications, name: "cascade", namespace: "keelson", options: DeleteOptions())
            try await h.eventually("the Application reports the object it waits for, and those it keeps") {
                Self.conditions(await h.status("cascade")).contains {
                    let message = $0["message"]?.stringValue ?? ""
                    return $0["type"] == "Deleting" && $0["reason"] == "DeletingObjects" && message.contains("ConfigMap/default/web-config")
                        && message.contains("ConfigMap/default/retained (it says Delete=false")
                        && message.contains("ConfigMap/default/flux-kept (")
                }
            }
            #expect(await h.handle?.application(namespace: "keelson", name: "cascade")?.isDeleting == true)
            #expect(await deployment(h, "web") == nil)
            #expect(!(await gone(h, "cascade")))
            _ = try await h.client.mergePatch(
                H.configMaps, name: "web-config", namespace: "default", patch: ["metadata": ["finalizers": .null]],
                options: WriteOptions(fieldManager: "test"))
            try await h.eventually("the Application is gone") { await gone(h, "cascade") }
            // Its objects went before it; another namespace's object of the same name and the
            // objects that say Prune=false, Delete=false or Flux's prune: disabled stay, and so
            // does nothing of its inventory.
            #expect(await !h.exists("web-config"))
            #expect(await deployment(h, "web") == nil)
            #expect(await h.configMapValue("web-config", namespace: "other") == "theirs")
            #expect(await h.exists("kept"))
            #expect(await h.exists("retained"))
            #expect(await h.exists("flux-kept"))
            #expect(await !h.exists("keelson-inventory-keelson.cascade", namespace: "keelson"))
        }
    }

    @Test func withoutTheFinalizerTheObjectsStay() async throws {
        try await H.with(files: Self.files, apps: [:]) { h in
            // Another finalizer keeps the Application visible while it is marked for deletion.
            try await h.apply(Self.app("orphan", finalizers: ["example.com/hold"]).replacingOccurrences(of: "REPO", with: "file://" + h.repository))
            try await h.eventually("the application syncs") {
                let (value, web) = (await h.configMapValue("web-config"), await deployment(h, "web"))
                return value == "1" && web != nil
            }
            _ = try await h.client.delete(H.applications, name: "orphan", namespace: "keelson", options: DeleteOptions())
            try await h.eventually("the controller sees it marked for deletion") {
                await h.handle?.application(namespace: "keelson", name: "orphan")?.isDeleting == true
            }
            // A sync asked of the marked Application is taken (the annotation cleared) and dropped:
            // the reconcile that took it saw the mark, and deleted nothing.
            _ = try await h.client.mergePatch(
                H.applications, name: "orphan", namespace: "keelson", patch: ["metadata": ["annotations": ["keelson.dev/sync": "now"]]],
                options: WriteOptions(fieldManager: "test"))
            try await h.eventually("the controller took the request") {
                let object = try? await h.client.get(H.applications, name: "orphan", namespace: "keelson")
                return object != nil && object?.annotations["keelson.dev/sync"] == nil
            }
            #expect(await h.configMapValue("web-config") == "1")
            _ = try await h.client.mergePatch(
                H.applications, name: "orphan", namespace: "keelson", patch: ["metadata": ["finalizers": .null]],
                options: WriteOptions(fieldManager: "test"))
            try await h.eventually("the Application is gone") { await gone(h, "orphan") }
            #expect(await h.configMapValue("web-config") == "1")
            #expect(await deployment(h, "web") != nil)
        }
    }

    @Test func aRefusedDeleteKeepsTheFinalizerAndIsRetriedUntilAllowed() async throws {
        try await H.with(files: ["app/cm.yaml": H.configMap("guarded", "1")], apps: [:]) { h in
            // The deployer may manage ConfigMaps in default, but not delete them.
            try await h.apply(
                """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: deployer, namespace: default}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: configmaps, namespace: default}
                rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch, create, update, patch]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: deployer, namespace: default}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmaps}
                subjects: [{kind: ServiceAccount, name: deployer, namespace: default}]
                """)
            let app = Self.app("guarded", finalizers: [Application.resourcesFinalizer])
                .replacingOccurrences(of: "spec:\n", with: "spec:\n  serviceAccountName: deployer\n")
                .replacingOccurrences(of: "REPO", with: "file://" + h.repository)
            try await h.apply(app)
            try await h.eventually("the application syncs as the deployer") { await h.configMapValue("guarded") == "1" }
            _ = try await h.client.delete(H.applications, name: "guarded", namespace: "keelson", options: DeleteOptions())
            try await h.eventually("the refused delete is reported") {
                Self.conditions(await h.status("guarded")).contains {
                    $0["type"] == "Deleting" && $0["status"] == "False" && $0["reason"] == "DeletionFailed"
                        && ($0["message"]?.stringValue ?? "").contains(#"User "system:serviceaccount:default:deployer""#)
                }
            }
            let held = try await h.client.get(H.applications, name: "guarded", namespace: "keelson")
            #expect(held.finalizers == [Application.resourcesFinalizer])
            #expect(await h.exists("guarded"))
            // Allowed now: the next retry deletes it, and the Application goes.
            try await h.apply(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: configmaps, namespace: default}
                rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch, create, update, patch, delete]}]
                """)
            try await h.eventually("the Application is gone") { await gone(h, "guarded") }
            #expect(await !h.exists("guarded"))
        }
    }
}
