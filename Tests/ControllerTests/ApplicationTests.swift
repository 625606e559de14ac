import KeelsonFoundation
import KeelsonTesting
import Manifests
import Testing

@testable import Controller

@Suite struct ApplicationTests {
    static let full = """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: guestbook}
        spec:
          source:
            repoURL: https://git.example.com/apps.git
            revision: ">=1.2.0 <2.0.0"
            path: apps/guestbook
            directory: {recurse: false, include: ["*.yaml"]}
            decryption: {provider: sops, secretRef: {name: age-keys}}
          destination: {namespace: web}
          syncPolicy:
            automated: {prune: true, selfHeal: true}
            interval: 1h30m
            retry: {limit: 3, backoff: {duration: 10s, factor: 3, maxDuration: 5m}}
            syncOptions: [CreateNamespace=true]
          dependsOn: [{name: database}]
          ignoreDifferences:
          - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
          suspend: false
        """

    func parse(_ yaml: String) throws -> Application {
        try Application(try #require(try Manifest.decode(Array(yaml.utf8), file: "app.yaml").first))
    }

    @Test func readsEveryField() throws {
        let app = try parse(Self.full)
        #expect(app.id == "keelson/guestbook")
        #expect(app.spec.source.revision == ">=1.2.0 <2.0.0")
        #expect(app.spec.source.directory.recurse == false)
        #expect(app.spec.source.decryption?.secretRef == "age-keys")
        #expect(app.spec.destination.namespace == "web")
        #expect(app.spec.syncPolicy.automated == .init(prune: true, selfHeal: true, allowEmpty: false))
        #expect(app.spec.syncPolicy.interval == .seconds(5400))
        #expect(app.spec.syncPolicy.retry == .init(limit: 3, backoff: .seconds(10), factor: 3, maxBackoff: .seconds(300)))
        // A dependsOn entry without a namespace names an Application in this one.
        #expect(app.spec.dependsOn == ["keelson/database"])
        #expect(app.spec.ignoreDifferences.first?.matches(ResourceKey(group: "apps", kind: "Deployment", namespace: "web", name: "x")) == true)
    }

    @Test func defaults() throws {
        let app = try parse(
            "apiVersion: keelson.dev/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: team}\nspec:\n  source: {repoURL: file:///r}\n")
        #expect(app.id == "team/a")
        #expect(app.spec.source.revision == "main")
        #expect(app.spec.source.path == ".")
        #expect(app.spec.syncPolicy.interval == .seconds(180))
        #expect(app.spec.syncPolicy.automated == nil)
        #expect(app.spec.destination.namespace == "default")
    }

    static let chart = """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: ingress}
        spec:
          source:
            repoURL: https://charts.example.com
            chart: ingress
            revision: 4.x
            helm:
              releaseName: edge
              valueFiles: [values-prod.yaml]
              values: {replicaCount: 2}
              valuesFrom: [{kind: Secret, name: tokens, valuesKey: extra.yaml, optional: true}]
              parameters: [{name: image.tag, value: "1.0", forceString: true}]
              kubeVersion: "1.31"
              apiVersions: [monitoring.coreos.com/v1]
              crds: CreateOnly
              lookup: true
              postRenderer: {patches: [{patch: "[]", target: {kind: Deployment}}]}
        """

    @Test func readsHelmSources() throws {
        let app = try parse(Self.chart)
        #expect(app.spec.source.chartRepository == .http)
        #expect(app.spec.source.revision == "4.x")
        let helm = try #require(app.spec.source.helm)
        #expect(helm.releaseName == "edge")
        #expect(helm.valueFiles == ["values-prod.yaml"])
        #expect(helm.values == ["replicaCount": 2])
        #expect(helm.valuesFrom == [.init(kind: "Secret", name: "tokens", valuesKey: "extra.yaml", optional: true)])
        #expect(helm.parameters == [.init(name: "image.tag", value: "1.0", forceString: true)])
        #expect(helm.crds == .createOnly && helm.lookup && !helm.lookupSecrets)
        #expect(helm.postRendererPatches.count == 1)
        // An OCI source names its chart in the URL; a chart source without a revision takes the newest.
        let oci = try parse(
            Self.chart.replacingOccurrences(
                of: "https://charts.example.com\n    chart: ingress\n    revision: 4.x", with: "oci://r.example.com/charts/ingress"))
        #expect(oci.spec.source.chartRepository == .oci && oci.spec.source.revision == "*")
        #expect(try parse(Self.full).spec.source.chartRepository == nil)
    }

    @Test(arguments: [
        ("crds: CreateOnly", "crds: Sometimes", "spec.source.helm.crds"),
        ("releaseName: edge", "releaseName: Edge_1", "spec.source.helm.releaseName"),
        ("valueFiles: [values-prod.yaml]", "valueFiles: [../secrets.yaml]", "spec.source.helm.valueFiles"),
        ("kind: Secret, name: tokens", "kind: Pod, name: tokens", "spec.source.helm.valuesFrom[0].kind"),
        ("chart: ingress", "chart: a/b", "spec.source.chart"),
        ("lookup: true", "lookup: true\n      lookUp: true", "spec.source.helm.lookUp"),
    ])
    func invalidHelmFieldsAreNamed(_ from: String, _ to: String, _ field: String) throws {
        let yaml = Self.chart.replacingOccurrences(of: from, with: to)
        #expect(yaml != Self.chart)
        #expect {
            try parse(yaml)
        } throws: { error in
            (error as? ApplicationError)?.field == field
        }
    }

    @Test(arguments: [
        ("interval: 1h30m", "interval: soon", "spec.syncPolicy.interval"),
        ("path: apps/guestbook", "path: ../../etc", "spec.source.path"),
        ("path: apps/guestbook", "path: /etc", "spec.source.path"),
        ("suspend: false", "suspend: false\n  suspended: true", "spec.suspended"),
        ("selfHeal: true}", "selfHeal: yes}", "spec.syncPolicy.automated.selfHeal"),
        ("limit: 3", "limit: -1", "spec.syncPolicy.retry.limit"),
        ("provider: sops", "provider: vault", "spec.source.decryption.provider"),
        ("jsonPointers: [/spec/replicas]", "jsonPointers: [spec.replicas]", "spec.ignoreDifferences[0].jsonPointers"),
        ("repoURL: https://git.example.com/apps.git", "repoURL: \"\"", "spec.source.repoURL"),
        ("metadata: {name: guestbook}", "metadata: {name: Guest_Book}", "metadata.name"),
    ])
    func invalidFieldsAreNamed(_ from: String, _ to: String, _ field: String) throws {
        let yaml = Self.full.replacingOccurrences(of: from, with: to)
        #expect(yaml != Self.full)
        #expect {
            try parse(yaml)
        } throws: { error in
            (error as? ApplicationError)?.field == field
        }
    }

    @Test(arguments: [("90s", 90.0), ("3m", 180), ("1h30m", 5400), ("500ms", 0.5), ("1.5h", 5400), ("0", 0)])
    func goDurations(_ text: String, _ seconds: Double) throws {
        let duration = try #require(GoDuration.parse(text))
        #expect(abs(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 - seconds) < 0.001)
    }

    @Test(arguments: ["", "5", "m", "1x", "1h-", "--1s"])
    func notDurations(_ text: String) {
        #expect(GoDuration.parse(text) == nil)
    }
}

@Suite struct ApplicationCRDTests {
    /// The CRD the controller installs is the one `deploy/crds/application.yaml` ships.
    @Test func installedCRDMatchesTheShippedFile() throws {
        let shipped = try String(contentsOfFile: KeelsonTesting.Fixtures.packageRoot() + "/deploy/crds/application.yaml", encoding: .utf8)
        #expect(ApplicationCRD.yaml == shipped)
        let project = try String(contentsOfFile: KeelsonTesting.Fixtures.packageRoot() + "/deploy/crds/project.yaml", encoding: .utf8)
        #expect(ProjectCRD.yaml == project)
        let crd = try #require(try Manifest.decode(Array(shipped.utf8), file: "application.yaml").first)
        #expect(crd.value[path: ["spec", "names", "kind"]] == "Application")
        #expect(crd.value[path: ["spec", "group"]] == "keelson.dev")
    }
}
