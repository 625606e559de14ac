import Foundation

/// Where requests go: a Service spreads them over the Deployments of its namespace whose pod
/// labels include its selector, by ready replicas; an HTTPRoute spreads them evenly over its rules
/// and within a rule by backendRef weight (weight 0 gets nothing); an nginx Ingress spreads them
/// evenly over its paths and gives a canary Ingress of the same host and path its
/// `canary-weight / canary-weight-total` (`canary-by-header` and the like are ignored).
extension TrafficTopology {
    /// Every entry point, Services first, then HTTPRoutes, then Ingresses, each sorted by namespace and name.
    func entries() -> [TrafficEntry] {
        var result: [TrafficEntry] = []
        for (key, service) in services.sorted(by: { $0.key < $1.key }) {
            guard let rps = service.rps else { continue }
            result.append(TrafficEntry(kind: .service, namespace: key.namespace, name: key.name, rps: rps, flows: flows(to: key, share: 1)))
        }
        for (key, route) in routes.sorted(by: { $0.key < $1.key }) {
            guard let rps = route.rps else { continue }
            result.append(TrafficEntry(kind: .httpRoute, namespace: key.namespace, name: key.name, rps: rps, flows: flows(of: route)))
        }
        for (key, ingress) in ingresses.sorted(by: { $0.key < $1.key }) {
            guard let rps = ingress.rps, ingress.canaryShare == nil else { continue }
            result.append(
                TrafficEntry(kind: .ingress, namespace: key.namespace, name: key.name, rps: rps, flows: flows(of: ingress, in: key.namespace)))
        }
        return result
    }

    /// `share` of an entry point's requests sent to the Service `key`.
    func flows(to key: Key, share: Double) -> [TrafficEntry.Flow] {
        guard share > 0, let service = services[key], !service.selector.isEmpty else { return [] }
        let backends = workloads.filter { candidate in
            candidate.key.namespace == key.namespace && candidate.value.ready > 0
                && service.selector.allSatisfy { candidate.value.labels[$0.key] == $0.value }
        }
        .sorted { $0.key < $1.key }
        let total = Double(backends.reduce(0) { $0 + $1.value.ready })
        return backends.map { backend in
            TrafficEntry.Flow(
                service: key.name, deployment: backend.key.name, share: share * Double(backend.value.ready) / total,
                errorRate: backend.value.errorRate, latency: backend.value.latency)
        }
    }

    private func flows(of route: HTTPRoute) -> [TrafficEntry.Flow] {
        let rules = route.rules.filter { rule in rule.contains { $0.weight > 0 } }
        return rules.flatMap { rule in
            let total = Double(rule.reduce(0) { $0 + $1.weight })
            return rule.flatMap { ref in
                flows(to: Key(namespace: ref.namespace, name: ref.service), share: Double(ref.weight) / total / Double(rules.count))
            }
        }
    }

    private func flows(of ingress: Ingress, in namespace: String) -> [TrafficEntry.Flow] {
        let canaries = ingresses.filter { $0.key.namespace == namespace && $0.value.canaryShare != nil }.sorted { $0.key < $1.key }
        let each = 1 / Double(max(ingress.paths.count, 1))
        return ingress.paths.flatMap { path in
            // ingress-nginx takes one canary per host and path.
            let canary = canaries.lazy.compactMap { candidate in
                candidate.value.paths.first { $0.host == path.host && $0.path == path.path }.map { ($0.service, candidate.value.canaryShare ?? 0) }
            }
            .first
            let canaryShare = canary?.1 ?? 0
            let stable = flows(to: Key(namespace: namespace, name: path.service), share: each * (1 - canaryShare))
            guard let (service, _) = canary else { return stable }
            return stable + flows(to: Key(namespace: namespace, name: service), share: each * canaryShare)
        }
    }
}
