import Manifests

/// Reads the discovery documents the API server serves.
public enum DiscoveryDocument {
    /// The `Accept` header asking for aggregated discovery (v2), falling back to the legacy lists.
    public static let aggregatedAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    /// The group-versions in `/api` (`APIVersions`) or `/apis` (`APIGroupList`), e.g. `v1`, `apps/v1`.
    public static func groupVersions(_ value: JSONValue) -> [String] {
        switch value["kind"]?.stringValue {
        case "APIVersions":
            return (value["versions"]?.arrayValue ?? []).compactMap(\.stringValue)
        default:
            return (value["groups"]?.arrayValue ?? []).flatMap { group in
                (group["versions"]?.arrayValue ?? []).compactMap { $0["groupVersion"]?.stringValue }
            }
        }
    }

    /// Whether `value` is an aggregated `APIGroupDiscoveryList`.
    public static func isAggregated(_ value: JSONValue) -> Bool {
        value["kind"]?.stringValue == "APIGroupDiscoveryList"
    }

    /// The resources of an `APIResourceList` (`/api/v1`, `/apis/apps/v1`). Subresources
    /// (`deployments/status`) are attached to their parent rather than listed.
    public static func resources(fromResourceList value: JSONValue) -> [APIResource] {
        let groupVersion = value["groupVersion"]?.stringValue ?? ""
        let group = ResourceKey.group(ofAPIVersion: groupVersion)
        let version = group.isEmpty ? groupVersion : String(groupVersion.dropFirst(group.count + 1))
        var resources: [APIResource] = []
        var subresources: [String: Set<String>] = [:]
        for entry in value["resources"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue, let kind = entry["kind"]?.stringValue else { continue }
            if let slash = name.firstIndex(of: "/") {
                subresources[String(name[..<slash]), default: []].insert(String(name[name.index(after: slash)...]))
                continue
            }
            // An entry may name its own group/version (rare; e.g. aggregated APIs).
            let gvk = GroupVersionKind(
                group: entry["group"]?.stringValue ?? group, version: entry["version"]?.stringValue ?? version, kind: kind)
            resources.append(
                APIResource(
                    groupVersionKind: gvk, plural: name, singular: entry["singularName"]?.stringValue ?? "",
                    namespaced: entry["namespaced"]?.boolValue ?? false,
                    verbs: Set((entry["verbs"]?.arrayValue ?? []).compactMap(\.stringValue)),
                    shortNames: (entry["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)))
        }
        return resources.map { resource in
            var resource = resource
            resource.subresources = subresources[resource.plural] ?? []
            return resource
        }
    }

    /// The resources of an aggregated `APIGroupDiscoveryList` (every group and version).
    public static func resources(fromAggregated value: JSONValue) -> [APIResource] {
        var resources: [APIResource] = []
        for group in value["items"]?.arrayValue ?? [] {
            let groupName = group["metadata"]?["name"]?.stringValue ?? ""
            for version in group["versions"]?.arrayValue ?? [] {
                guard let versionName = version["version"]?.stringValue else { continue }
                for entry in version["resources"]?.arrayValue ?? [] {
                    guard let plural = entry["resource"]?.stringValue,
                        let kind = entry["responseKind"]?["kind"]?.stringValue, !kind.isEmpty
                    else { continue }
                    let subresources = (entry["subresources"]?.arrayValue ?? []).compactMap { $0["subresource"]?.stringValue }
                    resources.append(
                        APIResource(
                            groupVersionKind: GroupVersionKind(group: groupName, version: versionName, kind: kind),
                            plural: plural, singular: entry["singularResource"]?.stringValue ?? "",
                            namespaced: entry["scope"]?.stringValue == "Namespaced",
                            verbs: Set((entry["verbs"]?.arrayValue ?? []).compactMap(\.stringValue)),
                            shortNames: (entry["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                            subresources: Set(subresources)))
                }
            }
        }
        return resources
    }
}
