import Manifests

/// Secret values that are JSON objects: `property` lookups and `extract`, the way ESO's
/// providers read them. Parse errors are never passed on: their text could quote the value.
public enum SecretJSON {
    /// The largest value parsed as JSON.
    public static let maximumBytes = 1024 * 1024

    /// The value at `property` of the JSON in `bytes`: a top-level key of that exact name first,
    /// else a dotted path through objects (and array indexes). `nil` when absent or not JSON.
    public static func property(_ property: String, in bytes: [UInt8]) -> [UInt8]? {
        guard let root = parse(bytes) else { return nil }
        if let direct = root.objectValue?[property] { return self.bytes(of: direct) }
        var current = root
        for part in property.split(separator: ".", omittingEmptySubsequences: false) {
            if let object = current.objectValue, let next = object[String(part)] {
                current = next
            } else if let array = current.arrayValue, let index = Int(part), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return self.bytes(of: current)
    }

    /// The fields of the JSON object in `bytes`, or `nil` when it is not one.
    public static func fields(_ bytes: [UInt8]) -> [String: [UInt8]]? {
        guard let object = parse(bytes)?.objectValue else { return nil }
        var out: [String: [UInt8]] = [:]
        for (key, value) in object { out[key] = self.bytes(of: value) }
        return out
    }

    /// A string's text, anything else as compact JSON.
    public static func bytes(of value: JSONValue) -> [UInt8] {
        if case .string(let text) = value { return Array(text.utf8) }
        return Array(JSONWriter.compact(value).utf8)
    }

    /// `fields` as a JSON object of strings, the shape the kubernetes provider gives a whole Secret.
    public static func object(_ fields: [String: [UInt8]]) -> [UInt8] {
        var object = JSONObject()
        for key in fields.keys.sorted() { object[key] = .string(String(decoding: fields[key] ?? [], as: UTF8.self)) }
        return Array(JSONWriter.compact(.object(object)).utf8)
    }

    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard bytes.count <= maximumBytes else { return nil }
        return try? JSONParser.parse(bytes, file: "secret")
    }
}
