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
            let matcher: Regex<AnyRegexOutput>
            do { matcher = try Regex("^" + name + "(@sha256)?(:[a-zA-Z0-9_.{}-]*)?$") } catch {
                throw kustomization.error("images", "invalid image name '\(name)'")
            }
            let update = ImageUpdate(
                matcher: matcher, newName: fields["newName"] ?? "", newTag: fields["newTag"] ?? "", digest: fields["digest"] ?? "")
            for index in set.indices {
                var value = JSONValue.object(set.resources[index].object)
                update.walk(&value)
                for spec in set.config.images {
                    try FieldPath.visit(&value, spec.segments[...], create: false, leaf: .string) { image throws(RenderError) in
                        if let text = image.stringValue { image = .string(update.apply(text)) }
                    }
                }
                set.resources[index].object = value.objectValue ?? set.resources[index].object
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
            for spec in set.config.replicas {
                for index in set.indices where set.resources[index].anyId({ $0.name == name && spec.selects($0) }) {
                    found = true
                    var object = set.resources[index].object
                    var value = JSONValue.object(object)
                    try FieldPath.visit(&value, spec.segments[...], create: spec.create, leaf: .string) { field throws(RenderError) in
                        field = .number(JSONNumber(count))
                    }
                    object = value.objectValue ?? object
                    set.resources[index].object = object
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
    let matcher: Regex<AnyRegexOutput>
    let newName: String
    let newTag: String
    let digest: String

    /// Updates `image` fields of every `containers` and `initContainers` list, at any depth.
    func walk(_ value: inout JSONValue) {
        switch value {
        case .object(var object):
            for key in object.keys {
                guard var child = object[key] else { continue }
                if key == "containers" || key == "initContainers", case .array(var items) = child {
                    for i in items.indices {
                        if let image = items[i]["image"]?.stringValue { items[i]["image"] = .string(apply(image)) }
                    }
                    child = .array(items)
                } else {
                    walk(&child)
                }
                object[key] = child
            }
            value = .object(object)
        case .array(var items):
            for i in items.indices { walk(&items[i]) }
            value = .array(items)
        default:
            break
        }
    }

    func apply(_ image: String) -> String {
        guard (try? matcher.wholeMatch(in: image)) != nil else { return image }
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
