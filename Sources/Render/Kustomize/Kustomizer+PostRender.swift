import Manifests

extension Kustomizer {
    /// Applies kustomize `patches` entries to already rendered objects, in their order: a
    /// post-renderer (`spec.source.helm.postRenderer.patches`). Each entry is what a
    /// kustomization's `patches` field holds, with the patch inline (`patch`, strategic merge or
    /// JSON 6902) and an optional `target`; `path` is refused, since there is no folder to read.
    ///
    /// ```swift
    /// let patched = try Kustomizer().patch(objects, with: [["patch": "...", "target": ["kind": "Deployment"]]], field: "postRenderer.patches")
    /// ```
    public func patch(_ manifests: [Manifest], with patches: [JSONValue], field: String) throws(RenderError) -> [Manifest] {
        guard !patches.isEmpty else { return manifests }
        for (index, entry) in patches.enumerated() where entry["path"] != nil {
            throw RenderError(.unsupported, "\(field)[\(index)].path: a post-renderer patch must be inline (patch)")
        }
        let kustomization = try Kustomization(file: field, directory: ".", value: ["patches": .array(patches)])
        var build = try detachedBuild()
        var set = ResourceSet()
        try set.append(contentsOf: manifests.map { KResource(object: $0.object, source: $0.source?.file ?? field) })
        try build.applyPatches(kustomization, to: &set)
        return set.resources.map { Manifest(unchecked: $0.object, source: SourceLocation(file: $0.source)) }
    }
}
