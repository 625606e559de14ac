import Foundation
import Manifests

/// Kustomization fields laid over what a path renders, as if a `kustomization.yaml` beside it
/// said `resources: [<path>]` plus these fields: what Argo CD's `spec.source.kustomize` and
/// Flux's generated overlay (`targetNamespace`, `commonMetadata`, `images`, `patches`) do.
///
/// Only transformer fields are accepted, and `patches` must be inline: an overlay has no folder
/// of its own to read files from.
///
/// ```swift
/// let overlay = try KustomizeOverlay(["namePrefix": "prod-", "images": [["name": "nginx", "newTag": "1.27"]]], name: "spec.source.kustomize")
/// var renderer = DirectoryRenderer()
/// renderer.overlay = overlay
/// let result = try renderer.render(root, path: "apps/web")
/// ```
public struct KustomizeOverlay: Sendable, Hashable {
    /// The kustomization fields.
    public var fields: JSONObject
    /// What errors call the overlay, e.g. `spec.source.kustomize`.
    public var name: String

    /// The fields an overlay may set: the transformers, which read no files.
    public static let allowedFields: Set<String> = [
        "namePrefix", "nameSuffix", "namespace", "commonLabels", "labels", "commonAnnotations", "images", "patches", "replicas",
    ]

    /// Checks `fields` as kustomize would check them in a kustomization file.
    public init(_ fields: JSONObject, name: String) throws(RenderError) {
        for key in fields.keys where !Self.allowedFields.contains(key) {
            throw RenderError(
                .kustomization, "\(name): \(key): not allowed in an overlay (allowed: \(Self.allowedFields.sorted().joined(separator: ", ")))")
        }
        self.fields = fields
        self.name = name
        let kustomization = try self.kustomization()
        for field in ["namePrefix", "nameSuffix", "namespace"] { _ = try kustomization.string(field) }
        for field in ["commonLabels", "commonAnnotations"] { _ = try kustomization.stringMap(field) }
        for field in ["labels", "images", "replicas"] { _ = try kustomization.objects(field) }
        for (index, entry) in try kustomization.objects("patches").enumerated() where entry["path"] != nil {
            throw RenderError(.unsupported, "\(name): patches[\(index)].path: an overlay's patch must be inline (patch)")
        }
    }

    /// The fields as a kustomization, named after the overlay.
    func kustomization() throws(RenderError) -> Kustomization {
        try Kustomization(file: name, directory: ".", value: .object(fields))
    }
}

extension Kustomizer {
    /// Builds the kustomization in `directory` as the one resource of `overlay`: like kustomize,
    /// the base's own `sortOptions` and `buildMetadata` give way to the overlay's (legacy order),
    /// and generated names are hashed after the overlay's transformers ran.
    func render(_ root: SecureRoot, directory: String, overlay: KustomizeOverlay) throws(RenderError) -> RenderResult {
        var build = Build(
            root: root, decoder: decoder, maximumDepth: maximumDepth,
            budget: DirectoryRenderer.renderBudget(maximumRenderBytes, owner: "Kustomizer"))
        build.helm = helm
        let top = try overlay.kustomization()
        var set = ResourceSet()
        try set.append(
            contentsOf: try build.accumulate(
                directory: directory, into: nil, isComponent: false, depth: 1, inheritedNamespace: try top.string("namespace")))
        let manifests = try build.finish(overlay: top, on: &set)
        return RenderResult(manifests: manifests, files: build.files)
    }

    /// Lays `overlay` over objects already rendered (a plain directory), as if a kustomization
    /// listed their files in `resources`; the result is in kustomize's order.
    public func apply(_ overlay: KustomizeOverlay, to manifests: [Manifest]) throws(RenderError) -> [Manifest] {
        var build = try detachedBuild()
        var set = ResourceSet()
        try set.append(contentsOf: manifests.map { KResource(object: $0.object, source: $0.source?.description ?? overlay.name) })
        return try build.finish(overlay: try overlay.kustomization(), on: &set)
    }

    /// A build that reads no file: its root only satisfies the type, and its limits refuse every read.
    func detachedBuild() throws(RenderError) -> Build {
        let root: SecureRoot
        do { root = try SecureRoot(directory: NSTemporaryDirectory(), limits: SecureRoot.Limits(maximumFileBytes: 0, maximumTotalBytes: 0)) } catch {
            throw RenderError(error)
        }
        return Build(
            root: root, decoder: decoder, maximumDepth: maximumDepth,
            budget: DirectoryRenderer.renderBudget(maximumRenderBytes, owner: "Kustomizer"))
    }
}

extension Build {
    /// Runs the overlay's transformers over `set`, then what kustomize runs once at the end
    /// (hashes, name references), and sorts in the legacy order.
    mutating func finish(overlay top: Kustomization, on set: inout ResourceSet) throws(RenderError) -> [Manifest] {
        try runTransformers(top, on: &set)
        try checkSize(set, of: top.file)
        try finish(&set)
        return try order.sorted(set.resources).map { resource throws(RenderError) in
            Manifest(unchecked: resource.object, source: SourceLocation(file: resource.source))
        }
    }
}
