import Manifests

extension KubeClient {
    /// The resource serving `gvk`. A miss re-reads that group-version from the server, so a
    /// CustomResourceDefinition created a moment ago is found.
    public func resource(for gvk: GroupVersionKind) async throws(KubeError) -> APIResource {
        if let cached = await discovery.resource(for: gvk) { return cached }
        let resources = try await fetchGroupVersion(gvk.apiVersion)
        await discovery.store(groupVersion: gvk.apiVersion, resources: resources)
        guard let found = resources.first(where: { $0.groupVersionKind == gvk }) else {
            throw KubeError(.unknownKind, "the server has no resource for \(gvk)", resource: gvk.description)
        }
        return found
    }

    /// Every resource the server serves, from aggregated discovery where the server offers it
    /// and otherwise from each group-version (four at a time).
    public func serverResources(refresh: Bool = false) async throws(KubeError) -> [APIResource] {
        if !refresh, await discovery.isComplete { return await discovery.allResources() }
        let core = try await sendJSON(APIRequest(method: .GET, path: "/api", accept: DiscoveryDocument.aggregatedAccept, resource: "GET /api"))
        let groups = try await sendJSON(APIRequest(method: .GET, path: "/apis", accept: DiscoveryDocument.aggregatedAccept, resource: "GET /apis"))
        var resources: [APIResource] = []
        if DiscoveryDocument.isAggregated(core) && DiscoveryDocument.isAggregated(groups) {
            resources = DiscoveryDocument.resources(fromAggregated: core) + DiscoveryDocument.resources(fromAggregated: groups)
        } else {
            let versions = DiscoveryDocument.groupVersions(core) + DiscoveryDocument.groupVersions(groups)
            resources = try await fetchGroupVersions(versions)
        }
        await discovery.storeAll(resources)
        return await discovery.allResources()
    }

    /// The server's `/version`: the Kubernetes version it runs.
    public func serverVersion() async throws(KubeError) -> ServerVersion {
        ServerVersion(json: try await sendJSON(APIRequest(method: .GET, path: "/version", resource: "GET /version")))
    }

    /// Forgets discovered resources (after CRDs were removed, say).
    public func invalidateDiscovery() async { await discovery.invalidate() }

    private func fetchGroupVersions(_ versions: [String]) async throws(KubeError) -> [APIResource] {
        do {
            return try await withThrowingTaskGroup(of: [APIResource].self) { group in
                var pending = versions[...]
                var collected: [APIResource] = []
                for _ in 0..<min(4, pending.count) {
                    let next = pending.removeFirst()
                    group.addTask { try await self.fetchGroupVersion(next) }
                }
                while let resources = try await group.next() {
                    collected += resources
                    if let next = pending.popFirst() { group.addTask { try await self.fetchGroupVersion(next) } }
                }
                return collected
            }
        } catch let error as KubeError {
            throw error
        } catch {
            throw KubeError(.transport, "discovery failed", resource: "discovery", cause: error)
        }
    }

    /// The resources of one group-version; an unknown group-version yields none.
    func fetchGroupVersion(_ groupVersion: String) async throws(KubeError) -> [APIResource] {
        let group = ResourceKey.group(ofAPIVersion: groupVersion)
        let version = group.isEmpty ? groupVersion : String(groupVersion.dropFirst(group.count + 1))
        let path = ResourcePath.groupVersion(group: group, version: version)
        do {
            let value = try await sendJSON(APIRequest(method: .GET, path: path, resource: "GET \(path)"))
            return DiscoveryDocument.resources(fromResourceList: value)
        } catch  where error.isNotFound {
            return []
        }
    }
}
