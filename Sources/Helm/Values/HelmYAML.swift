import GoTemplate
import Yams

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
    /// The tag every plain (unquoted, untagged) scalar carries, so go-yaml's own resolution can run on it.
    static let plainTag = Tag.Name(rawValue: "tag:keelson.dev,2026:plain")
    static let resolver = Resolver.basic.appending(try! Resolver.Rule(plainTag, ".*"))

    /// Decodes the first document of `text` as `yaml.Unmarshal(text, &interface{})` does; an empty
    /// document is `.null`. Errors read as Helm prints them (`error converting YAML to JSON: yaml: line 3: ...`).
    public static func decode(_ text: String) throws(HelmYAMLError) -> Value {
        // go-yaml's Unmarshal reads the first document and never looks further.
        let node: Node?
        do {
            var documents = try Yams.compose_all(yaml: text, resolver, .default, .utf8)
            node = documents.next()
            if let error = documents.error { throw error }
        } catch {
            throw HelmYAMLError(converting: goMessage(error, text))
        }
        guard let node else { return .null }
        let decoded: GoYAMLValue
        do {
            decoded = try GoYAMLValue.decode(node)
        } catch {
            throw HelmYAMLError(converting: "yaml: " + error.message)
        }
        do {
            return try decoded.jsonValue()
        } catch {
            throw HelmYAMLError(converting: error.message)
        }
    }

    /// Decodes `text` into a map as `yaml.Unmarshal(text, &map[string]interface{})` does (`fromYaml`):
    /// a null document gives an empty map, anything else but a mapping fails as Go's JSON decoder does.
    public static func decodeMap(_ text: String) throws(HelmYAMLError) -> [String: Value] {
        switch try decode(text) {
        case .null: return [:]
        case .map(let entries, _): return entries
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
        var documents: [String] = []
        var buffer = ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\n" }
        if text.hasSuffix("\n") || text.isEmpty { lines.removeLast() } else { lines[lines.count - 1].removeLast() }
        for line in lines {
            if line.hasPrefix("---") {
                let rest = line.dropFirst(3).drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
                let trimmed = String(rest.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }.reversed())
                if let first = trimmed.first, first != "#" {
                    throw HelmYAMLError(message: "error reading yaml document: invalid Yaml document separator: \(trimmed)")
                }
                if !buffer.isEmpty { documents.append(buffer) }
                buffer = ""
                continue
            }
            buffer += line
        }
        if !buffer.isEmpty { documents.append(buffer) }
        return documents
    }

    /// Helm's `MergeMaps`: keys of `overlay` replace those of `base`, except that two maps merge recursively.
    public static func mergeMaps(_ base: [String: Value], _ overlay: [String: Value]) -> [String: Value] {
        var out = base
        for (key, value) in overlay {
            if case .map(let inner, _) = value, case .map(let existing, _)? = out[key] {
                out[key] = .map(mergeMaps(existing, inner))
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// The message go-yaml v2 gives for a libyaml error Yams reports (`yaml: line 3: could not find expected ':'`).
    static func goMessage(_ error: any Error, _ text: String) -> String {
        guard let error = error as? YamlError else { return "yaml: \(error)" }
        switch error {
        case .scanner(let context, let problem, let mark, _):
            // go-yaml numbers scanner errors from 1 and parser errors from 0, and drops a zero line.
            let line = mark.line - 1 != 0 ? mark.line : (context.map { $0.mark.line - 1 } ?? 0)
            return "yaml: " + (line != 0 ? "line \(line): " : "") + problem
        case .parser(let context, let problem, let mark, _):
            let line = mark.line - 1 != 0 ? mark.line - 1 : (context.map { $0.mark.line - 1 } ?? 0)
            return "yaml: " + (line != 0 ? "line \(line): " : "") + problem
        case .composer(_, _, let mark, _):
            return "yaml: unknown anchor '\(anchorName(at: mark, in: text))' referenced"
        case .reader(let problem, _, _, _):
            return "yaml: " + problem
        case .duplicatedKeysInMapping(let duplicates, _):
            // go-yaml v2 keeps the last of duplicated keys; Yams refuses them. Say so plainly.
            return "yaml: duplicated mapping key(s) \(duplicates.joined(separator: ", ")) (not supported by Keelson)"
        default:
            return "yaml: \(error)"
        }
    }

    private static func anchorName(at mark: Mark, in text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line - 1 < lines.count else { return "" }
        let scalars = Array(lines[mark.line - 1].unicodeScalars).dropFirst(mark.column - 1)
        guard scalars.first == "*" else { return "" }
        let stops: Set<Unicode.Scalar> = [" ", "\t", ",", "[", "]", "{", "}", "\r"]
        return String(String.UnicodeScalarView(scalars.dropFirst().prefix { !stops.contains($0) }))
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
