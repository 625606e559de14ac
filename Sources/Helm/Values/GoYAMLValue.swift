import GoTemplate
import Manifests

/// A YAML node as go-yaml v2 decodes it into `interface{}`: YAML 1.1 scalar resolution, merge keys
/// applied in document order, keys of any scalar type. `jsonValue()` then gives what
/// sigs.k8s.io/yaml makes of it after its round trip through JSON.
indirect enum GoYAMLValue {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Double)
    case string(String)
    case list([GoYAMLValue])
    /// Keys in first-insertion order; a later assignment replaces the value, as a Go map does.
    case map([(key: GoYAMLValue, value: GoYAMLValue)])

    /// The most nodes one decode may produce, aliases counted at their full size each time: go-yaml
    /// bounds alias expansion too, so a few lines of nested aliases cannot make billions of nodes.
    static let nodeBudget = 1_000_000

    /// A decoding failure: libyaml's, or go-yaml's own (an unknown anchor, a merge of a scalar…).
    enum DecodeError: Error {
        case syntax(YAMLEventParser.Failure)
        case content(String)
    }

    /// Decodes the first document of `text` from libyaml's events as go-yaml v2 does; nil for a
    /// text without a document. A key given twice keeps its last value, as in a Go map.
    static func decodeFirstDocument(_ text: String) throws(DecodeError) -> GoYAMLValue? {
        // Most values files and `toYaml` texts need no libyaml.
        let simple = text.utf8.withContiguousStorageIfAvailable { bytes -> Result<GoYAMLValue?, DecodeError>? in
            guard var events = SimpleYAMLEvents(bytes) else { return nil }
            return Result { () throws(DecodeError) in try decodeFirstDocument(&events) }
        }
        if let simple = simple ?? nil { return try simple.get() }
        var parser = YAMLEventParser(text.utf8)
        return try decodeFirstDocument(&parser)
    }

    private static func decodeFirstDocument(_ parser: inout some YAMLEventSource) throws(DecodeError) -> GoYAMLValue? {
        do {
            while true {
                switch try parser.next() {
                case .streamEnd: return nil
                case .documentStart: return try decodeNode(&parser)
                default: continue
                }
            }
        } catch let failure as YAMLEventParser.Failure {
            throw .syntax(failure)
        } catch let error as DecodeError {
            throw error
        } catch {
            throw .content("\(error)")
        }
    }

    /// A sequence or mapping being read.
    fileprivate struct Collection {
        var anchor: String?
        var items: [GoYAMLValue]?
        var entries: [(key: GoYAMLValue, value: GoYAMLValue)] = []
        var index: [String: Int] = [:]
        /// A mapping's key waiting for its value; `isMerge` for go-yaml's `<<`.
        var key: (value: GoYAMLValue, isMerge: Bool)?
        /// Nodes inside, for the alias budget.
        var size = 1
    }

    /// Reads the node after the current event, up to its document's end.
    private static func decodeNode(_ parser: inout some YAMLEventSource) throws -> GoYAMLValue {
        var stack: [Collection] = []
        var anchors: [String: (value: GoYAMLValue, size: Int)] = [:]
        var produced = 0
        while true {
            let value: GoYAMLValue
            // The nodes `value` holds, and the new ones among them (an alias repeats old ones).
            var size = 1
            var new = 1
            var isMergeKey = false
            switch try parser.next() {
            case .scalar:
                let text = parser.scalarValue
                let tag = parser.tag
                value = try scalarValue(text, tag: tag)
                isMergeKey = tag == nil && text == "<<"
                if let anchor = parser.anchor { anchors[anchor] = (value, 1) }
            case .alias:
                let name = parser.anchor ?? ""
                guard let anchored = anchors[name] else { throw DecodeError.content("unknown anchor '\(name)' referenced") }
                (value, size) = anchored
                new = size
            case .sequenceStart:
                stack.append(Collection(anchor: parser.anchor, items: []))
                continue
            case .mappingStart:
                stack.append(Collection(anchor: parser.anchor))
                continue
            case .sequenceEnd, .mappingEnd:
                let done = stack.removeLast()
                value = done.items.map { .list($0) } ?? .map(done.entries)
                size = done.size
                if let anchor = done.anchor { anchors[anchor] = (value, size) }
            case .documentEnd, .streamEnd, .documentStart, .streamStart:
                return .null
            }
            produced += new
            guard produced <= nodeBudget else {
                throw DecodeError.content("document contains excessive aliasing (more than \(nodeBudget) nodes)")
            }
            guard !stack.isEmpty else { return value }
            stack[stack.count - 1].size += size
            try stack[stack.count - 1].add(value, isMergeKey: isMergeKey)
        }
    }

    /// Whether two keys are one in a Go map: `identity` without making strings for string keys.
    fileprivate func isSameKey(_ other: GoYAMLValue) -> Bool {
        switch (self, other) {
        case (.string(let text), .string(let otherText)): text == otherText
        case (.string, _), (_, .string): false
        default: identity == other.identity
        }
    }

    /// A key's identity in a Go `map[interface{}]interface{}`.
    fileprivate var identity: String {
        switch self {
        case .null: "n"
        case .bool(let flag): "b\(flag)"
        case .int(let number): "i\(number)"
        case .uint(let number): "u\(number)"
        case .float(let number): "f\(number)"
        case .string(let text): "s" + text
        case .list, .map: "x"
        }
    }

    /// A scalar with the tag written on it (nil: a plain scalar without one, resolved as YAML 1.1).
    private static func scalarValue(_ text: String, tag: String?) throws(DecodeError) -> GoYAMLValue {
        let yamlTag = "tag:yaml.org,2002:"
        guard let tag else { return resolvePlain(text) }
        switch tag {
        case yamlTag + "null": return .null
        case yamlTag + "binary":
            guard let bytes = Base64.decode(text) else { throw .content("!!binary value contains invalid base64 data") }
            return .string(String(decoding: bytes, as: UTF8.self))
        case yamlTag + "bool", yamlTag + "int", yamlTag + "float", yamlTag + "timestamp":
            let resolved = resolvePlain(text)
            switch (tag.dropFirst(yamlTag.count), resolved) {
            case ("bool", .bool), ("int", .int), ("int", .uint), ("float", .float), ("timestamp", .string): return resolved
            case ("float", .int(let number)): return .float(Double(number))
            case ("float", .uint(let number)): return .float(Double(number))
            default: throw .content("cannot decode \(resolved.shortTag) `\(text)` as a !!\(tag.dropFirst(yamlTag.count))")
            }
        default:
            return .string(text)
        }
    }

    private var shortTag: String {
        switch self {
        case .null: "!!null"
        case .bool: "!!bool"
        case .int, .uint: "!!int"
        case .float: "!!float"
        case .string: "!!str"
        case .list: "!!seq"
        case .map: "!!map"
        }
    }
}

extension GoYAMLValue.Collection {
    /// Adds a decoded node: an item, a key, or the value of the key before it.
    fileprivate mutating func add(_ value: GoYAMLValue, isMergeKey: Bool) throws(GoYAMLValue.DecodeError) {
        if items != nil {
            items!.append(value)
        } else if let pending = key {
            key = nil
            if pending.isMerge { try merge(value) } else { set(pending.value, value) }
        } else {
            key = (value, isMergeKey)
        }
    }

    /// Mappings up to this size find a key by comparing it with each; a larger one keeps `index`.
    private static let searchedUpTo = 16

    /// A later assignment replaces the value in place, as in a Go map.
    private mutating func set(_ key: GoYAMLValue, _ value: GoYAMLValue) {
        if let position = position(of: key) {
            entries[position].value = value
            return
        }
        entries.append((key, value))
        guard entries.count > Self.searchedUpTo else { return }
        if index.isEmpty {
            for (position, entry) in entries.enumerated() { index[entry.key.identity] = position }
        } else {
            index[key.identity] = entries.count - 1
        }
    }

    private func position(of key: GoYAMLValue) -> Int? {
        guard entries.count <= Self.searchedUpTo else { return index[key.identity] }
        return entries.firstIndex { $0.key.isSameKey(key) }
    }

    /// go-yaml v2's `<<`: a mapping's keys overwrite those set before it; of a sequence of mappings,
    /// earlier ones win.
    private mutating func merge(_ value: GoYAMLValue) throws(GoYAMLValue.DecodeError) {
        switch value {
        case .map(let merged):
            for (key, value) in merged { set(key, value) }
        case .list(let list):
            for item in list.reversed() {
                guard case .map = item else { throw .content("map merge requires map or sequence of maps as the value") }
                try merge(item)
            }
        default:
            throw .content("map merge requires map or sequence of maps as the value")
        }
    }
}
