import Manifests

extension ClusterGenerator {
    /// One parameter set per cluster the selector matches; the in-cluster destination is offered
    /// only without a selector, as Argo CD does. Nothing of a cluster's credentials is a parameter.
    func parameters(_ clusters: [ClusterEntry], goTemplate: Bool) -> [Parameters] {
        let offered = selector == nil ? [ClusterEntry.inCluster] + clusters : clusters.filter { selector?.matches($0.labels) ?? true }
        return offered.map { cluster in
            var parameters: Parameters = [
                "name": .string(cluster.name), "nameNormalized": .string(ParameterText.sanitizedName(cluster.name)),
                "server": .string(cluster.server),
            ]
            if goTemplate {
                parameters["metadata"] = [
                    "labels": .object(JSONObject(cluster.labels.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })),
                    "annotations": .object(
                        JSONObject(cluster.annotations.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })),
                ]
            } else {
                for (key, value) in cluster.labels.sorted(by: { $0.key < $1.key }) { parameters["metadata.labels." + key] = .string(value) }
                for (key, value) in cluster.annotations.sorted(by: { $0.key < $1.key }) {
                    parameters["metadata.annotations." + key] = .string(value)
                }
            }
            return parameters
        }
    }
}

extension JSONObject {
    init(_ pairs: [(String, JSONValue)]) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }
}
