/// Small manifests the tests feed to kubectl on stdin.
enum Fixtures {
    /// A ConfigMap in YAML.
    static func configMap(_ name: String, data: [String: String], labels: [String: String] = [:]) -> String {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\n"
        if !labels.isEmpty { text += "  labels:\n" + labels.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"\n" }.joined() }
        if !data.isEmpty { text += "data:\n" + data.sorted { $0.key < $1.key }.map { "  \($0.key): \"\($0.value)\"\n" }.joined() }
        return text
    }

    /// A Namespace in YAML.
    static func namespace(_ name: String) -> String { "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(name)\n" }

    /// A Deployment in YAML with one container; its selector and pod labels are `labels` (`app: NAME` by default).
    static func deployment(
        _ name: String, replicas: Int = 2, image: String = "nginx:1.25", annotations: [String: String] = [:], labels: [String: String]? = nil
    ) -> String {
        let podAnnotations = annotations.isEmpty ? "" : "      annotations:\n" + annotations.map { "        \($0.key): \"\($0.value)\"\n" }.joined()
        let podLabels = flow(labels ?? ["app": name])
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(name)
            spec:
              replicas: \(replicas)
              selector:
                matchLabels: \(podLabels)
              template:
                metadata:
                  labels: \(podLabels)
            \(podAnnotations)    spec:
                  containers:
                  - name: main
                    image: \(image)
                    ports:
                    - containerPort: 80

            """
    }

    /// A namespaced CRD `widgets.example.com` (kind Widget, short name `wd`) with a status subresource.
    static let widgetCRD = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            subresources: {status: {}}

        """

    /// A Widget custom resource.
    static func widget(_ name: String, size: Int) -> String {
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: \(name)\nspec:\n  size: \(size)\n"
    }

    /// A map as a YAML flow mapping with quoted values, keys sorted.
    static func flow(_ map: [String: String]) -> String {
        "{" + map.sorted { $0.key < $1.key }.map { "\($0.key): \"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}
