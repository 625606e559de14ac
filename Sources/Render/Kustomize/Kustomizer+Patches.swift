import Manifests

/// `patches`, `patchesStrategicMerge` and `patchesJson6902`.
extension Build {
    /// A patch's text: a file next to the kustomization, or inline YAML.
    private mutating func patchText(_ entry: String, of kustomization: Kustomization, field: String) throws(RenderError) -> (String, [UInt8]) {
        let isInline = entry.contains("\n") || entry.hasPrefix("{") || entry.hasPrefix("[")
        if !isInline {
            let path = kustomization.path(entry)
            if (try? root.isDirectory(path)) == false {
                return (path, try read(entry, for: kustomization, field: field))
            }
            // A path that names no file is read as inline YAML, as kustomize does.
        }
        return ("\(kustomization.file): \(field)", Array(entry.utf8))
    }

    private func documents(_ bytes: [UInt8], file: String) throws(RenderError) -> [JSONValue] {
        do { return try decoder.decode(bytes, file: file).map(\.value) } catch { throw RenderError(error) }
    }

    mutating func applyStrategicMergePatches(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        for entry in try kustomization.strings("patchesStrategicMerge") {
            let (file, bytes) = try patchText(entry, of: kustomization, field: "patchesStrategicMerge")
            let patches = try documents(bytes, file: file).filter { !$0.isNull }
            guard !patches.isEmpty else {
                throw kustomization.error("patchesStrategicMerge", "patch appears to be empty: \(file)")
            }
            for document in patches {
                guard let patch = document.objectValue else {
                    throw RenderError(.kustomization, "\(file): a strategic merge patch must be a mapping")
                }
                try applyByOwnIdentity(patch, to: &set, file: file)
            }
        }
    }

    mutating func applyPatches(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        for entry in try kustomization.objects("patches") {
            let path = entry["path"]?.stringValue ?? ""
            let inline = entry["patch"]?.stringValue ?? ""
            guard path.isEmpty != inline.isEmpty else {
                throw kustomization.error(
                    "patches", path.isEmpty ? "must specify one of patch and path" : "patch and path can't be set at the same time")
            }
            let file: String
            let bytes: [UInt8]
            if path.isEmpty {
                (file, bytes) = ("\(kustomization.file): patches", Array(inline.utf8))
            } else {
                (file, bytes) = (kustomization.path(path), try read(path, for: kustomization, field: "patches"))
            }
            let selector = try entry["target"]?.objectValue.map { target throws(RenderError) in
                try ResourceSelector(target, field: "patches", in: kustomization)
            }
            let options = PatchOptions(entry["options"])
            let parsed = try documents(bytes, file: file)
            if parsed.count == 1, case .array = parsed[0] {
                guard let selector else { throw kustomization.error("patches", "must specify a target for JSON patch \(file)") }
                let patch = try jsonPatch(parsed[0], file: file)
                try applyJSON(patch, selector: selector, to: &set)
                continue
            }
            for document in parsed {
                guard let patch = document.objectValue else {
                    throw RenderError(.kustomization, "\(file): unable to parse SM or JSON patch")
                }
                if let selector {
                    for index in set.indices.reversed() where selector.selects(set.resources[index]) {
                        try applySMP(patch, at: index, in: &set, file: file, options: options)
                    }
                } else {
                    try applyByOwnIdentity(patch, to: &set, file: file, options: options)
                }
            }
        }
    }

    mutating func applyJSON6902Patches(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        for entry in try kustomization.objects("patchesJson6902") {
            guard let target = entry["target"]?.objectValue else { throw kustomization.error("patchesJson6902", "must specify the target field") }
            let path = entry["path"]?.stringValue ?? ""
            let inline = entry["patch"]?.stringValue ?? ""
            let file = path.isEmpty ? "\(kustomization.file): patchesJson6902" : kustomization.path(path)
            let bytes = path.isEmpty ? Array(inline.utf8) : try read(path, for: kustomization, field: "patchesJson6902")
            let parsed = try documents(bytes, file: file)
            let patch = try jsonPatch(parsed.first ?? .array([]), file: file)
            try applyJSON(patch, selector: try ResourceSelector(target, field: "patchesJson6902", in: kustomization), to: &set)
        }
    }

    /// Reads a JSON patch document, naming `file` when it is malformed.
    private func jsonPatch(_ document: JSONValue, file: String) throws(RenderError) -> JSONPatch {
        do { return try JSONPatch(document) } catch { throw RenderError(.kustomization, "\(file): \(error.message)") }
    }

    /// Applies a JSON patch to every selected resource. Each keeps its identity before the patch
    /// among its previous ones, as kustomize does: a patch that renames it leaves references to
    /// the old name for the name-reference fix to follow.
    private func applyJSON(_ patch: JSONPatch, selector: ResourceSelector, to set: inout ResourceSet) throws(RenderError) {
        for index in set.indices where selector.selects(set.resources[index]) {
            set.resources[index].storePreviousId()
            let patched: JSONValue
            do { patched = try patch.apply(to: .object(set.resources[index].object)) } catch {
                throw RenderError(.transform, "\(set.resources[index].currentId): \(error.message)")
            }
            guard let object = patched.objectValue else {
                throw RenderError(.transform, "a JSON patch left \(set.resources[index].currentId) not an object")
            }
            set.resources[index].object = object
        }
    }

    /// Applies a strategic merge patch to the one resource its own apiVersion, kind, name and
    /// namespace identify.
    private func applyByOwnIdentity(
        _ patch: JSONObject, to set: inout ResourceSet, file: String, options: PatchOptions = PatchOptions(nil)
    ) throws(RenderError) {
        let id = ResId(patch)
        var matches = set.indices.filter { set.resources[$0].anyId { $0.matches(id) } }
        if matches.isEmpty { matches = set.indices.filter { set.resources[$0].anyId { $0.sameGVKN(id) } } }
        guard matches.count == 1 else {
            let why = matches.isEmpty ? "no resource matches" : "multiple resources match"
            throw RenderError(.transform, "\(file): failed to find unique target for patch \(id): \(why)")
        }
        try applySMP(patch, at: matches[0], in: &set, file: file, options: options)
    }

    /// Applies a strategic merge patch to one resource. It keeps its namespace, and its name and
    /// kind unless `options` let the patch change them (the old identity is then kept among its
    /// previous ones, for references to follow).
    private func applySMP(
        _ patch: JSONObject, at index: Int, in set: inout ResourceSet, file: String, options: PatchOptions = PatchOptions(nil)
    ) throws(RenderError) {
        var patch = patch
        if var metadata = patch["metadata"]?.objectValue {
            if !options.allowNameChange { metadata["name"] = nil }
            metadata["namespace"] = nil
            patch["metadata"] = metadata.isEmpty ? nil : .object(metadata)
        }
        patch["apiVersion"] = nil
        if !options.allowKindChange { patch["kind"] = nil }
        let resource = set.resources[index]
        let rules = StrategicMerge.Rules(resource.currentId, schema: schema)
        guard let merged = try StrategicMerge(kind: resource.kind, rules: rules).apply(patch, to: resource.object) else {
            set.resources.remove(at: index)
            return
        }
        if options.allowNameChange || options.allowKindChange { set.resources[index].storePreviousId() }
        set.resources[index].object = merged
    }
}

/// A `patches` entry's `options`: whether a strategic merge patch may change the name or kind of
/// its targets.
struct PatchOptions {
    var allowNameChange: Bool
    var allowKindChange: Bool

    init(_ value: JSONValue?) {
        allowNameChange = value?["allowNameChange"]?.boolValue == true
        allowKindChange = value?["allowKindChange"]?.boolValue == true
    }
}
