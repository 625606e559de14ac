import Manifests

extension Drift {
    /// The field managers whose `managedFields` entries own one of `fields` (JSON pointers as
    /// `differences` names them), sorted: who last wrote a drifted field.
    public static func managers(of fields: [String], in live: Manifest) -> [String] {
        var managers: Set<String> = []
        for entry in live.metadata["managedFields"]?.arrayValue ?? [] {
            guard let manager = entry["manager"]?.stringValue, let owned = entry["fieldsV1"].map(pointers) else { continue }
            if fields.contains(where: { field in owned.contains { field == $0 || field.hasPrefix($0 + "/") } }) { managers.insert(manager) }
        }
        return managers.sorted()
    }

    /// The JSON pointers of the leaves of a `fieldsV1` set: `f:spec` becomes `/spec`; a keyed
    /// list item (`k:{…}`) or value (`v:…`) ends the pointer at its list, which is then owned whole.
    static func pointers(_ fields: JSONValue) -> [String] {
        var out: [String] = []
        func walk(_ value: JSONValue, _ path: String) {
            guard case .object(let object) = value else { return out.append(path) }
            var leaf = true
            for (key, child) in object where key.hasPrefix("f:") {
                leaf = false
                walk(child, path + "/" + escape(String(key.dropFirst(2))))
            }
            if leaf { out.append(path) }
        }
        walk(fields, "")
        return out
    }
}
