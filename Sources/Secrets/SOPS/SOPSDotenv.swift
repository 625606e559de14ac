import Manifests

/// sops' dotenv layout: `KEY=value` lines with `\n` escapes, `#` comments, and the metadata
/// flattened into sorted `sops_…` keys (`sops_age__list_0__map_enc=…`).
enum SOPSDotenv {
    static let prefix = "sops_"
    private static let mapSeparator = "__map_"
    private static let listSeparator = "__list_"
    /// The highest list index a flattened metadata key may name, so a key cannot demand a huge array.
    private static let maxListIndex = 1_024

    static func load(_ bytes: [UInt8]) throws(SOPSError) -> SOPSLoadedFile {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SOPSError(.syntax, "the dotenv file is not valid UTF-8")
        }
        var items: [SOPSItem] = []
        var metadata = JSONValue.object([:])
        var hasMetadata = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            if line.hasPrefix("#") {
                items.append(.comment(String(line.dropFirst())))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                // The line may be a secret, so only its number is named.
                throw SOPSError(.syntax, "line \(index + 1) is not KEY=value")
            }
            let key = String(line[..<equals])
            let value = line[line.index(after: equals)...].replacingOccurrences(of: "\\n", with: "\n")
            if key.hasPrefix(prefix) {
                try insert(.string(value), at: tokens(String(key.dropFirst(prefix.count))), into: &metadata)
                hasMetadata = true
            } else {
                items.append(.pair(key, .leaf(.string(value))))
            }
        }
        return SOPSLoadedFile(branches: [.mapping(items)], metadata: hasMetadata ? Optional(metadata) : Optional.none)
    }

    static func emit(_ branch: SOPSNode?, metadata: SOPSMetadata?) -> [UInt8] {
        var out = ""
        if case .mapping(let items)? = branch {
            for item in items {
                switch item {
                case .comment(let text):
                    out += "#\(text)\n"
                case .pair(let key, let node):
                    let text: String
                    switch node {
                    case .leaf(let scalar): text = scalar.dotenvText
                    case .null: text = ""
                    case .mapping, .sequence: text = ""  // the loader never produces these
                    }
                    out += "\(key)=\(text.replacingOccurrences(of: "\n", with: "\\n"))\n"
                }
            }
        }
        if let metadata {
            var flat: [(String, String)] = []
            flatten(metadata.jsonValue, name: "", into: &flat)
            // Byte order, as Go's sort.Strings.
            flat.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            for (key, value) in flat {
                out += "\(prefix)\(key)=\(value.replacingOccurrences(of: "\n", with: "\\n"))\n"
            }
        }
        return Array(out.utf8)
    }

    private static func flatten(_ value: JSONValue, name: String, into flat: inout [(String, String)]) {
        switch value {
        case .object(let object):
            for (key, child) in object { flatten(child, name: name.isEmpty ? key : name + mapSeparator + key, into: &flat) }
        case .array(let items):
            for (index, child) in items.enumerated() { flatten(child, name: name + listSeparator + String(index), into: &flat) }
        case .string(let s): flat.append((name, s))
        case .bool(let b): flat.append((name, b ? "true" : "false"))
        case .number(let n): flat.append((name, n.description))
        case .null: break
        }
    }

    private enum Token {
        case key(String)
        case index(Int)
    }

    /// Splits `age__list_0__map_enc` into `age`, `0`, `enc`, as sops' `tokenize` does.
    private static func tokens(_ name: String) throws(SOPSError) -> [Token] {
        var tokens: [Token] = []
        var isIndex = false
        var current = ""
        func finish() throws(SOPSError) {
            guard isIndex else { return tokens.append(.key(current)) }
            guard let index = Int(current), (0...maxListIndex).contains(index) else {
                throw SOPSError(.metadata, "sops_\(name) has a list index that is not a number up to \(maxListIndex)")
            }
            tokens.append(.index(index))
        }
        var rest = Substring(name)
        while let first = rest.first {
            if rest.hasPrefix(mapSeparator) || rest.hasPrefix(listSeparator) {
                try finish()
                isIndex = rest.hasPrefix(listSeparator)
                rest = rest.dropFirst(isIndex ? listSeparator.count : mapSeparator.count)
                current = ""
            } else {
                current.append(first)
                rest = rest.dropFirst()
            }
        }
        try finish()
        return tokens
    }

    /// Sets `leaf` at the token path inside `value`, creating mappings and lists on the way.
    private static func insert(_ leaf: JSONValue, at tokens: ArraySlice<Token>, into value: inout JSONValue) throws(SOPSError) {
        guard let first = tokens.first else {
            value = leaf
            return
        }
        switch (first, value) {
        case (.key(let key), .object(var object)):
            var child = object[key] ?? .null
            try insert(leaf, at: tokens.dropFirst(), into: &child)
            object[key] = child
            value = .object(object)
        case (.key, .null):
            value = .object([:])
            try insert(leaf, at: tokens, into: &value)
        case (.index(let index), .array(var items)):
            while items.count <= index { items.append(.null) }
            try insert(leaf, at: tokens.dropFirst(), into: &items[index])
            value = .array(items)
        case (.index, .null):
            value = .array([])
            try insert(leaf, at: tokens, into: &value)
        default:
            throw SOPSError(.metadata, "the sops_ keys disagree on whether a value is a list, a mapping or text")
        }
    }

    private static func insert(_ leaf: JSONValue, at tokens: [Token], into value: inout JSONValue) throws(SOPSError) {
        try insert(leaf, at: tokens[...], into: &value)
    }
}
