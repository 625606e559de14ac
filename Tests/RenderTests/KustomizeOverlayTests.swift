import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Render

/// `KustomizeOverlay` laid over a path renders what kustomize v5.8.1 renders for an overlay
/// `kustomization.yaml` with `resources: [<path>]` (or the plain files) and the same fields.
@Suite struct KustomizeOverlayTests {
    /// Every option an Application can set, in kustomization form.
    static let overlayYAML = """
        namePrefix: prod-
        nameSuffix: -v2
        namespace: shop
        commonLabels: {team: a}
        labels: [{pairs: {env: prod}}]
        commonAnnotations: {owner: team-a}
        images:
        - {name: nginx, newName: registry.example.com/nginx, newTag: "1.27"}
        - {name: redis, newTag: "7.4"}
        - {name: busybox, digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
        patches:
        - target: {kind: Deployment, name: web}
          patch: |
            - {op: add, path: /spec/template/spec/containers/0/args, value: ["--fast"]}
        - patch: |
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {type: NodePort}
        replicas: [{name: web, count: 3}]
        """

    static let base: [String: String] = [
        "deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx:1.25
                envFrom: [{configMapRef: {name: settings}}]
              - {name: cache, image: redis:7.0}
              initContainers: [{name: init, image: busybox}]
        """,
        "service.yaml": """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        """,
        "rbac.yaml": """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: web}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: ServiceAccount, name: default, namespace: default}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader}
        rules: []
        """,
    ]

    func overlay() throws -> KustomizeOverlay {
        let value = try #require(try YAMLDecoder().decode(Self.overlayYAML, file: "overlay").first?.value.objectValue)
        return try KustomizeOverlay(value, name: "spec.source.kustomize")
    }

    /// kustomize's objects for `directory`, read as Keelson reads them.
    func kustomize(_ directory: String) async throws -> [JSONObject] {
        let result = try await ProcessRunner.run(
            try KustomizeReference.kubectl(), ["kustomize", "--load-restrictor", "LoadRestrictionsNone", directory])
        try #require(result.status == 0, "kustomize failed: \(result.errorOutput.suffix(400))")
        return try Manifest.objects(from: YAMLDecoder().decode(result.stdout, file: "kustomize-output")).map(\.object)
    }

    /// Keelson's render of `app` with the overlay, after checking it equals kustomize's build of `overlay`.
    func renderBoth(_ tree: TemporaryDirectory) async throws -> [Manifest] {
        let theirs = try await kustomize(tree.path + "/overlay")
        var renderer = DirectoryRenderer()
        renderer.overlay = try overlay()
        let ours = try renderer.render(try SecureRoot(directory: tree.path), path: "app").manifests
        expectSame(ours, theirs)
        return ours
    }

    func expectSame(_ ours: [Manifest], _ theirs: [JSONObject]) {
        #expect(ours.count == theirs.count, "\(ours.count) objects, kustomize \(theirs.count)")
        for (index, (a, b)) in zip(ours.map(\.object), theirs).enumerated() where a != b {
            Issue.record(
                "object \(index) differs\n--- keelson\n\(YAMLEncoder.encode(.object(a)))--- kustomize\n\(YAMLEncoder.encode(.object(b)))")
        }
    }

    // A kustomization path: the overlay's transformers run after the base's, and generated
    // names are hashed after them (the generator's hash covers the overlay's labels).
    @Test func overKustomizationMatchesKustomize() async throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        for (name, text) in Self.base { try tree.write("app/" + name, text) }
        try tree.write(
            "app/kustomization.yaml",
            """
            resources: [deployment.yaml, service.yaml, rbac.yaml]
            namePrefix: base-
            configMapGenerator: [{name: settings, literals: [mode=fast]}]
            """)
        try tree.write("overlay/kustomization.yaml", "resources: [../app]\n" + Self.overlayYAML)
        let ours = try await renderBoth(tree)
        // The overlay did something: the generated ConfigMap carries both prefixes and a hash, and is referenced so.
        let deployment = try #require(ours.first { $0.kind == "Deployment" })
        #expect(deployment.name == "prod-base-web-v2" && deployment.namespace == "shop")
        let configMap = try #require(ours.first { $0.kind == "ConfigMap" })
        #expect(configMap.name.hasPrefix("prod-base-settings-v2-"))
    }

    // Plain files: as if an overlay listed each file in `resources`.
    @Test func overPlainFilesMatchesKustomize() async throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        for (name, text) in Self.base { try tree.write("app/" + name, text) }
        try tree.write(
            "app/settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n")
        let files = (Self.base.keys.sorted() + ["settings.yaml"]).map { "../app/" + $0 }
        try tree.write("overlay/kustomization.yaml", "resources: [\(files.joined(separator: ", "))]\n" + Self.overlayYAML)
        let ours = try await renderBoth(tree)
        let deployment = try #require(ours.first { $0.kind == "Deployment" })
        #expect(deployment.value[path: ["spec", "replicas"]] == 3)
    }

    // An overlay reads no files: fields that would (resources, generators) and patch files are refused.
    @Test(arguments: [
        (["resources": ["x.yaml"]] as JSONObject, "resources: not allowed in an overlay"),
        (["patches": [["path": "p.yaml"]]] as JSONObject, "patches[0].path: an overlay's patch must be inline"),
        (["namePrefix": 3] as JSONObject, "namePrefix: expected a string"),
    ])
    func refusesFieldsThatReadFiles(_ fields: JSONObject, _ message: String) {
        #expect(throws: RenderError.self) { try KustomizeOverlay(fields, name: "spec.source.kustomize") }
        do {
            _ = try KustomizeOverlay(fields, name: "spec.source.kustomize")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
