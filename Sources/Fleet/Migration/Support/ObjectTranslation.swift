import Manifests

/// The translation of one input object: its name in reports, the fields it reported, and typed
/// reads that fail naming the field.
struct ObjectTranslation {
    /// `<group>/<Kind> <namespace>/<name>`.
    let object: String
    /// The input object.
    let manifest: Manifest
    /// Fields not carried over.
    var unsupported: [Unsupported] = []

    init(_ manifest: Manifest) {
        self.manifest = manifest
        object = TranslatedFrom.name(of: manifest)
    }

    /// Records that `field` was not carried over.
    mutating func report(_ field: String, _ reason: String) {
        unsupported.append(Unsupported(object: object, field: field, reason: reason))
    }

    /// A failure of the whole object at `field`.
    func failure(_ field: String, _ message: String) -> TranslationFailure {
        TranslationFailure(object: object, field: field, message: message)
    }

    /// Reports every field of `fields` that nothing took.
    mutating func reportLeftovers(_ fields: Fields, _ reason: String = "not known to Keelson's translator; left out") {
        for key in fields.leftovers { report(fields.path(key), reason) }
    }

    func string(_ value: JSONValue?, _ field: String) throws(TranslationFailure) -> String? {
        switch value {
        case nil, .null: return nil
        case .string(let text): return text
        // Flux and Argo CD accept numbers where a version or count is meant.
        case .number(let number): return number.description
        default: throw failure(field, "must be a string")
        }
    }

    func bool(_ value: JSONValue?, _ field: String) throws(TranslationFailure) -> Bool? {
        switch value {
        case nil, .null: return nil
        case .bool(let flag): return flag
        case .string(let text) where Bool(text.lowercased()) != nil: return Bool(text.lowercased())
        default: throw failure(field, "must be true or false")
        }
    }

    func int(_ value: JSONValue?, _ field: String) throws(TranslationFailure) -> Int? {
        switch value {
        case nil, .null: return nil
        case .number(let number):
            guard let whole = number.int64Value else { throw failure(field, "must be a whole number") }
            return Int(whole)
        case .string(let text):
            guard let whole = Int(text) else { throw failure(field, "must be a whole number") }
            return whole
        default: throw failure(field, "must be a whole number")
        }
    }

    func fields(_ value: JSONValue?, _ path: String) throws(TranslationFailure) -> Fields {
        switch value {
        case nil, .null: return Fields(path: path, object: [:])
        case .object(let object): return Fields(path: path, object: object)
        default: throw failure(path, "must be an object")
        }
    }

    func array(_ value: JSONValue?, _ field: String) throws(TranslationFailure) -> [JSONValue] {
        switch value {
        case nil, .null: return []
        case .array(let items): return items
        default: throw failure(field, "must be a list")
        }
    }

    func strings(_ value: JSONValue?, _ field: String) throws(TranslationFailure) -> [String] {
        var result: [String] = []
        for (index, item) in try array(value, field).enumerated() {
            guard let text = try string(item, "\(field)[\(index)]") else { continue }
            result.append(text)
        }
        return result
    }

    func stringMap(_ value: JSONValue?, _ field: String) throws(TranslationFailure) -> JSONObject {
        let map = try fields(value, field).object
        for (key, item) in map where item.stringValue == nil {
            throw failure("\(field).\(key)", "must be a string")
        }
        return map
    }
}

/// The fields of one object of the input, remembering which were read, so that every field
/// nothing read is reported rather than silently dropped.
struct Fields {
    /// The object's path, e.g. `spec.source`.
    let path: String
    /// The object.
    let object: JSONObject
    private var taken: Set<String> = []

    init(path: String, object: JSONObject) {
        self.path = path
        self.object = object
    }

    /// The value at `key`, marked as read.
    mutating func take(_ key: String) -> JSONValue? {
        taken.insert(key)
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    /// Whether `key` is present (not marking it read).
    func has(_ key: String) -> Bool { object[key].map { !$0.isNull } ?? false }

    /// The path of `key`.
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The keys present that nothing read, leaving out those set to a zero value (`false`, `""`,
    /// `[]`, `{}`), which an API server's defaulting writes and which ask for nothing.
    var leftovers: [String] {
        object.keys.filter { key in
            guard !taken.contains(key), let value = object[key] else { return false }
            switch value {
            case .null, .bool(false): return false
            case .string(let text): return !text.isEmpty
            case .array(let items): return !items.isEmpty
            case .object(let fields): return !fields.isEmpty
            default: return true
            }
        }
    }
}
