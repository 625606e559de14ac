import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// Charts in Git synced by the controller: install and upgrade hooks, `keep`, deterministic
/// randomness, and the seed Secret.
@Suite(.serialized) struct HelmChartTests {
    typealias H = ControllerHarness
    static let jobs = GroupVersionKind(group: "batch", version: "v1", kind: "Job")

    static let chartYAML = "apiVersion: v2\nname: shop\nversion: 0.1.0\n"

    /// A hook Job named `name` for `events`.
    static func hookJob(_ name: String, events: String, weight: Int = 0) -> String {
        """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: \(name)
          annotations:
            helm.sh/hook: \(events)
            helm.sh/hook-weight: "\(weight)"
            helm.sh/hook-delete-policy: before-hook-creation
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: main, image: "example.invalid/hook:1"}]

        """
    }

    static func chartApp(_ name: String, helm: String = "{}") -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: \(name), namespace: keelson}
        spec:
          source: {repoURL: REPO, revision: main, path: chart, helm: \(helm)}
          destination: {namespace: default}
          syncPolicy:
            automated: {prune: true, selfHeal: true}
            interval: 1s
            retry: {limit: 2, backoff: {duration: 1s, maxDuration: 2s}}

        """
    }

    func uid(_ h: H, job name: String) async -> String? {
        (try? await h.client.get(Self.jobs, name: name, namespace: "default"))?.metadata["uid"]?.stringValue
    }

    func successfulSyncs(_ h: H, _ app: String) async -> Int {
        (await h.status(app)?["history"]?.arrayValue ?? []).filter { $0["result"] == "Succeeded" }.count
    }

    @Test func installHooksRunOnTheFirstSyncAndOnlyTheUpgradeHookOnTheNext() async throws {
        let files = [
            "chart/Chart.yaml": Self.chartYAML,
            "chart/values.yaml": "greeting: hello\n",
            "chart/templates/web.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {value: {{ .Values.greeting | quote }}}\n",
            "chart/templates/hooks.yaml": Self.hookJob("pre-install", events: "pre-install") + "---\n"
                + Self.hookJob("post-install", events: "post-install")
                + "---\n" + Self.hookJob("pre-upgrade", events: "pre-upgrade"),
        ]
        try await H.with(files: files, apps: ["shop": Self.chartApp("shop")]) { h in
            try await h.eventually("the chart is installed") { await h.configMapValue("web") == "hello" }
            try await h.eventually("the install sync is recorded") { await successfulSyncs(h, "shop") == 1 }
            let preInstall = try #require(await uid(h, job: "pre-install"), "the pre-install hook ran")
            #expect(await uid(h, job: "post-install") != nil, "the post-install hook ran")
            #expect(await uid(h, job: "pre-upgrade") == nil, "no upgrade hook runs on install")

            try await h.commit(["chart/values.yaml": "greeting: bonjour\n"], message: "bonjour")
            try await h.eventually("the upgrade reaches the cluster") { await h.configMapValue("web") == "bonjour" }
            try await h.eventually("the upgrade sync is recorded") { await successfulSyncs(h, "shop") == 2 }
            #expect(await uid(h, job: "pre-upgrade") != nil, "the pre-upgrade hook ran")
            let after = await uid(h, job: "pre-install")
            #expect(after == preInstall, "the pre-install hook did not run again (\(after ?? "deleted"))")
            let history = await h.status("shop")?["history"]?.arrayValue ?? []
            #expect(history.compactMap { $0["release"]?.intValue } == [1, 2], "release revisions 1 then 2")
        }
    }

    @Test func aKeptObjectSurvivesItsRemovalFromTheChart() async throws {
        let kept = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept, annotations: {helm.sh/resource-policy: keep}}\ndata: {value: \"1\"}\n"
        let files = [
            "chart/Chart.yaml": Self.chartYAML, "chart/templates/kept.yaml": kept, "chart/templates/gone.yaml": H.configMap("gone", "1"),
            "chart/templates/web.yaml": H.configMap("web", "1"),
        ]
        try await H.with(files: files, apps: ["shop": Self.chartApp("shop")]) { h in
            try await h.eventually("the chart is installed") {
                let kept = await h.exists("kept")
                let gone = await h.exists("gone")
                return kept && gone
            }
            try await h.commit(
                ["chart/templates/kept.yaml": nil, "chart/templates/gone.yaml": nil, "chart/templates/web.yaml": H.configMap("web", "2")],
                message: "remove")
            try await h.eventually("the unprotected object is pruned") { await !h.exists("gone") }
            #expect(await h.configMapValue("web") == "2")
            #expect(await h.exists("kept"), "helm.sh/resource-policy: keep is never pruned")
        }
    }

    @Test func randomValuesRenderTheSameOnEveryReconcile() async throws {
        let files = [
            "chart/Chart.yaml": Self.chartYAML,
            "chart/templates/secret.yaml":
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {value: {{ randAlphaNum 24 | quote }}, id: {{ uuidv4 | quote }}}\n",
        ]
        try await H.with(files: files, apps: ["shop": Self.chartApp("shop")]) { h in
            try await h.eventually("the chart is installed") { await h.configMapValue("web") != nil }
            let first = try #require(await h.configMapValue("web"))
            #expect(first.count == 24)
            let seed = try await h.client.get(H.secrets, name: "shop-helm-seed", namespace: "keelson")
            #expect(seed.labels["keelson.dev/helm-seed-for"] == "shop")
            let app = try await h.client.get(H.applications, name: "shop", namespace: "keelson")
            let owner = seed.object["metadata"]?["ownerReferences"]?.arrayValue?.first
            #expect(owner?["kind"] == "Application" && owner?["name"] == "shop")
            #expect(owner?["uid"] != nil && owner?["uid"] == app.object["metadata"]?["uid"], "the seed names its Application as owner")
            let seen = h.reconciles["keelson/shop"]
            try await h.eventually("several reconciles pass", timeout: .seconds(40)) { h.reconciles["keelson/shop"] >= seen + 4 }
            #expect(await h.configMapValue("web") == first, "the same revision renders the same random value")
            let status = await h.status("shop")
            #expect(status?["sync"]?["status"] == "Synced")
            #expect(await successfulSyncs(h, "shop") == 1, "no sync was needed after the first")
            // The seed goes with its Application: a new Application of that name draws a new seed.
            _ = try await h.client.delete(H.applications, name: "shop", namespace: "keelson", options: DeleteOptions())
            try await h.eventually("the seed Secret is collected with its Application") {
                (try? await h.client.get(H.secrets, name: "shop-helm-seed", namespace: "keelson")) == nil
            }
        }
    }

    // A chart inside a kustomization (helmCharts:) draws from the Application's seed too, so it stays
    // Synced; a kustomization without a chart never gets a seed Secret.
    @Test func kustomizedChartsRenderTheSameOnEveryReconcile() async throws {
        let files = [
            "kustomized/kustomization.yaml": "helmCharts:\n- {name: shop, releaseName: shop}\n",
            "kustomized/charts/shop/Chart.yaml": Self.chartYAML,
            "kustomized/charts/shop/values.yaml": "{}\n",  // kustomize reads it, and fails without it
            "kustomized/charts/shop/templates/token.yaml":
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: token, namespace: default}\ndata: {value: {{ randAlphaNum 16 | quote }}}\n",
            "plain/kustomization.yaml": "resources: [cm.yaml]\n",
            "plain/cm.yaml": H.configMap("plain", "1"),
        ]
        try await H.with(files: files, apps: ["kustomized": H.app("kustomized", path: "kustomized"), "plain": H.app("plain", path: "plain")]) { h in
            try await h.eventually("both are synced") {
                let token = await h.configMapValue("token")
                let plain = await h.configMapValue("plain")
                return token != nil && plain != nil
            }
            let first = try #require(await h.configMapValue("token"))
            #expect(first.count == 16)
            let seen = h.reconciles["keelson/kustomized"]
            try await h.eventually("several reconciles pass", timeout: .seconds(40)) { h.reconciles["keelson/kustomized"] >= seen + 4 }
            #expect(await h.configMapValue("token") == first, "the same revision renders the same random value")
            #expect(await successfulSyncs(h, "kustomized") == 1, "no sync was needed after the first")
            #expect((try? await h.client.get(H.secrets, name: "kustomized-helm-seed", namespace: "keelson")) != nil)
            #expect((try? await h.client.get(H.secrets, name: "plain-helm-seed", namespace: "keelson")) == nil, "no chart, no seed")
        }
    }

    // Values in Helm's order (chart < value file < inline < Secret < parameters); crds: CreateOnly marks the CRD.
    @Test func valuesComeInHelmsOrderAndCRDsAreCreateOnly() async throws {
        let crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              names: {kind: Widget, plural: widgets}
              scope: Namespaced
              versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]

            """
        let files = [
            "chart/Chart.yaml": Self.chartYAML, "chart/crds/widgets.yaml": crd,
            "chart/values.yaml": "a: chart\nb: chart\nc: chart\nd: chart\ne: chart\n",
            "chart/values-prod.yaml": "b: file\nc: file\nd: file\ne: file\n",
            "chart/templates/web.yaml":
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {value: {{ printf \"%s-%s-%s-%s-%s\" .Values.a .Values.b .Values.c .Values.d .Values.e | quote }}}\n",
        ]
        let helm =
            "{valueFiles: [values-prod.yaml], values: {c: inline, d: inline, e: inline}, crds: CreateOnly, "
            + "valuesFrom: [{kind: Secret, name: shop-values}], parameters: [{name: e, value: param}]}"
        try await H.with(files: files, apps: [:]) { h in
            try await h.apply(
                "apiVersion: v1\nkind: Secret\nmetadata: {name: shop-values, namespace: keelson}\nstringData: {values.yaml: \"d: secret\\ne: secret\\n\"}\n"
            )
            try await h.apply(Self.chartApp("shop", helm: helm).replacingOccurrences(of: "REPO", with: "file://" + h.repository))
            try await h.eventually("the chart is installed") { await h.configMapValue("web") == "chart-file-inline-secret-param" }
            let widgets = try await h.client.get(
                GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition"), name: "widgets.example.com",
                namespace: nil)
            #expect(widgets.annotations["keelson.dev/sync-options"] == "CreateOnly=true,Prune=false")
        }
    }

    // lookup: true reads the destination, and .Release.IsUpgrade turns true once the install succeeded.
    @Test func lookupReadsTheDestinationAndUpgradesSayIsUpgrade() async throws {
        let template = """
            {{- $live := lookup "v1" "ConfigMap" .Release.Namespace "live" }}
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web}
            data: {value: {{ printf "%v-%v" $live.data.n .Release.IsUpgrade | quote }}}

            """
        try await H.with(files: ["chart/Chart.yaml": Self.chartYAML, "chart/templates/web.yaml": template], apps: [:]) { h in
            try await h.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: live, namespace: default}\ndata: {n: \"7\"}\n")
            try await h.apply(Self.chartApp("shop", helm: "{lookup: true}").replacingOccurrences(of: "REPO", with: "file://" + h.repository))
            // The install renders IsUpgrade false; once it succeeded the render is an upgrade, which with
            // lookup on says IsUpgrade: the chart's output changes, so one upgrade sync follows, then it stays.
            try await h.eventually("the upgrade reads the live object and says IsUpgrade") { await h.configMapValue("web") == "7-true" }
            try await h.eventually("two syncs: the install, then the upgrade") {
                let history = await h.status("shop")?["history"]?.arrayValue ?? []
                return history.filter { $0["result"] == "Succeeded" }.compactMap { $0["release"]?.intValue } == [1, 1]
            }
            #expect(await h.status("shop")?["sync"]?["status"] == "Synced")
        }
    }
}

/// A chart from an HTTP Helm repository built with the real `helm package` and `helm repo index`,
/// served on 127.0.0.1.
@Suite(.serialized) struct HelmRepositoryTests {
    typealias H = ControllerHarness

    /// Packages `shop` at `versions` into `folder/repo` with an index, and serves it; `body` gets the URL.
    static func withRepository(_ folder: TemporaryDirectory, versions: [String], _ body: (String) async throws -> Void) async throws {
        try folder.write("src/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.0.1\n")
        try folder.write(
            "src/templates/web.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {value: {{ .Chart.Version | quote }}}\n")
        try FileManager.default.createDirectory(atPath: folder.path + "/repo", withIntermediateDirectories: true)
        for version in versions {
            let packaged = try await HelmReference.run(["package", folder.path + "/src", "--version", version, "-d", folder.path + "/repo"])
            try #require(packaged.status == 0, "helm package: \(packaged.errorOutput)")
        }
        let port = try Ports.free()
        let indexed = try await HelmReference.run(["repo", "index", folder.path + "/repo", "--url", "http://127.0.0.1:\(port)"])
        try #require(indexed.status == 0, "helm repo index: \(indexed.errorOutput)")
        let server = try BackgroundProcess(
            "python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", folder.path + "/repo", "\(port)"], log: folder.path + "/http.log")
        defer { server.kill() }
        // A last guard only: python's start-up takes seconds when the whole suite shares two cores.
        try await Ports.waitUntilListening(port, timeout: .seconds(90))
        try await body("http://127.0.0.1:\(port)")
    }

    // The revision is the newest version the range allows, with the archive's digest; the chart syncs.
    @Test func theRevisionIsTheNewestMatchingVersionAndItsDigest() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-chart-repo")
        defer { folder.remove() }
        try await Self.withRepository(folder, versions: ["0.1.0", "0.2.0", "1.0.0"]) { url in
            let app = """
                apiVersion: keelson.dev/v1alpha1
                kind: Application
                metadata: {name: shop, namespace: keelson}
                spec:
                  source: {repoURL: "\(url)", chart: shop, revision: ">=0.1.0 <1.0.0"}
                  destination: {namespace: default}
                  syncPolicy: {automated: {prune: true}, interval: 1s}
                """
            try await H.with(files: ["README.md": "charts come from a repository\n"], apps: [:]) { h in
                try await h.apply(app)
                let sum = try await ProcessRunner.run("sha256sum", [folder.path + "/repo/shop-0.2.0.tgz"]).output
                let digest = "sha256:" + (sum.split(separator: " ").first.map(String.init) ?? "")
                try await h.eventually("the newest 0.x version is resolved") {
                    await h.status("shop")?["latestRevision"]?.stringValue == "0.2.0@" + digest
                }
                try await h.eventually("the chart syncs") { await h.configMapValue("web") == "0.2.0" }
            }
        }
    }
}
