import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Controller

/// `spec.source.kustomize`, `spec.source.postBuild`, `spec.revisionHistoryLimit` and `spec.info`:
/// the options Argo CD and Flux objects translate into.
@Suite struct ApplicationRenderOptionsTests {
    static let app = """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: web}
        spec:
          source:
            repoURL: https://git.example.com/apps.git
            path: apps/web
            kustomize:
              namePrefix: prod-
              namespace: shop
              commonLabels: {team: a}
              labels: {env: prod}
              commonAnnotations: {owner: team-a}
              images: ["nginx=registry.example.com/nginx:1.27", {name: redis, newTag: "7.4"}]
              patches: [{patch: "- {op: remove, path: /spec/replicas}", target: {kind: Deployment, name: web}}]
              replicas: [{name: web, count: 3}, {name: worker, count: "2"}]
            postBuild:
              substitute: {CLUSTER: prod}
              substituteFrom: [{kind: ConfigMap, name: cluster-vars}, {kind: Secret, name: secret-vars, optional: true}]
          revisionHistoryLimit: 3
          info: [{name: Owner, value: team-a}]
        """

    func parse(_ yaml: String) throws -> Application {
        try Application(try #require(try Manifest.decode(Array(yaml.utf8), file: "app.yaml").first))
    }

    @Test func readsEveryOption() throws {
        let app = try parse(Self.app)
        let kustomize = try #require(app.spec.source.kustomize)
        #expect(kustomize.namePrefix == "prod-" && kustomize.namespace == "shop")
        #expect(kustomize.labels == ["env": "prod"] && kustomize.commonLabels == ["team": "a"])
        #expect(
            kustomize.images == [.init(name: "nginx", newName: "registry.example.com/nginx", newTag: "1.27"), .init(name: "redis", newTag: "7.4")])
        #expect(kustomize.replicas.map(\.count) == [3, 2])
        // Metadata-only labels become a kustomize `labels` entry without selectors.
        let overlay = try kustomize.overlay
        #expect(overlay.fields["labels"] == [["pairs": ["env": "prod"]]])
        let postBuild = try #require(app.spec.source.postBuild)
        #expect(postBuild.substitute == ["CLUSTER": "prod"])
        #expect(postBuild.substituteFrom.map(\.name) == ["cluster-vars", "secret-vars"] && postBuild.substituteFrom[1].optional)
        #expect(app.spec.revisionHistoryLimit == 3)
        #expect(app.spec.info == [.init(name: "Owner", value: "team-a")])
    }

    @Test func defaults() throws {
        let app = try parse("apiVersion: keelson.dev/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  source: {repoURL: file:///r}\n")
        #expect(app.spec.source.kustomize == nil && app.spec.source.postBuild == nil)
        #expect(app.spec.revisionHistoryLimit == 10 && app.spec.info.isEmpty)
    }

    @Test(arguments: [
        // Argo CD's image strings, read as `kustomize edit set image` reads them.
        ("nginx:1.27", ApplicationSpec.Image(name: "nginx", newTag: "1.27")),
        ("nginx=registry.example.com/nginx:1.27", .init(name: "nginx", newName: "registry.example.com/nginx", newTag: "1.27")),
        ("nginx@sha256:abc", .init(name: "nginx", digest: "sha256:abc")),
        ("nginx=mirror/nginx", .init(name: "nginx", newName: "mirror/nginx")),
        ("nginx=mirror/nginx@sha256:abc", .init(name: "nginx", newName: "mirror/nginx", digest: "sha256:abc")),
        // A registry's port is not a tag.
        ("localhost:5000/web:2", .init(name: "localhost:5000/web", newTag: "2")),
        ("web=localhost:5000/web", .init(name: "web", newName: "localhost:5000/web")),
    ])
    func argoImageStrings(_ text: String, _ expected: ApplicationSpec.Image) {
        #expect(ApplicationSpec.Image(argo: text) == expected)
    }

    @Test(arguments: [
        ("revisionHistoryLimit: 3", "revisionHistoryLimit: 101", "spec.revisionHistoryLimit"),
        ("info: [{name: Owner, value: team-a}]", "info: [{value: team-a}]", "spec.info[0].name"),
        ("namePrefix: prod-", "namePrefix: prod-\n      components: [x]", "spec.source.kustomize.components"),
        ("namespace: shop", "namespace: Shop_1", "spec.source.kustomize.namespace"),
        ("\"nginx=registry.example.com/nginx:1.27\"", "nginx", "spec.source.kustomize.images[0]"),
        ("{name: web, count: 3}", "{name: web, count: -1}", "spec.source.kustomize.replicas[0].count"),
        ("{patch: \"- {op: remove, path: /spec/replicas}\",", "{path: p.yaml,", "spec.source.kustomize.patches[0].path"),
        ("commonLabels: {team: a}", "commonLabels: {team: 1}", "spec.source.kustomize.commonLabels.team"),
        ("substitute: {CLUSTER: prod}", "substitute: {cluster-name: prod}", "spec.source.postBuild.substitute.cluster-name"),
        ("{kind: ConfigMap, name: cluster-vars}", "{kind: Pod, name: cluster-vars}", "spec.source.postBuild.substituteFrom[0].kind"),
        ("path: apps/web", "chart: web", "spec.source.kustomize"),
    ])
    func invalidFieldsAreNamed(_ from: String, _ to: String, _ field: String) throws {
        let yaml = Self.app.replacingOccurrences(of: from, with: to)
        #expect(yaml != Self.app)
        #expect {
            try parse(yaml)
        } throws: { error in
            (error as? ApplicationError)?.field == field
        }
    }

    static let tree: [String: String] = [
        "apps/web/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, annotations: {cluster: "${CLUSTER}"}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "nginx:1.25"}]}
        """,
        "apps/web/script.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: script, annotations: {kustomize.toolkit.fluxcd.io/substitute: disabled}}
        data: {run.sh: "echo ${HOME}"}
        """,
    ]

    func render(_ app: String) async throws -> [Manifest] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (path, text) in Self.tree { try directory.write(path, text) }
        return try await OfflineRenderer().render(try parse(app), directory: directory.path)
    }

    // `keelson plan`'s render (the controller's code path without a cluster) honours both options:
    // the kustomize overlay first, then the substitution over its output.
    @Test func offlineRenderAppliesKustomizeThenSubstitution() async throws {
        let app = Self.app.replacingOccurrences(
            of: "      substituteFrom: [{kind: ConfigMap, name: cluster-vars}, {kind: Secret, name: secret-vars, optional: true}]\n", with: "")
        #expect(app != Self.app)
        let objects = try await render(app.replacingOccurrences(of: ", {name: worker, count: \"2\"}", with: ""))
        let deployment = try #require(objects.first { $0.kind == "Deployment" })
        #expect(deployment.name == "prod-web" && deployment.namespace == "shop")
        #expect(deployment.value[path: ["metadata", "annotations", "cluster"]] == "prod")
        // kustomize runs `patches` before `replicas`: the patch removed the field, replicas set it again.
        #expect(deployment.value[path: ["spec", "replicas"]] == 3)
        #expect(deployment.value[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"] == "registry.example.com/nginx:1.27")
        let script = try #require(objects.first { $0.kind == "ConfigMap" })
        #expect(script.value[path: ["data", "run.sh"]] == "echo ${HOME}")
    }

    // Without a cluster, `substituteFrom` cannot be read: the render fails naming the field.
    @Test func offlineRenderRefusesSubstituteFrom() async throws {
        await #expect {
            try await render(Self.app)
        } throws: { error in
            (error as? ApplicationError)?.field == "spec.source.postBuild.substituteFrom"
        }
    }

    // History keeps the Application's revisionHistoryLimit; 0 keeps the newest entry (what is deployed).
    @Test(arguments: [(3, 3), (10, 10), (0, 1), (100, 25)])
    func historyKeepsTheApplicationsLimit(_ limit: Int, _ kept: Int) {
        var history = History()
        for index in 1...25 {
            history.record(
                revision: "r\(index)", at: Date(timeIntervalSince1970: Double(index)), initiator: .automated, result: "Succeeded", digest: "",
                message: "", limit: limit)
        }
        #expect(history.entries.count == kept)
        #expect(history.entries.last?.id == 25 && history.nextID == 26)
        // A stored history longer than the default survives a restart.
        #expect(History(history.entries).entries.count == kept)
    }
}
