import Foundation

/// Writes the Kustomize trees `KustomizeBenchmark` renders.
enum KustomizeTree {
    static func write(_ root: String, _ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    /// `layered/base` (the render benchmark's objects in files of 10, a generator, labels, a patch) under three overlays, each
    /// adding a prefix or suffix, patches and a generator. Returns the top overlay.
    static func layered(_ root: String, objects: Int) throws -> String {
        var files: [String] = []
        for file in 0..<(objects / 10) {
            let documents = (0..<10).map { RenderBenchmark.document(file * 10 + $0, namespaced: false) }
            let name = "objects-\(file).yaml"
            try write(root, "layered/base/" + name, documents.joined(separator: "---\n"))
            files.append(name)
        }
        try write(
            root, "layered/base/kustomization.yaml",
            """
            resources:
            \(files.map { "- " + $0 }.joined(separator: "\n"))
            labels:
            - pairs: {app.kubernetes.io/part-of: bench}
            configMapGenerator:
            - name: shared
              literals: [LEVEL=base, REGION=eu-west-1]
            patches:
            \(configPatch(["shared"]))

            """)
        try write(
            root, "layered/l1/kustomization.yaml",
            """
            resources: [../base]
            namePrefix: l1-
            commonLabels: {level: one}
            images:
            - {name: registry.example.com/app, newTag: "2.0.0"}
            configMapGenerator:
            - name: shared
              behavior: merge
              literals: [LEVEL=one]
            patches:
            \(deploymentPatch(container: ["env:", "- {name: LEVEL, value: one}", "resources: {limits: {memory: 128Mi}}"]))

            """)
        try write(
            root, "layered/l2/kustomization.yaml",
            """
            resources: [../l1]
            nameSuffix: -l2
            namespace: bench
            secretGenerator:
            - name: credentials
              literals: [user=admin, password=secret]
            patches:
            - target: {kind: Deployment}
              patch: |-
                - {op: replace, path: /spec/replicas, value: 3}
                - {op: add, path: /metadata/annotations, value: {level: two}}

            """)
        try write(
            root, "layered/l3/kustomization.yaml",
            """
            resources: [../l2]
            namePrefix: l3-
            commonAnnotations: {owner: platform}
            replicas:
            - {name: app-0, count: 5}
            configMapGenerator:
            - name: top
              literals: [LEVEL=three]
            patches:
            - target: {kind: Service}
              patch: |-
                apiVersion: v1
                kind: Service
                metadata: {name: any}
                spec:
                  ports:
                  - {port: 80, name: http, appProtocol: http}

            """)
        return "layered/l3"
    }

    /// A patch making every Deployment read the generated ConfigMaps `names` (so their hashed
    /// names are rewritten in each Deployment).
    static func configPatch(_ names: [String]) -> String {
        deploymentPatch(
            container: ["envFrom:"] + names.map { "- configMapRef: {name: \($0)}" },
            podSpec: ["volumes:", "- name: settings", "  configMap: {name: \(names[0])}"])
    }

    /// A strategic merge patch for every Deployment: `container` lines go into the container
    /// `main`, `podSpec` lines into the pod spec.
    static func deploymentPatch(container: [String], podSpec: [String] = []) -> String {
        func indent(_ lines: [String], _ spaces: Int) -> String {
            lines.map { String(repeating: " ", count: spaces) + $0 }.joined(separator: "\n")
        }
        return """
            - target: {kind: Deployment}
              patch: |-
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: any}
                spec:
                  template:
                    spec:
                      containers:
                      - name: main
            \(indent(container, 8))
            \(indent(podSpec, 6))
            """
    }

    /// `apps/app-N/{base,overlay}`: a Deployment, a Service and two generated ConfigMaps, with a
    /// prefix, namespace, image override and patch in the overlay. Returns the overlays.
    static func smallApps(_ root: String, count: Int) throws -> [String] {
        var entries: [String] = []
        for n in 0..<count {
            let app = "apps/app-\(n)"
            try write(
                root, app + "/base/app.yaml",
                RenderBenchmark.document(0, namespaced: false)
                    + "---\n" + RenderBenchmark.document(1, namespaced: false))
            try write(
                root, app + "/base/kustomization.yaml",
                """
                resources: [app.yaml]
                configMapGenerator:
                - name: shared
                  literals: [APP=app-\(n)]
                - name: settings
                  literals: [MODE=fast]
                patches:
                \(configPatch(["shared", "settings"]))

                """)
            try write(
                root, app + "/overlay/kustomization.yaml",
                """
                resources: [../base]
                namePrefix: team-\(n % 10)-
                namespace: app-\(n)
                labels:
                - pairs: {app.kubernetes.io/instance: app-\(n)}
                  includeSelectors: true
                images:
                - {name: registry.example.com/app, newName: mirror.example.com/app, newTag: "\(n).0"}
                patches:
                - patch: |-
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: app-0}
                    spec:
                      replicas: 2

                """)
            entries.append(app + "/overlay")
        }
        return entries
    }
}
