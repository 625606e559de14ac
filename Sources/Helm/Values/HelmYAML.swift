import GoTemplate
import Manifests

/// YAML read as Helm reads values files and `fromYaml`: sigs.k8s.io/yaml, which parses with its
/// go-yaml v2 fork (YAML 1.1 scalars: `yes`/`on`/`y` are booleans, `0777` is octal), converts the
/// result to JSON and decodes that JSON into `interface{}`. Every number therefore becomes a
/// `float64`, keys become strings (`true:` is key "true"), timestamps stay strings.
///
/// ```swift
/// let values = try HelmYAML.decode("replicas: 3\nenabled: yes\n")
/// // .map(["replicas": .float(3), "enabled": .bool(true)])
/// ```
public enum HelmYAML {
    /// Decodes the first document of `text` as `yaml.Unmarshal(text, &interface{})` does; an empty
    /// document is `.null`. Errors read as Helm prints them (`error converting YAML to JSON: yaml: line 3: ...`).
    public static func decode(_ text: String) throws(HelmYAMLError) -> Value {
        guard let decoded = try firstDocument(text) else { return .null }
        do {
            return try decoded.jsonValue()
        } catch {
            throw HelmYAMLError(converting: error.message)
        }
    }

    /// The first document of `text` as sigs.k8s.io/yaml's `YAMLToJSON` converts it (go-yaml v2:
    /// YAML 1.1 scalars, a key given twice keeps its last value), keys in document order; nil
    /// when the text holds no document. kustomize reads its kustomization files this way.
    public static func decodeJSON(_ text: String) throws(HelmYAMLError) -> JSONValue? {
        guard let decoded = try firstDocument(text) else { return nil }
        do {
            return try decoded.orderedJSON()
        } catch {
            throw HelmYAMLError(converting: error.message)
        }
    }

    /// The first document as go-yaml decodes it (its Unmarshal never looks further); nil for a
    /// text without one.
    private static func firstDocument(_ text: String) throws(HelmYAMLError) -> GoYAMLValue? {
        do {
            return try GoYAMLValue.decodeFirstDocument(text)
        } catch {
            switch error {
            case .syntax(let failure): throw HelmYAMLError(converting: goMessage(failure))
            case .content(let message): throw HelmYAMLError(converting: "yaml: " + message)
            }
        }
    }

    /// Decodes `text` into a map as `yaml.Unmarshal(text, &map[string]interface{})` does (`fromYaml`):
    /// a null document gives an empty map, anything else but a mapping fails as Go's JSON decoder does.
    public static func decodeMap(_ text: String) throws(HelmYAMLError) -> [String: Value] {
        switch try decode(text) {
        case .null: return [:]
        case .map(let map): return map.entries
        case let other:
            throw HelmYAMLError(unmarshaling: "json: cannot unmarshal \(GoJSON.kindName(other)) into Go value of type map[string]interface {}")
        }
    }

    /// Decodes `text` into a list as `yaml.Unmarshal(text, &[]interface{})` does (`fromYamlArray`).
    public static func decodeList(_ text: String) throws(HelmYAMLError) -> [Value] {
        switch try decode(text) {
        case .null: return []
        case .list(let items, _): return items
        case let other:
            throw HelmYAMLError(unmarshaling: "json: cannot unmarshal \(GoJSON.kindName(other)) into Go value of type []interface {}")
        }
    }

    /// Reads a values file as Helm 4's `loader.LoadValues` does: every `---`-separated document is
    /// decoded into a map and the maps are merged in order, nested maps key by key.
    public static func loadValues(_ text: String) throws(HelmYAMLError) -> [String: Value] {
        var values: [String: Value] = [:]
        for document in try documents(text) {
            do {
                values = mergeMaps(values, try decodeMap(document))
            } catch {
                throw HelmYAMLError(message: "cannot unmarshal yaml document: " + error.message)
            }
        }
        return values
    }

    /// Splits `text` as Kubernetes' `YAMLReader` does: at lines starting with `---` followed by nothing
    /// but blanks or a comment; empty documents are skipped.
    static func documents(_ text: String) throws(HelmYAMLError) -> [String] {
        var text = text
        return try text.withUTF8 { bytes in Result { () throws(HelmYAMLError) in try documents(bytes) } }.get()
    }

    private static func documents(_ bytes: UnsafeBufferPointer<UInt8>) throws(HelmYAMLError) -> [String] {
        var documents: [String] = []
        var start = 0
        var line = 0
        while line < bytes.count {
            var lineEnd = line
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = min(lineEnd + 1, bytes.count)
            if bytes[line...].starts(with: "---".utf8) {
                let rest = String(decoding: UnsafeBufferPointer(rebasing: bytes[line + 3..<lineEnd]), as: UTF8.self)
                let trimmed = rest.trimmingCharacters(in: .whitespacesAndNewlines)
                if let first = trimmed.first, first != "#" {
                    throw HelmYAMLError(message: "error reading yaml document: invalid Yaml document separator: \(trimmed)")
                }
                if start < line { documents.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<line]), as: UTF8.self)) }
                start = next
            }
            line = next
        }
        if start < bytes.count { documents.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)) }
        return documents
    }

    /// Helm's `MergeMaps`: keys of `overlay` replace those of `base`, except that two maps merge recursively.
    public static func mergeMaps(_ base: [String: Value], _ overlay: [String: Value]) -> [String: Value] {
        var out = base
        for (key, value) in overlay {
            if let inner = value.mapEntries, let existing = out[key]?.mapEntries {
                out[key] = .map(mergeMaps(existing, inner))
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// The message go-yaml v2 gives for a libyaml error (`yaml: line 3: could not find expected ':'`):
    /// it numbers scanner errors from 1 and parser errors from 0, falls back to the line of the
    /// construct the problem is in, and drops a zero line.
    static func goMessage(_ failure: YAMLEventParser.Failure) -> String {
        let line: Int
        switch failure.stage {
        case .scanner: line = failure.line != 0 ? failure.line + 1 : failure.contextLine ?? 0
        case .parser: line = failure.line != 0 ? failure.line : failure.contextLine ?? 0
        case .reader, .other: line = 0
        }
        return "yaml: " + (line != 0 ? "line \(line): " : "") + failure.problem
    }
}

/// A values-file or `fromYaml` decoding failure, with Helm's wording.
public struct HelmYAMLError: Error, Sendable, CustomStringConvertible {
    /// The text as Helm prints it after its own prefix (`failed to parse FILE: ` or `Error` in `fromYaml`).
    public var message: String
    /// Creates the error from its full text.
    public init(message: String) { self.message = message }
    init(converting message: String) { self.message = "error converting YAML to JSON: " + message }
    init(unmarshaling message: String) { self.message = "error unmarshaling JSON: while decoding JSON: " + message }
    public var description: String { message }
}
