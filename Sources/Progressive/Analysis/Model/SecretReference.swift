/// Reads a `secretRef`: either a name or `{name}`, in the Rollout's namespace.
enum SecretReference {
    /// The Secret's name at member `key`, or nil.
    static func name(_ reader: SpecReader, _ key: String) throws(AnalysisSpecError) -> String? {
        guard reader.has(key) else { return nil }
        if let name = reader.object[key]?.stringValue, !name.isEmpty { return name }
        let ref = try SpecReader(reader.object[key], path: reader.at(key))
        try ref.refuseUnknown(["name"])
        return try ref.requiredString("name")
    }
}
