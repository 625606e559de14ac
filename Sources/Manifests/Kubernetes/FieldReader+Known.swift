extension FieldReader {
    /// An optional object whose keys must all be `known`: a field Keelson does not read is
    /// reported, never dropped, so a setting that would change behaviour is not silently ignored.
    public func object(_ value: JSONValue?, _ field: String, known: Set<String>) throws(ObjectFieldError) -> JSONObject {
        guard let value, !value.isNull else { return [:] }
        guard let object = value.objectValue else { throw error(field, "must be an object") }
        for key in object.keys where !known.contains(key) {
            throw error(field + "." + key, "unknown or unsupported field (known: \(known.sorted().joined(separator: ", ")))")
        }
        return object
    }

    /// A string that must be one of `allowed`, or `nil` when absent.
    public func choice(_ value: JSONValue?, _ field: String, in allowed: [String]) throws(ObjectFieldError) -> String? {
        guard let text = try string(value, field) else { return nil }
        guard allowed.contains(text) else { throw error(field, "\"\(text)\" is not one of \(allowed.joined(separator: ", "))") }
        return text
    }
}
