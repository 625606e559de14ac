import Manifests

/// What Helm reads of each rendered document before it sorts and classifies it (`releaseutil`'s
/// `SimpleHead`): the kind, the name and the annotations.
struct ObjectHead: Equatable {
    var kind = ""
    var name = ""
    var annotations: [String: String] = [:]

    /// Reads the head of a document from libyaml's events, without building the document: a key
    /// given twice counts with its last value, as go-yaml v2 decodes it into a Go map; a value that
    /// is not a string counts as absent. Nil when the document needs a full decoder to be read
    /// (an alias, a tag, a merge key or a key that is a collection); a syntax error throws.
    static func scan(_ text: String) throws(YAMLEventParser.Failure) -> ObjectHead? {
        // Most documents need no libyaml.
        let simple = text.utf8.withContiguousStorageIfAvailable { bytes -> ObjectHead?? in
            guard var events = SimpleYAMLEvents(bytes) else { return .none }
            return .some(try? scan(&events))
        }
        if let simple = simple ?? nil { return simple }
        var parser = YAMLEventParser(text.utf8)
        return try scan(&parser)
    }

    private static func scan(_ parser: inout some YAMLEventSource) throws(YAMLEventParser.Failure) -> ObjectHead? {
        var head = ObjectHead()
        var frames: [Frame] = []
        var documents = 0
        while true {
            let kind = try parser.next()
            if kind == .alias || parser.hasExplicitTag { return nil }
            switch kind {
            case .streamEnd: return head
            case .documentStart: documents += 1
            case .scalar, .mappingStart, .sequenceStart:
                guard let top = frames.last, top.isMapping, top.key == nil else {
                    // A value: of the document, of a sequence item, or of a mapping's key.
                    let role = frames.isEmpty ? (documents == 1 ? Role.root : .other) : frames[frames.count - 1].key ?? .other
                    if !frames.isEmpty { frames[frames.count - 1].key = nil }
                    if kind == .scalar {
                        // Only the values the head keeps are read: most scalars of a document are not.
                        if role.keepsScalar {
                            head.set(role, to: parser.isPlainScalar ? Self.plainString(parser.scalarValue) : parser.scalarValue)
                        } else {
                            head.clear(role)
                        }
                    } else {
                        head.clear(role)
                        frames.append(Frame(isMapping: kind == .mappingStart, role: kind == .mappingStart ? role : .other))
                    }
                    continue
                }
                // A key.
                guard kind == .scalar, !(parser.isPlainScalar && parser.scalarIs("<<")) else { return nil }
                frames[frames.count - 1].key = top.role.child(parser)
            case .mappingEnd, .sequenceEnd: frames.removeLast()
            case .streamStart, .documentEnd, .alias: break
            }
        }
    }

    /// A plain scalar as go-yaml v2 reads it, if that is a string.
    private static func plainString(_ text: String) -> String? {
        if case .string(let string) = GoYAMLValue.resolvePlain(text) { return string }
        return nil
    }

    /// Where a value sits, as far as the head is concerned.
    fileprivate enum Role: Equatable {
        case root, kind, metadata, name, annotations, annotation(String), other

        /// Whether a scalar in this role is kept (a scalar elsewhere only clears what the key held).
        var keepsScalar: Bool {
            switch self {
            case .kind, .name, .annotation: true
            case .root, .metadata, .annotations, .other: false
            }
        }

        /// The role of the value of `key` (the parser's current scalar) in a mapping of this role.
        func child(_ key: some YAMLEventSource) -> Role {
            switch self {
            case .root where key.scalarIs("kind"): .kind
            case .root where key.scalarIs("metadata"): .metadata
            case .metadata where key.scalarIs("name"): .name
            case .metadata where key.scalarIs("annotations"): .annotations
            case .annotations: .annotation(key.scalarValue)
            default: .other
            }
        }
    }

    private struct Frame {
        var isMapping: Bool
        var role: Role
        /// In a mapping, the role of the value whose key was just read.
        var key: Role?
    }

    /// A collection replaces what the key held before.
    private mutating func clear(_ role: Role) {
        switch role {
        case .kind: kind = ""
        case .name: name = ""
        case .metadata: (name, annotations) = ("", [:])
        case .annotations: annotations = [:]
        case .annotation(let key): annotations[key] = nil
        case .root, .other: break
        }
    }

    /// A scalar replaces what the key held before; nil: not a string.
    private mutating func set(_ role: Role, to value: String?) {
        clear(role)
        switch role {
        case .kind: kind = value ?? ""
        case .name: name = value ?? ""
        case .annotation(let key): annotations[key] = value
        case .root, .metadata, .annotations, .other: break
        }
    }
}
