import OrderedCollections
import Yams

/// Turns a composed YAML node tree into a `JSONValue`, counting every node and every byte of
/// key and scalar text it produces, so an alias bomb fails once a budget is spent instead of
/// exhausting memory. Yams shares an aliased node rather than copying it, so counting here,
/// before each value is built, counts an alias at its expanded size before it is materialised.
struct NodeConverter {
    let file: String
    private(set) var remaining: Int
    private let budget: Int
    /// The most bytes one document may expand to.
    let documentLimit: Int
    /// The bytes the current document has expanded to so far.
    private var documentBytes = 0
    /// The bytes every document of the stream (or the render) may expand to together.
    var bytes: ExpansionBudget

    init(file: String, budget: Int, documentLimit: Int, bytes: ExpansionBudget) {
        self.file = file
        self.budget = budget
        self.remaining = budget
        self.documentLimit = documentLimit
        self.bytes = bytes
    }

    /// Converts one document's root, with a fresh per-document byte count.
    mutating func convertDocument(_ root: Node) throws(ManifestError) -> JSONValue {
        documentBytes = 0
        return try convert(root, site: root.mark)
    }

    /// Converts `node`; `site` is where in the text it is used, which for a node reached
    /// through an alias is the alias's surroundings, not the anchor.
    private mutating func convert(_ node: Node, site: Mark?) throws(ManifestError) -> JSONValue {
        let site = Self.site(of: node, within: site)
        remaining -= 1
        if remaining < 0 {
            throw error(.aliasExpansion, "document expands to more than \(budget) nodes through aliases", at: site)
        }
        switch node {
        case .scalar(let scalar):
            try charge(scalar.string, at: site)
            return try convertScalar(scalar, at: node)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item, site: site)) }
            return .array(items)
        case .mapping(let mapping):
            return .object(try convertMapping(mapping, at: site))
        case .alias:
            // Yams resolves aliases while composing; an unresolved one is malformed input.
            throw error(.syntax, "unresolved alias", at: node)
        }
    }

    /// Where a node is used: its own position, unless that lies before its surroundings (an
    /// anchor defined earlier and reached through an alias), in which case the surroundings.
    private static func site(of node: Node, within site: Mark?) -> Mark? {
        guard let own = node.mark else { return site }
        guard let site else { return own }
        return (own.line, own.column) < (site.line, site.column) ? site : own
    }

    /// Counts `text` against the document's and the stream's byte limits.
    private mutating func charge(_ text: String, at site: Mark?) throws(ManifestError) {
        let count = text.utf8.count
        documentBytes += count
        if documentBytes > documentLimit {
            throw error(
                .aliasExpansion,
                "document expands to \(ExpansionBudget.describe(documentLimit, "the document limit (YAMLDecoder.maximumDocumentBytes)"))",
                at: site)
        }
        guard bytes.spend(count) else {
            throw error(.tooLarge, "documents expand to \(bytes.exceeded)", at: site)
        }
    }

    private mutating func convertMapping(_ mapping: Node.Mapping, at site: Mark?) throws(ManifestError) -> JSONObject {
        var entries = OrderedDictionary<String, JSONValue>()
        var explicitKeys = Set<String>()
        var merges: [(position: Int, sources: [Node], site: Mark?)] = []
        for (key, value) in mapping {
            if Self.isMergeKey(key) {
                merges.append((entries.count, try mergeSources(value), Self.site(of: key, within: site)))
                continue
            }
            let name = try keyName(key)
            let keySite = Self.site(of: key, within: site)
            try charge(name, at: keySite)
            explicitKeys.insert(name)
            entries[name] = try convert(value, site: keySite)
        }
        // Merged keys never override explicit ones; among merged maps the first wins.
        for merge in merges.reversed() {
            var merged = OrderedDictionary<String, JSONValue>()
            for source in merge.sources {
                guard case .mapping(let sourceMapping) = source else { continue }
                for (name, value) in try convertMapping(sourceMapping, at: merge.site).entries
                where !explicitKeys.contains(name) && merged[name] == nil {
                    merged[name] = value
                }
            }
            for (name, _) in merged where entries[name] != nil { merged[name] = nil }
            var position = merge.position
            for (name, value) in merged {
                entries.updateValue(value, forKey: name, insertingAt: position)
                position += 1
            }
        }
        return JSONObject(entries)
    }

    private static func isMergeKey(_ key: Node) -> Bool {
        guard case .scalar(let scalar) = key, scalar.string == "<<" else { return false }
        let tag = scalar.tag.rawValue
        return tag == "tag:yaml.org,2002:merge" || (scalar.style == .plain && Self.tag(of: scalar) == .implicit)
    }

    private func mergeSources(_ value: Node) throws(ManifestError) -> [Node] {
        switch value {
        case .mapping: return [value]
        case .sequence(let sequence):
            for item in sequence {
                guard case .mapping = item else {
                    throw error(.syntax, "map merge requires map or sequence of maps as the value", at: item)
                }
            }
            return Array(sequence)
        default:
            throw error(.syntax, "map merge requires map or sequence of maps as the value", at: value)
        }
    }

    private func keyName(_ key: Node) throws(ManifestError) -> String {
        guard case .scalar(let scalar) = key else {
            throw error(.unrepresentable, "mapping key is a collection; only string keys are allowed", at: key)
        }
        let tag = Self.tag(of: scalar)
        if tag == .string || tag == .other { return scalar.string }
        if case .success(.string(let name)) = ScalarResolver.resolve(scalar.string, tag: tag),
            ScalarResolver.readsAsPlainString(scalar.string)
        {
            return name
        }
        throw error(.unrepresentable, "mapping key \(scalar.string) is not a string; quote it", at: key)
    }

    private func convertScalar(_ scalar: Node.Scalar, at node: Node) throws(ManifestError) -> JSONValue {
        let tag = Self.tag(of: scalar)
        switch ScalarResolver.resolve(scalar.string, tag: tag) {
        case .success(let value):
            return value
        case .failure(.nonFinite):
            throw error(.unrepresentable, "an infinite or NaN float cannot be represented in JSON", at: node)
        case .failure(.mismatch(let found)):
            throw error(.badTag, "cannot decode \(found) as \(scalar.tag.rawValue)", at: node)
        }
    }

    /// Yams resolves the tags of mapping keys in place while checking for duplicates; this
    /// resolver marks every plain scalar it touches as "untagged" so resolution stays ours.
    static let plainMarker = Tag.Name(rawValue: "tag:keelson.dev,2026:plain")
    nonisolated(unsafe) static let resolver: Resolver = try! Resolver.basic.appending(plainMarker, "^")

    /// The tag that decides how a scalar reads: quoted and block scalars are strings, `!`
    /// on a plain scalar means "resolve as usual" (go-yaml v3 reads it that way).
    static func tag(of scalar: Node.Scalar) -> ScalarResolver.Tag {
        let raw = scalar.tag.rawValue
        if raw.isEmpty || raw == "!" || raw == "?" || raw == plainMarker.rawValue {
            return scalar.style == .plain || scalar.style == .any ? .implicit : .string
        }
        switch raw {
        case "tag:yaml.org,2002:str": return .string
        case "tag:yaml.org,2002:int": return .int
        case "tag:yaml.org,2002:float": return .float
        case "tag:yaml.org,2002:bool": return .bool
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:timestamp": return .timestamp
        case "tag:yaml.org,2002:binary": return .binary
        default: return .other
        }
    }

    private func error(_ code: ManifestError.Code, _ message: String, at node: Node) -> ManifestError {
        error(code, message, at: node.mark)
    }

    private func error(_ code: ManifestError.Code, _ message: String, at mark: Mark?) -> ManifestError {
        ManifestError(code, message, at: SourceLocation(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0))
    }
}
