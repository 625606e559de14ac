import Foundation
import Helm
import KeelsonTesting
import Manifests
import Testing

/// Helm's split, hook classification and order, compared with the real `helm template` on charts
/// whose templates hold no actions (so the comparison needs no template engine).
@Suite struct ReleaseManifestsTests {
    private static let kinds = [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role",
        "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet",
        "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "Zebra", "Alpha", "Certificate", "",
    ]

    private static func object(_ kind: String, _ name: String, annotations: [String: String] = [:]) -> String {
        var text = "apiVersion: v1\n" + (kind.isEmpty ? "" : "kind: \(kind)\n") + "metadata:\n  name: \(name)\n"
        if !annotations.isEmpty {
            text += "  annotations:\n" + annotations.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"\n" }.joined()
        }
        return text
    }

    /// Writes `templates` into a chart and returns what Keelson and the real helm make of it.
    private static func compare(_ templates: [String: String]) async throws -> (ours: [String], helm: [String]) {
        let directory = try TemporaryDirectory(prefix: "helm-order")
        defer { directory.remove() }
        try directory.write("order/Chart.yaml", "apiVersion: v2\nname: order\nversion: 0.1.0\n")
        var rendered: [String: String] = [:]
        for (name, text) in templates {
            try directory.write("order/templates/\(name)", text)
            rendered["order/templates/\(name)"] = text
        }
        let release = try ReleaseManifests(rendered: rendered)
        // A comment-only document has no object to compare (Helm prints it; nobody applies it).
        let ours = (release.manifests + release.hooks).filter { !$0.kind.isEmpty }.map { "\($0.source) \($0.kind) \($0.name)" }
        let helm = try await HelmReference.template("r", directory.path + "/order").compactMap { document -> String? in
            guard let object = try Manifest.decode(Array(document.content.utf8), file: document.source).first else { return nil }
            return "\(document.source) \(object.kind) \(object.name)"
        }
        return (ours, helm)
    }

    @Test func kindsAndFilesAreOrderedAsHelmOrdersThem() async throws {
        var templates: [String: String] = [:]
        for (index, kind) in Self.kinds.reversed().enumerated() where !kind.isEmpty {
            templates[String(format: "t%02d.yaml", index)] = Self.object(kind, "b\(index)") + "---\n" + Self.object(kind, "a\(index)")
        }
        for name in ["b.yaml", "a.yaml", "A.yaml", "sub/c.yaml"] { templates[name] = Self.object("ConfigMap", name) }
        templates["z.yaml"] = (1...12).map { "---\n" + Self.object("Secret", "s\($0)") }.joined()
        templates["y.yaml"] = "# only a comment\n---\n\n---\n" + Self.object("Secret", "after-empty") + "---   \n"
        let (ours, helm) = try await Self.compare(templates)
        #expect(ours == helm)
        #expect(ours.count == 2 * (Self.kinds.count - 1) + 4 + 12 + 1)
    }

    @Test func hooksFollowTheObjectsAndUnknownEventsDropTheObject() async throws {
        func hook(_ kind: String, _ name: String, _ events: String, weight: String = "0") -> String {
            Self.object(kind, name, annotations: ["helm.sh/hook": events, "helm.sh/hook-weight": weight])
        }
        let templates = [
            "all.yaml": [
                hook("Job", "j1", "pre-install", weight: "5"), hook("ConfigMap", "c1", "pre-install,post-install", weight: "-1"),
                hook("Job", "j2", "bogus"), hook("Job", "j3", "pre-install, bogus"), hook("Pod", "t1", "test"),
                hook("Pod", "t2", "test-success"), hook("Job", "j4", "POST-UPGRADE"), hook("Secret", "s1", "pre-install"),
                hook("Job", "j5", "pre-install,"), Self.object("ConfigMap", "plain"),
            ].joined(separator: "---\n")
        ]
        let (ours, helm) = try await Self.compare(templates)
        #expect(ours == helm)
        let release = try ReleaseManifests(rendered: templates.mapKeys { "order/templates/\($0)" })
        #expect(release.skippedHooks.map(\.annotation).sorted() == ["bogus", "pre-install, bogus", "pre-install,"].sorted())
        let c1 = release.hooks.first { $0.name == "c1" }?.hook
        #expect(c1 == HelmHook(events: [.preInstall, .postInstall], weight: -1))
        #expect(release.hooks.first { $0.name == "t2" }?.hook?.events == [.test])
    }

    /// Documents whose head only a YAML reader gets right: keys given twice (go-yaml keeps the last),
    /// flow and quoted styles, and the tags, aliases and merge keys that send a document to the
    /// full decoder. Helm's order and hook split tell what it read.
    @Test func headsAreReadAsHelmReadsThem() async throws {
        let documents = [
            "apiVersion: v1\nkind: ConfigMap\nkind: Namespace\nmetadata:\n  name: kind-twice\n",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: first\nmetadata:\n  name: second\n  annotations: {helm.sh/hook: pre-install}\n",
            "{apiVersion: v1, kind: ServiceAccount, metadata: {name: flow}}\n",
            "\"apiVersion\": v1\n\"kind\": 'Role'\n'metadata': {\"name\": quoted}\n",
            "apiVersion: v1\nkind: !!str ClusterRole\nmetadata:\n  name: tagged\n",
            "apiVersion: v1\nkind: Service\nmetadata: &m\n  name: anchored\nspec:\n  copy: *m\n",
            "apiVersion: v1\nkind: |-\n  PersistentVolume\nmetadata:\n  name: >-\n    block\n",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: hook-twice\n  annotations:\n    helm.sh/hook: bogus\n    helm.sh/hook: post-install\n",
            "apiVersion: v1\nkind: LimitRange\nmetadata:\n  annotations: {helm.sh/hook: pre-install}\n  annotations: {}\n  name: annotations-replaced\n",
            "# a comment first\napiVersion: v1 # and after\nkind: Pod\nmetadata:\n  name: commented\n",
            "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: with-list\nspec:\n  - [kind, {kind: Namespace}]\n  - kind: Namespace\n",
        ]
        let templates = Dictionary(uniqueKeysWithValues: documents.enumerated().map { (String(format: "h%02d.yaml", $0.offset), $0.element) })
        let directory = try TemporaryDirectory(prefix: "helm-heads")
        defer { directory.remove() }
        try directory.write("heads/Chart.yaml", "apiVersion: v2\nname: heads\nversion: 0.1.0\n")
        for (name, text) in templates { try directory.write("heads/templates/\(name)", text) }
        let release = try ReleaseManifests(rendered: templates.mapKeys { "heads/templates/\($0)" })
        let ours = (release.manifests + release.hooks).map { "\($0.source)\n\($0.content)" }
        let helm = try await HelmReference.template("r", directory.path + "/heads").map {
            "\($0.source)\n\($0.content.trimmingCharacters(in: .newlines))"
        }
        #expect(ours == helm)
        #expect(release.hooks.map(\.name) == ["second", "hook-twice"])
        #expect(release.manifests.first { $0.name == "tagged" }?.kind == "ClusterRole")
    }

    @Test func documentsSplitOnDashLinesOnly() {
        #expect(ReleaseManifests.split("a: 1\n---\nb: 2\n--- \n\n---\nc: '---'\n") == ["a: 1", "b: 2", "c: '---'"])
    }
}

extension Dictionary where Key == String {
    fileprivate func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
