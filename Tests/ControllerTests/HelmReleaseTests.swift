import Foundation
import Helm
import Kube
import Manifests
import Testing

@testable import Controller

/// The controller's chart decisions, made without I/O: install or upgrade, `.Release`,
/// `.Capabilities` and what `lookup` may read.
@Suite struct HelmReleaseTests {
    func app(_ helm: String = "{}") throws -> Application {
        let yaml = """
            apiVersion: keelson.dev/v1alpha1
            kind: Application
            metadata: {name: web, namespace: keelson}
            spec:
              source: {repoURL: "file:///r", path: chart, helm: \(helm)}
              destination: {namespace: shop}
            """
        return try Application(try #require(try Manifest.decode(Array(yaml.utf8), file: "app.yaml").first))
    }

    func history(_ entries: [(String, String, Int?)]) -> History {
        var history = History()
        for (revision, result, release) in entries {
            history.record(revision: revision, at: Date(), initiator: .automated, result: result, digest: "", message: "", release: release)
        }
        return history
    }

    // No successful sync yet (failures included): an install, release 1.
    @Test func installUntilASyncSucceeds() {
        #expect(HelmReleasePlan.plan(history: History(), rendering: "c1") == HelmReleasePlan(isInstall: true, revision: 1))
        let failed = history([("c1", "Failed", 1)])
        #expect(HelmReleasePlan.plan(history: failed, rendering: "c1") == HelmReleasePlan(isInstall: true, revision: 1))
    }

    // After a success: an upgrade; a new revision is the next release, the deployed revision keeps its number.
    @Test func upgradeAfterASuccessWithAStableReleaseNumber() {
        let synced = history([("c1", "Succeeded", 1)])
        #expect(HelmReleasePlan.plan(history: synced, rendering: "c1") == HelmReleasePlan(isInstall: false, revision: 1))
        #expect(HelmReleasePlan.plan(history: synced, rendering: "c2") == HelmReleasePlan(isInstall: false, revision: 2))
        let three = history([("c1", "Succeeded", 1), ("c2", "Succeeded", 2), ("c3", "Failed", 3), ("c3", "Succeeded", 3)])
        #expect(HelmReleasePlan.plan(history: three, rendering: "c3") == HelmReleasePlan(isInstall: false, revision: 3))
        #expect(HelmReleasePlan.plan(history: three, rendering: "c4") == HelmReleasePlan(isInstall: false, revision: 4))
    }

    // Entries from before charts recorded a release count one release per success.
    @Test func entriesWithoutAReleaseCountSuccesses() {
        let old = history([("c1", "Succeeded", nil), ("c2", "Succeeded", nil)])
        #expect(HelmReleasePlan.plan(history: old, rendering: "c3") == HelmReleasePlan(isInstall: false, revision: 3))
    }

    // The release name defaults to the Application's, the namespace is the destination's, and
    // IsUpgrade is true only with lookup on.
    @Test func releaseInfo() throws {
        let upgrade = HelmReleasePlan(isInstall: false, revision: 4)
        #expect(upgrade.info(for: try app()) == ReleaseInfo(name: "web", namespace: "shop", isUpgrade: false, revision: 4))
        #expect(
            upgrade.info(for: try app("{releaseName: shop-web, lookup: true}"))
                == ReleaseInfo(name: "shop-web", namespace: "shop", isUpgrade: true, revision: 4))
        #expect(HelmReleasePlan(isInstall: true, revision: 1).info(for: try app("{lookup: true}")).isUpgrade == false)
    }

    // Discovery gives the version and every group/version and group/version/Kind; the spec overrides and adds.
    @Test func capabilitiesFromDiscovery() throws {
        let resources = [
            APIResource(
                groupVersionKind: GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"), plural: "configmaps", singular: "", namespaced: true,
                verbs: [], shortNames: []),
            APIResource(
                groupVersionKind: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"), plural: "deployments", singular: "",
                namespaced: true, verbs: [], shortNames: []),
        ]
        let server = ServerVersion(major: "1", minor: "31+", gitVersion: "v1.31.4+k3s1")
        let live = ClusterCapabilities.capabilities(server: server, resources: resources, helm: try #require(try app().spec.source.helm))
        #expect(live.kubeVersion.version == "v1.31.4+k3s1" && live.kubeVersion.normalized == "v1.31.4", "the server's gitVersion, as Helm keeps it")
        #expect(live.apiVersions == ["apps/v1", "apps/v1/Deployment", "v1", "v1/ConfigMap"])
        let overridden = ClusterCapabilities.capabilities(
            server: server, resources: resources,
            helm: try #require(try app("{kubeVersion: '1.29', apiVersions: [monitoring.coreos.com/v1, v1]}").spec.source.helm))
        #expect(overridden.kubeVersion == KubeVersion(parsing: "1.29"))
        #expect(overridden.apiVersions == ["apps/v1", "apps/v1/Deployment", "v1", "v1/ConfigMap", "monitoring.coreos.com/v1"])
    }

    // lookup reads the destination namespace and cluster-scoped kinds; Secrets only when allowed.
    @Test func lookupPolicy() throws {
        let policy = LookupPolicy(namespace: "shop", allowSecrets: false)
        let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
        let secret = GroupVersionKind(group: "", version: "v1", kind: "Secret")
        let namespace = GroupVersionKind(group: "", version: "v1", kind: "Namespace")
        #expect(try policy.namespace(for: configMap, namespaced: true, requested: "shop") == "shop")
        #expect(try policy.namespace(for: namespace, namespaced: false, requested: "") == nil)
        #expect(throws: LookupPolicy.Refused.self) { try policy.namespace(for: configMap, namespaced: true, requested: "kube-system") }
        #expect(throws: LookupPolicy.Refused.self) { try policy.namespace(for: configMap, namespaced: true, requested: "") }
        #expect(throws: LookupPolicy.Refused.self) { try policy.namespace(for: secret, namespaced: true, requested: "shop") }
        #expect(try LookupPolicy(namespace: "shop", allowSecrets: true).namespace(for: secret, namespaced: true, requested: "shop") == "shop")
    }

    // lookup results read as Go's JSON decoding gives them: every number a float64.
    @Test func lookupValuesAreGoJSON() {
        let value = ClusterLookup.value(["spec": ["replicas": 3, "ratio": 0.5, "tags": ["a"]]])
        guard let spec = value.mapEntries?["spec"]?.mapEntries else {
            Issue.record("not a map: \(value)")
            return
        }
        guard case .float(let replicas) = spec["replicas"], case .float(let ratio) = spec["ratio"] else {
            Issue.record("numbers are not float64: \(spec)")
            return
        }
        #expect(replicas == 3 && ratio == 0.5)
    }
}
