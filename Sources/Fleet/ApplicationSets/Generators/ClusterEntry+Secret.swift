import Foundation
import Manifests

extension ClusterEntry {
    /// Annotation prefixes a clusters generator never offers: `kubectl apply` writes the whole
    /// Secret, credentials included, into `kubectl.kubernetes.io/last-applied-configuration`.
    static let hiddenAnnotationPrefixes = ["kubectl.kubernetes.io/"]
    /// The shortest Secret value looked for in annotations (shorter ones match too much by chance).
    static let shortestSecretValue = 12

    /// Whether the annotation `key` is never a parameter.
    public static func isHiddenAnnotation(_ key: String) -> Bool {
        hiddenAnnotationPrefixes.contains { key.hasPrefix($0) }
    }

    /// The entry of a registered cluster Secret: its labels, and those annotations that are not
    /// hidden and hold none of the Secret's values (its `config` and every string in it, encoded
    /// or not), so an annotation copied from the Secret's data by a tool never reaches a template.
    public init(secret: Manifest, name: String, server: String) {
        let values = Self.secretValues(secret).subtracting([name, server])
        let annotations = secret.annotations.filter { _, annotation in !values.contains { annotation.contains($0) } }
        self.init(name: name, server: server, labels: secret.labels, annotations: annotations)
    }

    /// Every value of the Secret's `data` (encoded and decoded) and `stringData`, and the strings
    /// inside those that are JSON, at least `shortestSecretValue` long.
    static func secretValues(_ secret: Manifest) -> Set<String> {
        var found: Set<String> = []
        func add(_ text: String) {
            guard text.count >= shortestSecretValue, found.insert(text).inserted else { return }
            if let json = try? JSONParser.parse(Array(text.utf8), file: "data") { strings(json) }
        }
        func strings(_ value: JSONValue) {
            if let text = value.stringValue { add(text) }
            for item in value.arrayValue ?? [] { strings(item) }
            for (_, item) in value.objectValue ?? [:] { strings(item) }
        }
        for (_, value) in secret.object["data"]?.objectValue ?? [:] {
            guard let encoded = value.stringValue else { continue }
            add(encoded)
            if let data = Data(base64Encoded: encoded) { add(String(decoding: data, as: UTF8.self)) }
        }
        for (_, value) in secret.object["stringData"]?.objectValue ?? [:] { if let text = value.stringValue { add(text) } }
        return found
    }
}
