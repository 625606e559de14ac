import Registry
import Yams

/// Updates every reference to one image in a YAML file, for `keelson promote`: container
/// images in workloads, kustomize `images:` entries, Helm-style `repository`/`tag` pairs and
/// `$imagepolicy` setters bound to the image. Only those scalars change; other bytes stay.
///
/// ```swift
/// let updater = ImageReferenceUpdater(try ImagePromotion(parsing: "ghcr.io/o/app=ghcr.io/o/app:1.4.0"))
/// let update = try updater.update(bytes, file: "apps/web/deployment.yaml")
/// ```
public struct ImageReferenceUpdater: Sendable {
    /// Keys whose value is a list of containers with an `image` field, in any object.
    static let containerListKeys: Set<String> = ["containers", "initContainers", "ephemeralContainers"]
    /// Where kustomize-style `images:` lists live: (apiVersion prefix, path from the document root).
    static let imageListLocations: [(apiVersion: String, path: [String])] = [
        ("kustomize.config.k8s.io/", ["images"]),
        ("kustomize.toolkit.fluxcd.io/", ["spec", "images"]),
    ]
    /// Helm-values style pairs: a repository key and the tag key beside it.
    static let repositoryTagKeys: [(repository: String, tag: String)] = [("repository", "tag")]

    /// What to promote.
    public var promotion: ImagePromotion

    /// Creates an updater for `promotion`.
    public init(_ promotion: ImagePromotion) { self.promotion = promotion }

    /// The updated file, or `nil` when nothing refers to the image or everything is current.
    public func update(_ bytes: [UInt8], file: String) throws(ImageAutomationError) -> FileUpdate? {
        let map = try YAMLSourceMap(bytes, file: file)
        var edits = TextEdits()
        for document in map.documents {
            try updateKustomizeImages(in: document, map: map, edits: &edits)
            walk(document, map: map, edits: &edits)
        }
        try updateSetters(map: map, edits: &edits)
        return edits.apply(to: bytes)
    }

    /// Containers and repository/tag pairs, anywhere in the document.
    private func walk(_ node: Node, map: YAMLSourceMap, edits: inout TextEdits) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                if let name = key.string, Self.containerListKeys.contains(name), case .sequence(let containers) = value {
                    for container in containers {
                        guard let image = container.mapping?["image"], let site = map.site(of: image), promotion.matches(site.value) else { continue }
                        edits.set(site, to: promotion.newValue, file: map.file)
                    }
                }
            }
            for (repositoryKey, tagKey) in Self.repositoryTagKeys {
                guard let repositoryNode = mapping[repositoryKey], let repository = map.site(of: repositoryNode),
                    promotion.matches(repository.value), let tagNode = mapping[tagKey], let tag = map.site(of: tagNode),
                    let newTag = promotion.tag
                else { continue }
                if !promotion.isNewName(repository.value) { edits.set(repository, to: promotion.newName, file: map.file) }
                edits.set(tag, to: newTag, file: map.file)
            }
            for (_, value) in mapping { walk(value, map: map, edits: &edits) }
        case .sequence(let sequence):
            for item in sequence { walk(item, map: map, edits: &edits) }
        case .scalar, .alias:
            break
        }
    }

    /// Setters whose policy, in this file, points at the image (by a full or `:name` marker's value).
    private func updateSetters(map: YAMLSourceMap, edits: inout TextEdits) throws(ImageAutomationError) {
        let marked = try SetterUpdater.markedSites(in: map)
        let bound = Set(marked.filter { [.image, .name].contains($0.1.field) && promotion.matches($0.0.value) }.map(\.1.policy))
        for (site, marker) in marked where bound.contains(marker.policy) {
            let value: String? =
                switch marker.field {
                case .image: promotion.newValue
                case .name: promotion.newName
                case .tag: promotion.tag
                case .digest: promotion.digest
                }
            if let value { edits.set(site, to: value, file: map.file) }
        }
    }
}
