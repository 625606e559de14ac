/// How a kustomize build orders its output: the top kustomization's `sortOptions`, legacy by
/// default. The `sortOptions` of bases and components are not read, as in kustomize.
enum OutputOrder {
    /// The order the resources were accumulated in.
    case fifo
    /// Kinds ranked first and last, the rest by group, version and kind, then namespace and name.
    case legacy(LegacyOrder)

    /// The order `sortOptions` gives, checked as kustomize checks it.
    init(_ kustomization: Kustomization) throws(RenderError) {
        guard let options = kustomization.fields["sortOptions"], !options.isNull else {
            self = .legacy(LegacyOrder())
            return
        }
        let order = options["order"]?.stringValue
        let legacyOptions = options["legacySortOptions"].flatMap { $0.isNull ? nil : $0 }
        switch order {
        case "fifo":
            guard legacyOptions == nil else {
                throw kustomization.error(
                    "sortOptions", "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'")
            }
            self = .fifo
        case "legacy":
            guard let legacyOptions else {
                self = .legacy(LegacyOrder())
                return
            }
            func kinds(_ key: String) throws(RenderError) -> [String] {
                guard let list = legacyOptions[key], !list.isNull else { return [] }
                guard let items = list.arrayValue?.compactMap(\.stringValue), items.count == list.arrayValue?.count else {
                    throw kustomization.error("sortOptions", "legacySortOptions.\(key): expected a list of kinds")
                }
                return items
            }
            // Given options replace both default lists, even the one they leave out.
            self = .legacy(LegacyOrder(first: try kinds("orderFirst"), last: try kinds("orderLast")))
        default:
            throw kustomization.error("sortOptions", "the field 'sortOptions.order' must be one of [fifo, legacy]")
        }
    }

    /// `resources` in this order.
    func sorted(_ resources: [KResource]) -> [KResource] {
        switch self {
        case .fifo: resources
        case .legacy(let order): order.sorted(resources)
        }
    }
}

/// kustomize's "legacy" output order: kinds that others depend on first, webhooks last (or the
/// kinds `legacySortOptions` lists), then by group, version and kind, then namespace and name.
struct LegacyOrder {
    /// Kinds placed first by default, in this order.
    static let defaultFirst = [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
        "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret",
        "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim",
        "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
    ]
    /// Kinds placed last by default, in this order.
    static let defaultLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]

    /// Each listed kind's rank: negative for the first kinds, positive for the last, 0 for the rest.
    /// A kind listed twice keeps its later place, as kustomize's map does.
    private let rank: [String: Int]

    init(first: [String] = defaultFirst, last: [String] = defaultLast) {
        var ranks: [String: Int] = [:]
        for (index, kind) in first.enumerated() { ranks[kind] = index - first.count }
        for (index, kind) in last.enumerated() { ranks[kind] = index + 1 }
        rank = ranks
    }

    /// One object's place in the order, with the text keys built once rather than on every
    /// comparison of the sort.
    private struct Place {
        let id: ResId
        let rank: Int
        /// Group, version and kind, with a marker for each empty one.
        let gvkKey: String
        /// Namespace and name, with a marker for each empty one.
        let idKey: String

        init(_ id: ResId, rank: Int) {
            self.id = id
            self.rank = rank
            gvkKey = [id.group.isEmpty ? "~G" : id.group, id.version.isEmpty ? "~V" : id.version, id.kind.isEmpty ? "~K" : id.kind]
                .joined(separator: "_")
            idKey = "\(id.namespace.isEmpty ? "~X" : id.namespace)|\(id.name.isEmpty ? "~N" : id.name)"
        }

        func precedes(_ other: Place) -> Bool {
            let (a, b) = (id, other.id)
            if a.group != b.group || a.version != b.version || a.kind != b.kind {
                if rank != other.rank { return rank < other.rank }
                // The core Namespace goes before custom kinds named Namespace, whatever their group.
                if a.kind == "Namespace" && b.kind == "Namespace" && (a.group.isEmpty || b.group.isEmpty) { return a.group.isEmpty }
                return bytesLess(gvkKey, other.gvkKey)
            }
            return bytesLess(idKey, other.idKey)
        }
    }

    /// Go compares strings bytewise.
    static func bytesLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    func sorted(_ resources: [KResource]) -> [KResource] {
        let places = resources.map { Place($0.currentId, rank: rank[$0.kind] ?? 0) }
        return resources.indices.sorted { places[$0].precedes(places[$1]) }.map { resources[$0] }
    }
}
