import Foundation
import Kube
import Manifests

/// One layer of an Application's chart values, in the order Helm applies them: value files,
/// inline `values`, `valuesFrom` entries, then `parameters`.
enum ValueLayer: Sendable, Hashable {
    /// YAML text (a values file, inline text, a ConfigMap or Secret key), merged over what came
    /// before; `sensitive` text (from a Secret) never appears in an error.
    case document(text: String, source: String, sensitive: Bool)
    /// The inline `values` object, whose numbers read as Helm reads YAML numbers (float64).
    case object(JSONValue, source: String)
    /// A `valuesFrom` entry with `targetPath`: the whole text, as a string, at that path.
    case text(path: String, value: String, source: String, sensitive: Bool)
    /// A `parameters` entry: `--set name=value`, or `--set-string` with `forceString`.
    case parameter(ApplicationSpec.Parameter)
}

/// Reads the value layers an Application names outside its chart: inline values, `valuesFrom`
/// ConfigMap and Secret keys, and parameters. Value files live beside the chart and are read
/// with it.
enum HelmValueSources {
    static let configMapKind = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    /// The layers after the value files, in order; `valuesFrom` objects are read from `namespace`.
    static func read(_ helm: ApplicationSpec.HelmOptions, client: any KubernetesAPI, namespace: String) async throws -> [ValueLayer] {
        var layers = inline(helm)
        for (index, reference) in helm.valuesFrom.enumerated() {
            let field = "spec.source.helm.valuesFrom[\(index)]"
            let name = "\(reference.kind) \(namespace)/\(reference.name)"
            let object: Manifest
            do {
                object = try await client.get(reference.kind == "Secret" ? secretKind : configMapKind, name: reference.name, namespace: namespace)
            } catch {
                if error.isNotFound, reference.optional { continue }
                throw MissingReference(description: "\(field): \(name) " + (error.isNotFound ? "does not exist" : "cannot be read (\(error.code))"))
            }
            guard let text = Self.text(of: object, key: reference.valuesKey, secret: reference.kind == "Secret") else {
                if reference.optional { continue }
                throw MissingReference(description: "\(field): \(name) has no key \"\(reference.valuesKey)\"")
            }
            let source = "\(name)[\(reference.valuesKey)]"
            let sensitive = reference.kind == "Secret"
            if let path = reference.targetPath {
                layers.append(.text(path: path, value: text, source: source, sensitive: sensitive))
            } else {
                layers.append(.document(text: text, source: source, sensitive: sensitive))
            }
        }
        layers += helm.parameters.map { .parameter($0) }
        return layers
    }

    /// The inline `values` layer, if any: the one that reads nothing from the cluster.
    static func inline(_ helm: ApplicationSpec.HelmOptions) -> [ValueLayer] {
        switch helm.values {
        case .string(let text)?: [.document(text: text, source: "spec.source.helm.values", sensitive: false)]
        case .object?: [.object(helm.values!, source: "spec.source.helm.values")]
        default: []
        }
    }

    /// The text under `key`: a Secret's `data` (base64) or `stringData`, a ConfigMap's `data` or `binaryData`.
    static func text(of object: Manifest, key: String, secret: Bool) -> String? {
        if !secret, let text = object.object["data"]?[key]?.stringValue { return text }
        let encodedField = secret ? "data" : "binaryData"
        if let encoded = object.object[encodedField]?[key]?.stringValue, let data = Data(base64Encoded: encoded) {
            return String(decoding: data, as: UTF8.self)
        }
        return secret ? object.object["stringData"]?[key]?.stringValue : nil
    }
}
