import Foundation
import Manifests

/// Discovery documents built from the catalog: legacy per-group-version lists and aggregated v2.
enum Discovery {
    /// The content type of aggregated discovery responses in `version`.
    static func aggregatedContentType(version: String) -> String {
        "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList"
    }

    /// The aggregated discovery version (`v2`, or `v2beta1` that kubectl ≤ 1.29 asks for) an
    /// `Accept` header prefers, or nil when it prefers the legacy documents (plain JSON or
    /// anything): the first media range the server serves wins, as the API server negotiates.
    static func aggregatedVersion(accept: String?) -> String? {
        for range in (accept ?? "").split(separator: ",") {
            let parameters = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parameters.contains("as=APIGroupDiscoveryList") else {
                if ["application/json", "*/*", "application/*"].contains(parameters.first ?? "") { return nil }
                continue
            }
            guard parameters.contains("g=apidiscovery.k8s.io") else { continue }
            if let version = parameters.first(where: { $0.hasPrefix("v=") })?.dropFirst(2), version == "v2" || version == "v2beta1" {
                return String(version)
            }
        }
        return nil
    }

    /// `/version`.
    static let version: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0+keelson-sandbox", "gitCommit": "keelson",
        "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc",
        "platform": "linux/amd64",
    ]

    /// `/api` in the legacy form.
    static func coreVersions(serverAddress: String) -> JSONValue {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    /// One entry of an `APIGroupList`.
    static func group(_ name: String, catalog: ResourceCatalog) -> JSONValue {
        let versions = catalog.versions(ofGroup: name).map { version -> JSONValue in
            ["groupVersion": .string("\(name)/\(version)"), "version": .string(version)]
        }
        return ["name": .string(name), "versions": .array(versions), "preferredVersion": versions.first ?? .null]
    }

    /// `/apis` in the legacy form.
    static func groups(catalog: ResourceCatalog) -> JSONValue {
        ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(catalog.groups.map { group($0, catalog: catalog) })]
    }

    /// `/api/v1` or `/apis/GROUP/VERSION`.
    static func resourceList(group: String, version: String, catalog: ResourceCatalog) -> JSONValue? {
        let types = catalog.all.filter { $0.group == group && $0.version == version }
        guard !types.isEmpty else { return nil }
        var resources: [JSONValue] = []
        for type in types {
            var entry: JSONObject = [
                "name": .string(type.plural), "singularName": .string(type.singular), "namespaced": .bool(type.namespaced),
                "kind": .string(type.kind), "verbs": .array(type.verbs.map(JSONValue.string)),
            ]
            if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map(JSONValue.string)) }
            if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map(JSONValue.string)) }
            resources.append(.object(entry))
            for subresource in subresources(of: type) {
                var sub: JSONObject = [
                    "name": .string("\(type.plural)/\(subresource.name)"), "singularName": "", "namespaced": .bool(type.namespaced),
                    "kind": .string(subresource.kind), "verbs": .array(subresource.verbs.map(JSONValue.string)),
                ]
                if let group = subresource.group { sub["group"] = .string(group) }
                if let version = subresource.version { sub["version"] = .string(version) }
                resources.append(.object(sub))
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(types[0].apiVersion),
            "resources": .array(resources),
        ]
    }

    /// `/api` or `/apis` in the aggregated form of apidiscovery.k8s.io/`format` (v2 and v2beta1
    /// hold the same fields).
    static func aggregated(core: Bool, catalog: ResourceCatalog, format: String) -> JSONValue {
        let groups = core ? [""] : catalog.groups
        let items = groups.map { group -> JSONValue in
            let versions = catalog.versions(ofGroup: group).map { version -> JSONValue in
                let resources = catalog.all.filter { $0.group == group && $0.version == version }.map(aggregatedResource)
                return ["version": .string(version), "resources": .array(resources), "freshness": "Current"]
            }
            return ["metadata": ["name": .string(group), "creationTimestamp": nil], "versions": .array(versions)]
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(format)"), "metadata": [:], "items": .array(items)]
    }

    private static func aggregatedResource(_ type: ResourceType) -> JSONValue {
        let kind: JSONValue = ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]
        var entry: JSONObject = [
            "resource": .string(type.plural), "responseKind": kind, "scope": .string(type.namespaced ? "Namespaced" : "Cluster"),
            "singularResource": .string(type.singular), "verbs": .array(type.verbs.map(JSONValue.string)),
        ]
        if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map(JSONValue.string)) }
        if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map(JSONValue.string)) }
        let subs = subresources(of: type).map { subresource -> JSONValue in
            let responseKind: JSONValue = [
                "group": .string(subresource.group ?? type.group), "version": .string(subresource.version ?? type.version),
                "kind": .string(subresource.kind),
            ]
            return [
                "subresource": .string(subresource.name), "responseKind": responseKind,
                "verbs": .array(subresource.verbs.map(JSONValue.string)),
            ]
        }
        if !subs.isEmpty { entry["subresources"] = .array(subs) }
        return .object(entry)
    }

    /// One subresource as discovery lists it; `group` and `version` when its kind is of another group.
    private struct Subresource {
        var name: String
        var kind: String
        var group: String? = nil
        var version: String? = nil
        var verbs = ["get", "patch", "update"]
    }

    private static func subresources(of type: ResourceType) -> [Subresource] {
        var result: [Subresource] = []
        if type.hasStatus { result.append(Subresource(name: "status", kind: type.kind)) }
        if type.hasScale { result.append(Subresource(name: "scale", kind: "Scale", group: "autoscaling", version: "v1")) }
        if type.issuesTokens {
            result.append(Subresource(name: "token", kind: "TokenRequest", group: "authentication.k8s.io", version: "v1", verbs: ["create"]))
        }
        return result
    }
}
