import Controller
import Fleet
import Manifests
import Testing

/// Argo CD Applications and AppProjects become Keelson Applications and Projects that keep
/// what Argo CD did, and every field that cannot be kept is named in the report.
@Suite struct ArgoCDTranslationTests {
    let translation: Translation
    let failing: Translation

    init() throws {
        translation = ArgoCDTranslation.translate(try MigrationFixtures.manifests("argocd.yaml"), options: TranslationOptions())
        failing = ArgoCDTranslation.translate(try MigrationFixtures.manifests("argocd-failing.yaml"), options: TranslationOptions())
    }

    func object(_ kind: String, _ name: String) throws -> Manifest {
        try #require(translation.objects.first { $0.kind == kind && $0.name == name }, "no \(kind) \(name) in \(translation.objects.map(\.name))")
    }

    func reported(_ object: String, _ field: String, in translation: Translation? = nil) -> Unsupported? {
        (translation ?? self.translation).unsupported.first { $0.object == "argoproj.io/Application argocd/\(object)" && $0.field == field }
    }

    // Source, destination, sync policy and ignoreDifferences carry over into an Application that
    // parses; an Application of Argo CD's own namespace moves to the controller's.
    @Test func guestbookKeepsWhatArgoCDDid() throws {
        let manifest = try object("Application", "guestbook")
        #expect(manifest.namespace == "keelson")
        #expect(manifest.annotations[TranslatedFrom.annotation] == "argoproj.io/Application argocd/guestbook")
        #expect(manifest.annotations["owner"] == "web-team" && manifest.labels["team"] == "web")
        let app = try Application(manifest)
        #expect(app.spec.source.repoURL == "https://git.example.com/apps.git" && app.spec.source.path == "guestbook")
        #expect(app.spec.source.directory.recurse && app.spec.source.directory.include == ["{deployment,service}.yaml"])
        #expect(app.spec.destination.isInCluster && app.spec.destination.namespace == "guestbook")
        #expect(app.spec.syncPolicy.automated.map { [$0.prune, $0.selfHeal, $0.allowEmpty] } == [true, true, false])
        #expect(app.spec.syncPolicy.syncOptions == ["CreateNamespace=true"])
        #expect(app.spec.syncPolicy.retry.limit == 5 && app.spec.syncPolicy.retry.backoff == .seconds(10))
        #expect(app.spec.syncPolicy.retry.maxBackoff == .seconds(300))
        #expect(app.spec.ignoreDifferences.map(\.jsonPointers) == [["/spec/replicas"]])
    }

    // Argo CD's resources finalizer (cascading delete) becomes Keelson's, on the translated
    // Application's metadata; an Application without it gets none, so its objects stay.
    @Test func theResourcesFinalizerBecomesKeelsons() throws {
        #expect(try object("Application", "guestbook").finalizers == [Application.resourcesFinalizer])
        #expect(try object("Application", "plain").finalizers == [])
        // The translated Application still parses as one.
        #expect(try Application(try object("Application", "guestbook")).name == "guestbook")
    }

    // HEAD has no Keelson spelling: main is written and the report says so; PruneLast, jq
    // expressions, jsonnet and Argo CD's own annotations are each reported, while
    // ServerSideApply (what Keelson always does) and the resources finalizer (Keelson's own
    // takes its place) are not.
    @Test func guestbookReportsWhatItCannotKeep() throws {
        #expect(try Application(try object("Application", "guestbook")).spec.source.revision == "main")
        #expect(reported("guestbook", "spec.source.targetRevision")?.reason.contains("main") == true)
        #expect(reported("guestbook", "spec.syncPolicy.syncOptions[2]")?.reason.hasPrefix("PruneLast=true") == true)
        #expect(reported("guestbook", "spec.syncPolicy.syncOptions[1]") == nil)
        #expect(reported("guestbook", "spec.ignoreDifferences[0].jqPathExpressions") != nil)
        #expect(reported("guestbook", "metadata.finalizers") == nil)
        #expect(reported("guestbook", "spec.source.directory.jsonnet") != nil)
        #expect(reported("guestbook", "metadata.annotations.notifications.argoproj.io/subscribe.on-sync-succeeded.slack") != nil)
    }

    // Argo CD reads a directory without recursing unless told, Keelson recurses: recurse: false
    // is always written. Without retry Argo CD does not try again: limit 0.
    @Test func plainDirectoryDoesNotRecurseAndDoesNotRetry() throws {
        let app = try Application(try object("Application", "plain"))
        #expect(!app.spec.source.directory.recurse)
        #expect(app.spec.source.revision == "v1.2.0" && app.spec.project == "team-a")
        #expect(app.spec.syncPolicy.retry.limit == 0 && app.spec.syncPolicy.automated == nil)
        #expect(app.spec.destination.isInCluster)
    }

    // An HTTP chart keeps repoURL and chart; valuesObject wins over values, as in Argo CD.
    @Test func helmRepositoryChart() throws {
        let app = try Application(try object("Application", "nginx"))
        #expect(app.spec.source.chartRepository == .http && app.spec.source.chart == "nginx" && app.spec.source.revision == "15.1.0")
        let helm = try #require(app.spec.source.helm)
        #expect(helm.releaseName == "web" && helm.valueFiles == ["values-prod.yaml"] && helm.values == ["replicaCount": 2])
        #expect(helm.parameters.map(\.name) == ["service.type", "image.tag"] && helm.parameters[1].forceString)
        #expect(helm.crds == .skip)
        #expect(reported("nginx", "spec.source.helm.fileParameters") != nil)
        #expect(reported("nginx", "spec.source.helm.values") != nil)
    }

    // Argo CD names an OCI chart's registry without a scheme and the chart apart.
    @Test func ociChartWithoutScheme() throws {
        let app = try Application(try object("Application", "redis"))
        #expect(app.spec.source.repoURL == "oci://registry-1.docker.io/bitnamicharts/redis" && app.spec.source.chart == nil)
        #expect(app.spec.source.chartRepository == .oci && app.spec.source.revision == "18.1.0")
    }

    // Kustomize options, revisionHistoryLimit and info are carried by shape (the fields are new
    // to Application parsing); components are reported.
    @Test func kustomizeOptionsCarriedByShape() throws {
        let spec = try #require(try object("Application", "shop").object["spec"])
        let kustomize = try #require(spec["source"]?["kustomize"])
        #expect(kustomize["namePrefix"] == "prod-" && kustomize["images"] == ["shop=registry.example.com/shop:v2"])
        #expect(kustomize["commonLabels"] == ["env": "prod"])
        #expect(kustomize["patches"]?.arrayValue?.first?["target"] == ["kind": "Deployment", "name": "shop"])
        #expect(kustomize["components"] == nil && spec["source"]?["directory"] == nil)
        #expect(spec["revisionHistoryLimit"] == 3 && spec["info"] == [["name": "Docs", "value": "https://docs.example.com/shop"]])
        #expect(reported("shop", "spec.source.kustomize.components") != nil)
    }

    // A server Keelson does not know fails, naming it; mapped through options.clusters it becomes
    // the registered cluster's name.
    @Test func remoteServerNeedsAClusterName() throws {
        let failure = try #require(translation.failures.first { $0.object.hasSuffix("argocd/remote") })
        #expect(failure.field == "spec.destination.server" && failure.message.contains("https://10.0.0.7:6443"))
        #expect(!translation.objects.contains { $0.name == "remote" })

        var options = TranslationOptions()
        options.clusters = ["https://10.0.0.7:6443": "edge"]
        let mapped = ArgoCDTranslation.translate(try MigrationFixtures.manifests("argocd.yaml"), options: options)
        let remote = try #require(mapped.objects.first { $0.name == "remote" })
        #expect(try Application(remote).spec.destination.cluster == "edge")
    }

    // Two sources that do not read each other's files split into one Application each, and the
    // report says what differs.
    @Test func multipleSourcesSplit() throws {
        #expect(try Application(try object("Application", "split-0")).spec.source.path == "split/a")
        #expect(try Application(try object("Application", "split-1")).spec.source.chart == "nginx")
        #expect(reported("split", "spec.sources")?.reason.contains("split-0, split-1") == true)
    }

    // Plugins, `$ref` values files and a missing source fail, each naming the field; nothing of
    // them is printed.
    @Test func untranslatableApplicationsFail() {
        let fields = Dictionary(uniqueKeysWithValues: failing.failures.map { ($0.object, $0.field) })
        #expect(fields["argoproj.io/Application argocd/with-plugin"] == "spec.source.plugin")
        #expect(fields["argoproj.io/Application argocd/values-from-git"] == "spec.sources[0].helm.valueFiles")
        #expect(fields["argoproj.io/Application argocd/no-source"] == "spec.source")
        #expect(failing.objects.isEmpty)
    }

    // An AppProject becomes a Project in the controller's namespace; rules Keelson lacks are
    // reported, and a destination Keelson cannot spell is left out (allowing less, not more).
    @Test func appProjectBecomesAProject() throws {
        let manifest = try object("Project", "team-a")
        #expect(manifest.namespace == "keelson")
        let project = try Project(manifest)
        #expect(project.sourceRepos.map(\.description).count == 2 && project.sourceRepos[1].negated)
        #expect(project.destinations.map { "\($0.cluster)/\($0.namespace)" } == ["in-cluster/team-a-*", "in-cluster/team-a", "*/shared"])
        #expect(project.clusterResourceAllowList.map(\.description) == ["core/Namespace"])
        #expect(project.namespaceResourceDenyList.map(\.description) == ["core/ResourceQuota"])
        #expect(project.sourceNamespaces.map(\.description) == ["team-a"])
        let fields = Set(translation.unsupported.filter { $0.object == "argoproj.io/AppProject argocd/team-a" }.map(\.field))
        #expect(fields == ["spec.destinations[2].server", "spec.namespaceResourceWhitelist", "spec.roles", "spec.syncWindows"])
    }

    // Kinds other than Application, AppProject and ApplicationSet are not the translator's.
    @Test func otherKindsAreIgnored() {
        #expect(!translation.objects.contains { $0.name == "argocd-cm" })
        #expect(!translation.unsupported.contains { $0.object.contains("ConfigMap") })
        #expect(
            translation.objects.map(\.kind)
                == ["Project"] + Array(repeating: "Application", count: translation.objects.count - 2) + ["ApplicationSet"])
    }

    // An ApplicationSet keeps its generators and its Argo CD template, which is translated per Application.
    @Test func applicationSetKeepsItsArgoCDTemplate() throws {
        let object = try #require(translation.objects.first { $0.kind == "ApplicationSet" })
        let set = try ApplicationSet(object)
        #expect(set.name == "clusters" && set.namespace == "keelson" && set.templateFormat == .argoCD)
        #expect(object.annotations[TranslatedFrom.annotation] == "argoproj.io/ApplicationSet argocd/clusters")
        let rendered = Manifest(unchecked: [
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": ["name": "dev-app", "namespace": "keelson"], "spec": set.template["spec"] ?? [:],
        ])
        let application = try Application(try ArgoCDTranslation.generatedApplication(rendered, clusters: [:]))
        #expect(application.namespace == "keelson" && application.spec.source.path == "apps" && !application.spec.source.directory.recurse)
    }

    // Argo CD's cluster Secrets give server → name; their config is never read.
    @Test func clusterSecretsMapServersToNames() throws {
        let secrets = try Manifest.decode(
            Array(
                """
                apiVersion: v1
                kind: Secret
                metadata: {name: edge, namespace: argocd, labels: {argocd.argoproj.io/secret-type: cluster}}
                data: {name: ZWRnZQ==, server: aHR0cHM6Ly8xMC4wLjAuNzo2NDQz, config: bm90LWpzb24=}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: other, namespace: argocd}
                stringData: {name: other, server: https://other.example.com}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: bad, namespace: argocd, labels: {argocd.argoproj.io/secret-type: cluster}}
                stringData: {name: Not_A_Name, server: https://bad.example.com}
                """.utf8), file: "secrets.yaml")
        #expect(ArgoCDTranslation.clusters(fromSecrets: secrets) == ["https://10.0.0.7:6443": "edge"])
    }
}
