import Manifests

/// Rewrites references to renamed objects (prefix, suffix, hash, namespace), as kustomize's
/// name-reference transformer does once at the end of a build.
extension Build {
    func fixNameReferences(_ set: inout ResourceSet) throws(RenderError) {
        let snapshot = set.resources
        for index in set.indices {
            let referrer = set.resources[index]
            let original = referrer.originalId
            var candidates: [KResource]?
            for reference in set.config.nameReferences {
                for spec in reference.referrers where spec.selects(original) && FieldPath.has(referrer.object, spec.path) {
                    if candidates == nil { candidates = Self.candidates(for: referrer, in: snapshot) }
                    let fixer = NameReferenceFix(referrer: referrer, reference: reference, path: spec.path, candidates: candidates ?? [])
                    var value = JSONValue.object(set.resources[index].object)
                    try FieldPath.visit(&value, spec.segments[...], create: false, leaf: .string) { field throws(RenderError) in
                        try fixer.fix(&field)
                    }
                    set.resources[index].object = value.objectValue ?? set.resources[index].object
                }
            }
        }
    }

    /// Objects `referrer` may refer to: anything for a cluster-scoped referrer; otherwise
    /// cluster-scoped objects, objects in its namespace, and for a RoleBinding the namespaces
    /// of its ServiceAccount subjects.
    static func candidates(for referrer: KResource, in resources: [KResource]) -> [KResource] {
        let id = referrer.currentId
        if id.isClusterScoped { return resources }
        var bindingNamespaces: Set<String> = []
        if id.kind == "RoleBinding" {
            for subject in referrer.object["subjects"]?.arrayValue ?? [] where subject["kind"]?.stringValue == "ServiceAccount" {
                if let namespace = subject["namespace"]?.stringValue { bindingNamespaces.insert(namespace) }
            }
        }
        return resources.filter { candidate in
            let target = candidate.currentId
            return target.isClusterScoped || target.sameNamespace(id) || bindingNamespaces.contains(candidate.namespace)
        }
    }
}

/// One referrer field being fixed.
struct NameReferenceFix {
    let referrer: KResource
    let reference: NameReference
    let path: String
    let candidates: [KResource]

    func fix(_ value: inout JSONValue) throws(RenderError) {
        switch value {
        case .string(let name):
            if let referral = try select(name, from: candidates, sameIdentity: { $0.name == $1.name }), referral.name != name {
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
        var pool = candidates
        if let namespace = map["namespace"]?.stringValue {
            // kustomize matches a reference whose namespace is present but blank with nothing.
            guard !namespace.isEmpty else { return }
            let wanted = namespace
            let byOriginal = candidates.filter { $0.originalId.effectiveNamespace == wanted }
            pool = byOriginal.isEmpty ? candidates.filter { $0.currentId.effectiveNamespace == wanted } : byOriginal
        }
        guard let referral = try select(name, from: pool, sameIdentity: { $0.name == $1.name && $0.namespace == $1.namespace }) else { return }
        if referral.name == name && referral.namespace.isEmpty { return }
        map["name"] = .string(referral.name)
        if !referral.namespace.isEmpty { map["namespace"] = .string(referral.namespace) }
    }

    private func select(
        _ oldName: String, from pool: [KResource], sameIdentity: (KResource, KResource) -> Bool
    ) throws(RenderError) -> KResource? {
        var found = pool.filter { $0.previousIds.contains { $0.name == oldName } }
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
