import Manifests
import Synchronization

/// The resource types currently served: the built-ins plus those defined by CRDs.
///
/// Shared between request handling and storage; reads are frequent and writes rare.
final class ResourceCatalog: Sendable {
    private let custom = Mutex<[String: [ResourceType]]>([:])  // CRD name → its served versions
    private let details = Mutex<[String: VersionDetails]>([:])  // `apiVersion/kind` → what its CRD version declares
    private let builtins: [ResourceType]

    /// Creates a catalog with the given built-in types.
    init(builtins: [ResourceType] = BuiltinResources.all) { self.builtins = builtins }

    /// Every served type, built-ins first, in a stable order.
    var all: [ResourceType] {
        let extra: [ResourceType] = custom.withLock { map in map.keys.sorted().flatMap { map[$0] ?? [] } }
        return builtins + extra
    }

    /// The type served at `group/version` under `plural`.
    func lookup(group: String, version: String, plural: String) -> ResourceType? {
        all.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// The type for an `apiVersion` and `kind`.
    func lookup(apiVersion: String, kind: String) -> ResourceType? {
        all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    /// All versions served for a group, with the preferred (first listed) one first.
    func versions(ofGroup group: String) -> [String] {
        var seen: [String] = []
        for type in all where type.group == group && !seen.contains(type.version) { seen.append(type.version) }
        return seen
    }

    /// The groups served, in a stable order, the core group excluded.
    var groups: [String] {
        var seen: [String] = []
        for type in all where !type.group.isEmpty && !seen.contains(type.group) { seen.append(type.group) }
        return seen
    }

    /// Registers or replaces the types a CRD defines, with their schemas; returns them.
    @discardableResult
    func register(crd: JSONObject) -> [ResourceType] {
        let types = Self.types(ofCRD: crd)
        guard let name = crd["metadata"]?["name"]?.stringValue else { return [] }
        let previous = custom.withLock { map in
            defer { map[name] = types.isEmpty ? nil : types }
            return map[name] ?? []
        }
        let declared = Self.details(ofCRD: crd)
        details.withLock { map in
            for type in previous { map.removeValue(forKey: Self.detailsKey(type)) }
            for type in types { map[Self.detailsKey(type)] = declared[type.version] }
        }
        return types
    }

    /// Forgets the types of a CRD; returns those it served.
    @discardableResult
    func unregister(crdName: String) -> [ResourceType] {
        let removed = custom.withLock { $0.removeValue(forKey: crdName) ?? [] }
        details.withLock { map in for type in removed { map.removeValue(forKey: Self.detailsKey(type)) } }
        return removed
    }

    /// The schema objects of `type` are validated against: a CRD version's `openAPIV3Schema`.
    func schema(for type: ResourceType) -> StructuralSchema? {
        details.withLock { $0[Self.detailsKey(type)]?.schema }
    }

    /// The columns `kubectl get` prints for `type`: a CRD version's `additionalPrinterColumns`;
    /// nil for built-in kinds and for a version that declares none.
    func printerColumns(for type: ResourceType) -> [TablePrinter.Column]? {
        details.withLock { $0[Self.detailsKey(type)]?.columns }
    }

    /// What a CRD version declares beyond its names.
    struct VersionDetails: Sendable {
        var schema: StructuralSchema?
        var columns: [TablePrinter.Column]?
    }

    private static func detailsKey(_ type: ResourceType) -> String { type.apiVersion + "/" + type.kind }

    /// A CRD's schemas and printer columns by version name.
    static func details(ofCRD crd: JSONObject) -> [String: VersionDetails] {
        var result: [String: VersionDetails] = [:]
        for version in crd["spec"]?["versions"]?.arrayValue ?? [] {
            guard let name = version["name"]?.stringValue else { continue }
            let schema = version["schema"]?["openAPIV3Schema"]?.objectValue.map(StructuralSchema.init(root:))
            let columns = version["additionalPrinterColumns"]?.arrayValue.flatMap(TablePrinter.columns(declared:))
            result[name] = VersionDetails(schema: schema, columns: columns)
        }
        return result
    }

    /// The served versions of a CRD as resource types.
    static func types(ofCRD crd: JSONObject) -> [ResourceType] {
        let spec = crd["spec"]
        guard let group = spec?["group"]?.stringValue, let names = spec?["names"],
            let plural = names["plural"]?.stringValue, let kind = names["kind"]?.stringValue
        else { return [] }
        let namespaced = spec?["scope"]?.stringValue != "Cluster"
        let shortNames = names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let categories = names["categories"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let versions = spec?["versions"]?.arrayValue ?? []
        // The storage version is served first so that it is the preferred version.
        let ordered = versions.filter { $0["storage"]?.boolValue == true } + versions.filter { $0["storage"]?.boolValue != true }
        return ordered.compactMap { version in
            guard let name = version["name"]?.stringValue, version["served"]?.boolValue != false else { return nil }
            return ResourceType(
                group: group, version: name, kind: kind, plural: plural,
                singular: names["singular"]?.stringValue ?? kind.lowercased(), namespaced: namespaced,
                shortNames: shortNames, categories: categories,
                hasStatus: version["subresources"]?["status"] != nil,
                hasScale: version["subresources"]?["scale"] != nil, tracksGeneration: true)
        }
    }
}
