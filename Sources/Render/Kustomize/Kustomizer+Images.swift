import Manifests

/// `images` (name, tag and digest overrides in every container list) and `replicas`.
extension Build {
    func applyImages(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        for entry in try kustomization.objects("images") + kustomization.objects("imageTags") {
            var fields: [String: String] = [:]
            for key in ["name", "newName", "newTag", "digest"] {
                guard let value = entry[key] else { continue }
                guard let text = value.stringValue else {
                    throw kustomization.error("images", "\(key): expected a string, found \(value.typeName)")
                }
                fields[key] = text
            }
            guard let name = fields["name"], !name.isEmpty else { continue }
            guard let matcher = ImagePattern(name) else { throw kustomization.error("images", "invalid image name '\(name)'") }
            let update = ImageUpdate(
                matcher: matcher, newName: fields["newName"] ?? "", newTag: fields["newTag"] ?? "", digest: fields["digest"] ?? "")
            let specs = set.config.images
            for index in set.indices {
                update.walk(&set.resources[index].object)
                for spec in specs {
                    try FieldPath.visit(&set.resources[index].object, spec.segments[...], create: false, leaf: .string) {
                        image throws(RenderError) in
                        if let text = image.stringValue { image = .string(update.apply(text)) }
                    }
                }
            }
        }
    }

    func applyReplicas(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        for entry in try kustomization.objects("replicas") {
            let name = entry["name"]?.stringValue ?? ""
            guard let count = entry["count"]?.intValue else {
                throw kustomization.error("replicas", "\(name): count must be an integer")
            }
            var found = false
            let specs = set.config.replicas
            for index in set.indices {
                // Identities are read once per object, not once per spec.
                let ids = [set.resources[index].currentId] + set.resources[index].previousIds
                for spec in specs where ids.contains(where: { $0.name == name && spec.selects($0) }) {
                    found = true
                    try FieldPath.visit(&set.resources[index].object, spec.segments[...], create: spec.create, leaf: .string) {
                        field throws(RenderError) in field = .number(JSONNumber(count))
                    }
                }
            }
            if !found {
                throw kustomization.error("replicas", "resource with name \(name) does not match a config with the following GVK", code: .transform)
            }
        }
    }
}

/// One `images` entry applied to image references.
struct ImageUpdate {
    let matcher: ImagePattern
    let newName: String
    let newTag: String
    let digest: String

    /// Updates `image` fields of every `containers` and `initContainers` list, at any depth, in
    /// place; an object without an image to change is left alone, not even rewritten.
    func walk(_ object: inout JSONObject) {
        guard changes(.object(object)) else { return }
        for index in object.entries.values.indices {
            let key = object.entries.keys[index]
            if key == "containers" || key == "initContainers", case .array = object.entries.values[index] {
                object.entries.values[index].withArray { items in
                    for i in items.indices {
                        guard let image = items[i]["image"]?.stringValue else { continue }
                        let updated = apply(image)
                        if updated != image { items[i]["image"] = .string(updated) }
                    }
                }
            } else {
                walk(&object.entries.values[index])
            }
        }
    }

    /// Whether `value` has an image this entry matches (that `walk` may change).
    private func changes(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object):
            object.entries.contains { key, child in
                if key == "containers" || key == "initContainers", case .array(let items) = child {
                    return items.contains { item in item["image"]?.stringValue.map(matcher.matches) ?? false }
                }
                return changes(child)
            }
        case .array(let items): items.contains { changes($0) }
        default: false
        }
    }

    private func walk(_ value: inout JSONValue) {
        switch value {
        case .object: value.withObject { walk(&$0) }
        case .array: value.withArray { items in for i in items.indices { walk(&items[i]) } }
        default: break
        }
    }

    func apply(_ image: String) -> String {
        guard matcher.matches(image) else { return image }
        var (name, tag, digest) = Self.split(image)
        if !newName.isEmpty { name = newName }
        if !newTag.isEmpty && !self.digest.isEmpty {
            tag = newTag
            digest = self.digest
        } else if !newTag.isEmpty {
            tag = newTag
            digest = ""
        } else if !self.digest.isEmpty {
            tag = ""
            digest = self.digest
        }
        if !tag.isEmpty { name += ":" + tag }
        if !digest.isEmpty { name += "@" + digest }
        return name
    }

    /// Name, tag and digest of an image reference; a registry port is not a tag.
    static func split(_ image: String) -> (String, String, String) {
        let chars = Array(image)
        let start = chars.firstIndex(of: "/").map { $0 > 0 ? $0 : 0 } ?? 0
        let search = chars[start...]
        let at = search.firstIndex(of: "@")
        let colon = search.firstIndex(of: ":")
        if let at, colon == nil || at < colon! {
            return (String(chars[..<at]), "", String(chars[(at + 1)...]))
        }
        guard let colon else { return (image, "", "") }
        if let at {
            return (String(chars[..<colon]), String(chars[(colon + 1)..<at]), String(chars[(at + 1)...]))
        }
        return (String(chars[..<colon]), String(chars[(colon + 1)...]), "")
    }
}
