import Foundation
import GoTemplate
import Helm
import Manifests

/// The user values of a chart render, merged in Helm's order with Helm's own reader: every
/// document layer as a `-f` file in order (value files, inline `values`, `valuesFrom`), then the
/// `parameters` as `--set` and `--set-string` (the chart's defaults go under them when the
/// renderer coalesces). A layer from a Secret that fails to read is named, never quoted.
enum HelmValueAssembly {
    /// A layer that could not be read.
    struct Invalid: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// The merged values of `layers`.
    static func merge(_ layers: [ValueLayer]) throws(Invalid) -> [String: Value] {
        var documents: [(name: String, text: String)] = []
        var options = HelmValueOptions()
        for layer in layers {
            switch layer {
            case .document(let text, let source, let sensitive):
                if sensitive {
                    // Helm's parse errors may quote the text: a Secret's is checked on its own and reported by name only.
                    do { _ = try HelmYAML.loadValues(text) } catch { throw Invalid(description: "\(source): not valid YAML values") }
                }
                documents.append((source, text))
            case .object(let json, let source):
                documents.append((source, JSONWriter.compact(json)))
            case .text(let path, let value, let source, _):
                documents.append((source, JSONWriter.compact(nested(path: path, value: .string(value)))))
            case .parameter(let parameter):
                let line = parameter.name + "=" + parameter.value
                if parameter.forceString { options.setString.append(line) } else { options.set.append(line) }
            }
        }
        // Layers are named by position, so two layers from the same source stay distinct.
        options.files = documents.indices.map { "\($0)" }
        let texts = documents.map(\.text)
        do {
            return try options.merged { name in texts[Int(name)!] }
        } catch {
            let source = Int(error.source).map { documents[$0].name } ?? "spec.source.helm.parameters"
            throw Invalid(description: "\(source): \(error.message.replacingOccurrences(of: "failed to parse \(error.source): ", with: ""))")
        }
    }

    /// `{"a": {"b": value}}` for the dotted path `a.b` (`\.` escapes a dot).
    static func nested(path: String, value: JSONValue) -> JSONValue {
        var keys: [String] = [""]
        var escaped = false
        for character in path {
            switch (escaped, character) {
            case (true, _):
                keys[keys.count - 1].append(character)
                escaped = false
            case (false, "\\"): escaped = true
            case (false, "."): keys.append("")
            default: keys[keys.count - 1].append(character)
            }
        }
        return keys.reversed().reduce(value) { inner, key in .object([key: inner]) }
    }
}
