import GoTemplate

/// The serialization functions of Helm 4's template function map: Helm's own `toYaml`,
/// `mustToYaml`, `toYamlPretty`, `fromYaml`, `fromYamlArray`, `toJson`, `mustToJson`, `fromJson`,
/// `fromJsonArray`, `toToml`, `mustToToml`, and Sprig's `toPrettyJson`, `toRawJson`, `mustFromJson` and their `must` forms.
///
/// The lenient forms behave as Helm's do on failure: `toYaml`/`toJson` print nothing, `fromYaml`
/// and `fromJson` return a map holding only an `Error` key, the array forms a one-item list.
public enum HelmSerialization {
    /// The functions by template name.
    public static let functions: [String: GoFunction] = [
        "toYaml": GoFunction([.any]) { arguments, _ in .string((try? yaml(arguments[0])) ?? "") },
        "mustToYaml": GoFunction([.any]) { arguments, _ in .string(try yaml(arguments[0])) },
        "toYamlPretty": GoFunction([.any]) { arguments, _ in .string((try? HelmYAML.encodePretty(arguments[0])).map(trimNewline) ?? "") },
        "fromYaml": GoFunction([.string]) { arguments, _ in
            do throws(HelmYAMLError) { return .map(try HelmYAML.decodeMap(text(arguments[0]))) } catch {
                return .map(["Error": .string(error.message)])
            }
        },
        "fromYamlArray": GoFunction([.string]) { arguments, _ in
            do throws(HelmYAMLError) { return .list(try HelmYAML.decodeList(text(arguments[0]))) } catch { return .list([.string(error.message)]) }
        },
        "toJson": GoFunction([.any]) { arguments, _ in .string((try? GoJSON.encode(arguments[0])) ?? "") },
        "mustToJson": GoFunction([.any]) { arguments, _ in .string(try GoJSON.encode(arguments[0])) },
        "toPrettyJson": GoFunction([.any]) { arguments, _ in .string((try? GoJSON.encode(arguments[0], indent: "  ")) ?? "") },
        "mustToPrettyJson": GoFunction([.any]) { arguments, _ in .string(try GoJSON.encode(arguments[0], indent: "  ")) },
        "toRawJson": GoFunction([.any]) { arguments, _ in .string((try? GoJSON.encode(arguments[0], escapeHTML: false)) ?? "") },
        "mustToRawJson": GoFunction([.any]) { arguments, _ in .string(try GoJSON.encode(arguments[0], escapeHTML: false)) },
        "fromJson": GoFunction([.string]) { arguments, _ in
            do throws(GoFunctionError) { return try jsonMap(text(arguments[0])) } catch { return .map(["Error": .string(error.message)]) }
        },
        "fromJsonArray": GoFunction([.string]) { arguments, _ in
            do throws(GoFunctionError) { return try jsonList(text(arguments[0])) } catch { return .list([.string(error.message)]) }
        },
        "mustFromJson": GoFunction([.string]) { arguments, _ in try GoJSON.decode(text(arguments[0])) },
        // Helm's toToml prints the encoder's error in place of the document.
        "toToml": GoFunction([.any]) { arguments, _ in
            do throws(GoFunctionError) { return .string(try GoTOML.encode(arguments[0])) } catch { return .string(error.message) }
        },
        "mustToToml": GoFunction([.any]) { arguments, _ in .string(try GoTOML.encode(arguments[0])) },
        // Helm's fromToml puts the decoder's error under an "Error" key.
        "fromToml": GoFunction([.string]) { arguments, _ in
            do throws(GoFunctionError) { return .map(try TOMLDecoder.decode(text(arguments[0]))) } catch {
                return .map(["Error": .string(error.message)])
            }
        },
    ]

    /// `sigs.k8s.io/yaml.Marshal` with Helm's final newline trimmed.
    static func yaml(_ value: Value) throws(GoFunctionError) -> String {
        do {
            return trimNewline(try HelmYAML.encode(value))
        } catch {
            throw GoFunctionError("error marshaling into JSON: " + error.message)
        }
    }

    /// `strings.TrimSuffix(text, "\n")`: on the bytes, so that a `\r` before the newline stays.
    static func trimNewline(_ text: String) -> String {
        text.utf8.last == UInt8(ascii: "\n") ? String(decoding: text.utf8.dropLast(), as: UTF8.self) : text
    }

    static func text(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return value.formatted
    }

    /// `json.Unmarshal` into a `map[string]interface{}`: null leaves a nil map, printed `null`.
    static func jsonMap(_ text: String) throws(GoFunctionError) -> Value {
        switch try GoJSON.decode(text) {
        case .null: return .null
        case .map(let map): return .map(map.entries)
        case let other: throw GoFunctionError("json: cannot unmarshal \(GoJSON.kindName(other)) into Go value of type map[string]interface {}")
        }
    }

    /// `json.Unmarshal` into a `[]interface{}`: null leaves a nil slice, printed `null`.
    static func jsonList(_ text: String) throws(GoFunctionError) -> Value {
        switch try GoJSON.decode(text) {
        case .null: return .null
        case .list(let items, _): return .list(items)
        case let other: throw GoFunctionError("json: cannot unmarshal \(GoJSON.kindName(other)) into Go value of type []interface {}")
        }
    }
}
