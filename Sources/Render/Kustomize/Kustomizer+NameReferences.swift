import Manifests

/// Rewrites references to renamed objects (prefix, suffix, hash, namespace), as kustomize's
/// name-reference transformer does once at the end of a build.
extension Build {
    func fixNameReferences(_ set: inout ResourceSet) throws(RenderError) {
        let referrals = Referrals(set.resources)
        for index in set.indices {
            let referrer = set.resources[index]
            let original = referrer.originalId
            let scope = ReferralScope(referrer)
            for reference in set.config.nameReferences {
                for spec in reference.referrers where spec.selects(original) && FieldPath.has(referrer.object, spec) {
                    let fixer = NameReferenceFix(referrer: referrer, reference: reference, path: spec.path, referrals: referrals, scope: scope)
                    try FieldPath.visit(&set.resources[index].object, spec.segments[...], create: false, leaf: .string) {
                        field throws(RenderError) in try fixer.fix(&field)
                    }
                }
            }
        }
    }
}

/// The objects of a build as name references see them, before any reference is fixed (fixing
/// changes referrers' fields, never identities), indexed so that fixing one reference looks only
/// at the objects that once had its name, not at every object: a build fixes a reference or
/// more per object.
struct Referrals {
    let resources: [KResource]
    /// Each object's current identity, read once.
    let currentIds: [ResId]
    /// Each object's identity when first read.
    let originalIds: [ResId]
    /// The positions, in order, of the objects that had each name before their current identity.
    let byPreviousName: [String: [Int]]
    /// The positions, in order, of the objects by their original identity's namespace (`default` for empty).
    let byOriginalNamespace: [String: [Int]]

    init(_ resources: [KResource]) {
        self.resources = resources
        currentIds = resources.map(\.currentId)
        originalIds = resources.map(\.originalId)
        var byPreviousName: [String: [Int]] = [:]
        var byOriginalNamespace: [String: [Int]] = [:]
        for (index, resource) in resources.enumerated() {
            for name in Set(resource.previousIds.map(\.name)) { byPreviousName[name, default: []].append(index) }
            byOriginalNamespace[originalIds[index].effectiveNamespace, default: []].append(index)
        }
        self.byPreviousName = byPreviousName
        self.byOriginalNamespace = byOriginalNamespace
    }
}

/// The objects one referrer may refer to: anything for a cluster-scoped referrer; otherwise
/// cluster-scoped objects, objects in its namespace, and for a RoleBinding the namespaces of its
/// ServiceAccount subjects.
struct ReferralScope {
    let referrerId: ResId
    let bindingNamespaces: Set<String>

    init(_ referrer: KResource) {
        referrerId = referrer.currentId
        var namespaces: Set<String> = []
        if referrerId.kind == "RoleBinding" {
            for subject in referrer.object["subjects"]?.arrayValue ?? [] where subject["kind"]?.stringValue == "ServiceAccount" {
                if let namespace = subject["namespace"]?.stringValue { namespaces.insert(namespace) }
            }
        }
        bindingNamespaces = namespaces
    }

    /// Whether the object at `index` of `referrals` is in scope.
    func contains(_ index: Int, of referrals: Referrals) -> Bool {
        let target = referrals.currentIds[index]
        return referrerId.isClusterScoped || target.isClusterScoped || target.sameNamespace(referrerId)
            || bindingNamespaces.contains(target.namespace)
    }
}

/// One referrer field being fixed.
struct NameReferenceFix {
    let referrer: KResource
    let reference: NameReference
    let path: String
    let referrals: Referrals
    let scope: ReferralScope

    func fix(_ value: inout JSONValue) throws(RenderError) {
        switch value {
        case .string(let name):
            if let referral = try select(name, sameIdentity: { $0.name == $1.name }), referral.name != name {
                value = .string(referral.name)
            }
        case .object(var map):
            try fixMapping(&map)
            value = .object(map)
        case .array(var items):
            for index in items.indices {
                switch items[index] {
                case .string, .object: try fix(&items[index])
                default: continue
                }
            }
            value = .array(items)
        default:
            return
        }
    }

    private func fixMapping(_ map: inout JSONObject) throws(RenderError) {
        guard let name = map["name"]?.stringValue else {
            throw RenderError(.transform, "\(referrer.source): \(path): path config error; no 'name' field in node")
        }
        var pool: (Int) -> Bool = { _ in true }
        if let namespace = map["namespace"]?.stringValue {
            // kustomize matches a reference whose namespace is present but blank with nothing.
            guard !namespace.isEmpty else { return }
            // Objects whose original namespace is the one named, if there are any in scope; else those now in it.
            let wanted = namespace
            let byOriginal = referrals.byOriginalNamespace[wanted]?.contains { scope.contains($0, of: referrals) } ?? false
            let ids = byOriginal ? referrals.originalIds : referrals.currentIds
            pool = { ids[$0].effectiveNamespace == wanted }
        }
        guard let referral = try select(name, in: pool, sameIdentity: { $0.name == $1.name && $0.namespace == $1.namespace }) else {
            return
        }
        if referral.name == name && referral.namespace.isEmpty { return }
        map["name"] = .string(referral.name)
        if !referral.namespace.isEmpty { map["namespace"] = .string(referral.namespace) }
    }

    /// The one object in scope (and in `pool`) that `oldName` refers to, nil for none; several
    /// that differ by `sameIdentity` are an error.
    private func select(
        _ oldName: String, in pool: (Int) -> Bool = { _ in true }, sameIdentity: (KResource, KResource) -> Bool
    ) throws(RenderError) -> KResource? {
        let once = referrals.byPreviousName[oldName] ?? []
        var found = once.filter { scope.contains($0, of: referrals) && pool($0) }.map { referrals.resources[$0] }
        found = found.filter { $0.previousIds.contains { reference.selects($0) } }
        if path.hasSuffix("roleRef/name"), let roleRef = referrer.object["roleRef"],
            let group = roleRef["apiGroup"]?.stringValue, let kind = roleRef["kind"]?.stringValue
        {
            found = found.filter { $0.previousIds.contains { (group.isEmpty || $0.group == group) && (kind.isEmpty || $0.kind == kind) } }
        }
        let referrerId = referrer.currentId
        if !referrerId.isClusterScoped {
            found = found.filter { $0.currentId.isClusterScoped || $0.kind == "ServiceAccount" || $0.currentId.sameNamespace(referrerId) }
        }
        if found.count == 1 { return found[0] }
        found = found.filter { Self.sameEnding($0.prefixes, referrer.prefixes) && Self.sameEnding($0.suffixes, referrer.suffixes) }
        if found.count == 1 { return found[0] }
        guard let first = found.first else { return nil }
        if found.allSatisfy({ sameIdentity($0, first) }) { return first }
        let ids = found.map(\.currentId.description).joined(separator: ", ")
        throw RenderError(.transform, "\(referrer.source): \(path): found multiple possible referrals: \(ids)")
    }

    /// Whether the shorter list is the end of the longer one (both empty counts; one empty does not).
    static func sameEnding(_ a: [String], _ b: [String]) -> Bool {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        if short.isEmpty { return long.isEmpty }
        return Array(long.suffix(short.count)) == short
    }
}
