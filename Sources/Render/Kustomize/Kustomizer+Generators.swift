import Manifests

/// `configMapGenerator` and `secretGenerator`: objects built from literals, files and env
/// files, named with a content hash at the end of the build.
extension Build {
    /// The generator kinds, in the order kustomize runs them.
    static let generators: [(field: String, kind: String)] = [("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")]

    /// Runs the ConfigMap and Secret generators, then inflates the Helm charts; `namespace` is the
    /// release namespace of charts that name none.
    mutating func runGenerators(_ kustomization: Kustomization, into set: inout ResourceSet, namespace: String) throws(RenderError) {
        let global = kustomization.fields["generatorOptions"]
        for (field, kind) in Self.generators {
            for args in try kustomization.objects(field) {
                let generated = try generate(kind, args, global: global, kustomization: kustomization, field: field)
                try set.absorb(generated, field: "\(kustomization.file): \(field)")
            }
        }
        try inflateHelmCharts(kustomization, into: &set, namespace: namespace)
    }

    /// One ConfigMap or Secret from generator arguments; `global` is the kustomization's `generatorOptions`.
    mutating func generate(
        _ kind: String, _ args: JSONObject, global: JSONValue?, kustomization: Kustomization, field: String
    ) throws(RenderError) -> KResource {
        guard let name = args["name"]?.stringValue, !name.isEmpty else {
            throw kustomization.error(field, "a generator needs a name")
        }
        let where_ = "\(field) \(name)"
        let behaviorText = args["behavior"]?.stringValue ?? "create"
        guard let behavior = GeneratorBehavior(rawValue: behaviorText.isEmpty ? "create" : behaviorText) else {
            throw kustomization.error(where_, "unknown behavior '\(behaviorText)'")
        }
        let pairs = try keyValues(args, kustomization: kustomization, field: where_)
        var data: JSONObject = [:]
        var binaryData: JSONObject = [:]
        for (key, bytes) in pairs {
            guard Self.isValidDataKey(key) else {
                throw kustomization.error(where_, "\"\(key)\" is not a valid key name for a \(kind)")
            }
            guard data[key] == nil, binaryData[key] == nil else {
                throw kustomization.error(where_, "\(kind.lowercased()) \(name) illegally repeats the key `\(key)`")
            }
            if kind == "Secret" {
                data[key] = .string(Base64.encodeWrapped(bytes))
            } else if let text = String(validating: bytes, as: UTF8.self) {
                data[key] = .string(text)
            } else {
                binaryData[key] = .string(Base64.encodeWrapped(bytes))
            }
        }
        let local = args["options"]
        func strings(_ value: JSONValue?, _ name: String) throws(RenderError) -> JSONObject {
            var map: JSONObject = [:]
            for (key, item) in value?.objectValue ?? [:] {
                guard case .string = item else {
                    throw kustomization.error(where_, "options.\(name).\(key): expected a string, found \(item.typeName)")
                }
                map[key] = item
            }
            return map
        }
        var labels = try strings(local?["labels"], "labels")
        var annotations = try strings(local?["annotations"], "annotations")
        for (key, value) in try strings(global?["labels"], "labels") where labels[key] == nil { labels[key] = value }
        for (key, value) in try strings(global?["annotations"], "annotations") where annotations[key] == nil { annotations[key] = value }
        func flag(_ name: String) -> Bool { local?[name]?.boolValue == true || global?[name]?.boolValue == true }

        var metadata: JSONObject = ["name": .string(name)]
        if let namespace = args["namespace"]?.stringValue, !namespace.isEmpty { metadata["namespace"] = .string(namespace) }
        if !labels.isEmpty { metadata["labels"] = .object(labels) }
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations) }
        var object: JSONObject = ["apiVersion": "v1", "kind": .string(kind), "metadata": .object(metadata)]
        if !data.isEmpty { object["data"] = .object(data) }
        if !binaryData.isEmpty { object["binaryData"] = .object(binaryData) }
        if kind == "Secret" {
            let type = args["type"]?.stringValue ?? ""
            object["type"] = .string(type.isEmpty ? "Opaque" : type)
        }
        if flag("immutable") { object["immutable"] = true }
        var resource = KResource(object: object, source: "\(kustomization.file): \(where_)")
        resource.needsHash = !flag("disableNameSuffixHash")
        resource.origin = kustomization.origin(generator: kind + "Generator")
        resource.behavior = behavior
        return resource
    }

    /// Key/value pairs from `envs` (and the old `env`), `literals` and `files`, in that order.
    private mutating func keyValues(_ args: JSONObject, kustomization: Kustomization, field: String) throws(RenderError) -> [(String, [UInt8])] {
        var pairs: [(String, [UInt8])] = []
        // Go's JSON decoding refuses a number or boolean where it reads a list of strings.
        func strings(_ key: String) throws(RenderError) -> [String] {
            var result: [String] = []
            for item in args[key]?.arrayValue ?? [] {
                guard let text = Kustomization.scalarString(item) else {
                    throw kustomization.error(field, "\(key): expected a list of strings, found \(item.typeName) in it")
                }
                result.append(text)
            }
            return result
        }
        var envFiles = try strings("envs")
        if let env = args["env"]?.stringValue, !env.isEmpty { envFiles.append(env) }
        for path in envFiles {
            let bytes = try read(path, for: kustomization, field: field)
            pairs += try Self.parseEnvFile(bytes, file: kustomization.path(path))
        }
        for literal in try strings("literals") {
            guard let equals = literal.firstIndex(of: "=") else {
                throw kustomization.error(field, "invalid literal source \(literal), expected key=value")
            }
            let key = String(literal[..<equals])
            var value = String(literal[literal.index(after: equals)...])
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            pairs.append((key, Array(value.utf8)))
        }
        for source in (args["files"]?.arrayValue ?? []).compactMap(\.stringValue) {
            var key = String(source.split(separator: "/").last ?? "")
            var path = source
            if let equals = source.firstIndex(of: "=") {
                key = String(source[..<equals])
                path = String(source[source.index(after: equals)...])
                guard !key.isEmpty, !path.isEmpty else {
                    throw kustomization.error(field, "key or file path is missing in '\(source)'")
                }
            }
            pairs.append((key, try read(path, for: kustomization, field: field)))
        }
        return pairs
    }

    /// An env file: `KEY=value` lines; blank lines and `#` comments skipped; a line without
    /// `=` gives an empty value, as kustomize v5 does.
    static func parseEnvFile(_ bytes: [UInt8], file: String) throws(RenderError) -> [(String, [UInt8])] {
        var text = bytes[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        guard let string = String(validating: text, as: UTF8.self) else {
            throw RenderError(.parse, "\(file): env file is not valid UTF-8")
        }
        var pairs: [(String, [UInt8])] = []
        for (index, rawLine) in string.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine.drop { $0 == " " || $0 == "\t" || $0 == "\r" })
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            let key: Substring
            var value: Substring = ""
            if let equals = line.firstIndex(of: "=") {
                key = line[..<equals]
                value = line[line.index(after: equals)...]
            } else {
                key = line
            }
            guard isEnvVarName(key) else {
                throw RenderError(.parse, "\(file):\(index + 1): invalid environment variable name '\(key)'")
            }
            pairs.append((String(key), Array(value.utf8)))
        }
        return pairs
    }

    static func isEnvVarName(_ key: Substring) -> Bool {
        guard let first = key.first, !first.isNumber else { return false }
        return key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
    }

    static func isValidDataKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 253 && key != "." && key != ".."
            && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    /// Appends the content hash to every generated name that asks for one.
    func addHashes(_ set: inout ResourceSet) throws(RenderError) {
        for index in set.indices where set.resources[index].needsHash {
            var resource = set.resources[index]
            let suffix = ContentHash.suffix(for: resource.object)
            resource.storePreviousId()
            resource.setName("\(resource.name)-\(suffix)")
            set.resources[index] = resource
        }
    }
}

/// Standard base64 with padding.
enum Base64 {
    /// Base64 as kustomize writes Secret and binaryData values: 70-character lines, each ending in a newline,
    /// once the text is 70 characters or longer.
    static func encodeWrapped(_ bytes: [UInt8]) -> String {
        let text = encode(bytes)
        guard text.count >= 70 else { return text }
        var out = ""
        var line = Substring(text)
        while !line.isEmpty {
            out += line.prefix(70) + "\n"
            line = line.dropFirst(70)
        }
        return out
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
