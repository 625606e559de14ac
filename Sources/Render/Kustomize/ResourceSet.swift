import Manifests

/// The resources of a kustomize build in their order (kustomize's `ResMap`), refusing two
/// resources with the same identity.
struct ResourceSet: Sendable {
    /// The resources in order. Any change through this property drops the identity index, which
    /// the next append rebuilds: transformers rename resources in place.
    var resources: [KResource] = [] { didSet { identities = nil } }
    /// The field tables in force, with additions from `configurations` and `crds` below.
    var config = TransformerConfig()
    /// Vars declared here and below, resolved at the end of the build.
    var vars: [Variable] = []
    /// The index of each current identity's first resource, kept across appends: a build appends
    /// file by file, and rebuilding the index for each file made a large base quadratic.
    private var identities: [ResId.Key: Int]?

    /// Appends one resource; an identity already present is an error naming both sources.
    mutating func append(_ resource: KResource) throws(RenderError) {
        try append(contentsOf: [resource])
    }

    /// Appends resources in order, hashing identities rather than comparing each new resource
    /// with every one before it.
    mutating func append(contentsOf new: [KResource]) throws(RenderError) {
        var seen = identities ?? Self.index(resources)
        // Let go of the stored index, so adding to `seen` does not copy it whole on every append.
        identities = nil
        var added: [KResource] = []
        added.reserveCapacity(new.count)
        for resource in new {
            let id = resource.currentId
            if let existing = seen[id.key] {
                let first = existing < resources.count ? resources[existing] : added[existing - resources.count]
                throw RenderError(
                    .duplicateObject,
                    "\(resource.source): may not add resource with an already registered id: \(id) (first from \(first.source))")
            }
            seen[id.key] = resources.count + added.count
            added.append(resource)
        }
        resources.append(contentsOf: added)
        identities = seen
    }

    /// The index of each identity's first resource.
    private static func index(_ resources: [KResource]) -> [ResId.Key: Int] {
        var seen: [ResId.Key: Int] = [:]
        seen.reserveCapacity(resources.count)
        for (index, resource) in resources.enumerated() {
            let key = resource.currentId.key
            if seen[key] == nil { seen[key] = index }
        }
        return seen
    }

    /// Appends every resource of `other` in order, with its tables and vars.
    mutating func append(contentsOf other: ResourceSet) throws(RenderError) {
        try append(contentsOf: other.resources)
        config.merge(other.config)
        try mergeVars(other.vars)
    }

    /// Adds a generated resource: created, or merged into / replacing the resource with the
    /// same identity, as its behavior says.
    mutating func absorb(_ generated: KResource, field: String) throws(RenderError) {
        let id = generated.currentId
        // Names first: cheaper to read than whole identities, and an identity matches only its own name.
        let named = indices.filter { resources[$0].name == id.name || resources[$0].previousIds.contains { $0.name == id.name } }
        let matches = named.filter { resources[$0].anyId { $0.matches(id) } }
        guard matches.count <= 1 else {
            throw RenderError(.transform, "\(field): found multiple objects that could accept merge of \(id)")
        }
        guard let index = matches.first else {
            guard generated.behavior == .create else {
                throw RenderError(.transform, "\(field): id \(id) does not exist; cannot merge or replace")
            }
            try append(generated)
            return
        }
        let old = resources[index]
        var merged = generated
        switch generated.behavior {
        case .create:
            throw RenderError(.transform, "\(field): id \(id) exists; behavior must be merge or replace")
        case .replace:
            merged.copyMergeMetadata(from: old)
        case .merge:
            merged.copyMergeMetadata(from: old)
            for field in ["data", "binaryData"] {
                var combined = old.object[field]?.objectValue ?? [:]
                for (key, value) in generated.object[field]?.objectValue ?? [:] { combined[key] = value }
                if !combined.isEmpty { merged.object[field] = .object(combined) }
            }
        }
        resources[index] = merged
    }

    var indices: Range<Int> { resources.indices }
}

extension KResource {
    /// Takes labels and annotations (the generated ones win), name, namespace and the
    /// identity history from `old`, as kustomize does for merge and replace.
    mutating func copyMergeMetadata(from old: KResource) {
        for field in ["labels", "annotations"] {
            var combined = old.stringMap(field)
            for (key, value) in stringMap(field) { combined[key] = value }
            setMetadata(field, combined.isEmpty ? nil : .object(combined))
        }
        setName(old.name)
        setNamespace(old.namespace)
        previousIds = old.previousIds
        prefixes = old.prefixes
        suffixes = old.suffixes
        origin = old.origin
        // kustomize keeps the hash only when both generators ask for it (a plain object merged into has none).
        needsHash = needsHash && old.needsHash
    }
}
