import Foundation
import Manifests

/// What the traffic simulator knows of the cluster: the few fields of Services, Deployments,
/// HTTPRoutes and Ingresses that decide where requests go, kept in step with every commit.
struct TrafficTopology: Sendable {
    typealias Key = ClusterStore.ObjectName

    /// A Deployment as a backend: its pod labels, how many pods are Ready, how they answer.
    struct Workload: Sendable, Equatable {
        var labels: [String: String]
        var ready: Int64
        var errorRate: Double
        var latency: Double
    }

    /// A Service: its selector, and its rps when it is an entry point.
    struct Service: Sendable, Equatable {
        var selector: [String: String]
        var rps: Double?
    }

    /// One backendRef of an HTTPRoute rule.
    struct BackendRef: Sendable, Equatable {
        var namespace: String
        var service: String
        var weight: Int64
    }

    /// An HTTPRoute: its rules' backendRefs, and its rps when it is an entry point.
    struct HTTPRoute: Sendable, Equatable {
        var rules: [[BackendRef]]
        var rps: Double?
    }

    /// One host and path of an Ingress and the Service it sends to.
    struct IngressPath: Sendable, Equatable {
        var host: String
        var path: String
        var service: String
    }

    /// An nginx Ingress, as a primary (with rps) or as a canary (with its weight).
    struct Ingress: Sendable, Equatable {
        var paths: [IngressPath]
        var rps: Double?
        /// `canary-weight / canary-weight-total` for a canary Ingress, `nil` for a primary.
        var canaryShare: Double?
    }

    var workloads: [Key: Workload] = [:]
    var services: [Key: Service] = [:]
    var routes: [Key: HTTPRoute] = [:]
    var ingresses: [Key: Ingress] = [:]

    /// Takes one committed change into account; returns whether anything that routes changed.
    mutating func apply(_ event: WatchEvent) -> Bool {
        let object = event.object
        let key = Key(namespace: object.namespace, name: object.name)
        let deleted = event.type == "DELETED"
        switch event.storageID {
        case TrafficPolicy.deployments: return Self.replace(&workloads, key, deleted ? nil : Self.workload(object))
        case TrafficPolicy.services: return Self.replace(&services, key, deleted ? nil : Self.service(object))
        case TrafficPolicy.httpRoutes: return Self.replace(&routes, key, deleted ? nil : Self.route(object))
        case TrafficPolicy.ingresses: return Self.replace(&ingresses, key, deleted ? nil : Self.ingress(object))
        default: return false
        }
    }

    private static func replace<Value: Equatable>(_ map: inout [Key: Value], _ key: Key, _ value: Value?) -> Bool {
        guard map[key] != value else { return false }
        map[key] = value
        return true
    }

    private static func workload(_ object: JSONObject) -> Workload {
        let template = object["spec"]?["template"]
        var labels: [String: String] = [:]
        for (key, value) in template?["metadata"]?["labels"]?.objectValue ?? [:] { labels[key] = value.stringValue ?? "" }
        return Workload(
            labels: labels, ready: max(0, object["status"]?["readyReplicas"]?.intValue ?? 0),
            errorRate: TrafficPolicy.errorRate(template: template), latency: TrafficPolicy.latency(template: template))
    }

    private static func service(_ object: JSONObject) -> Service {
        var selector: [String: String] = [:]
        for (key, value) in object["spec"]?["selector"]?.objectValue ?? [:] { selector[key] = value.stringValue ?? "" }
        return Service(selector: selector, rps: TrafficPolicy.rps(object))
    }

    /// Only backendRefs to Services count (`group` "" and `kind` Service, the defaults); a missing
    /// weight is 1, as the Gateway API defines it.
    private static func route(_ object: JSONObject) -> HTTPRoute {
        let rules = (object["spec"]?["rules"]?.arrayValue ?? []).map { rule in
            (rule["backendRefs"]?.arrayValue ?? []).compactMap { ref -> BackendRef? in
                guard let name = ref["name"]?.stringValue, (ref["group"]?.stringValue ?? "").isEmpty,
                    (ref["kind"]?.stringValue ?? "Service") == "Service"
                else { return nil }
                return BackendRef(
                    namespace: ref["namespace"]?.stringValue ?? object.namespace, service: name,
                    weight: max(0, ref["weight"]?.intValue ?? 1))
            }
        }
        return HTTPRoute(rules: rules, rps: TrafficPolicy.rps(object))
    }

    /// Only Ingresses of class nginx route; a canary one is never an entry point of its own.
    private static func ingress(_ object: JSONObject) -> Ingress? {
        let spec = object["spec"]
        let className = spec?["ingressClassName"]?.stringValue ?? object.annotations["kubernetes.io/ingress.class"]
        guard className == TrafficPolicy.ingressClass else { return nil }
        var paths: [IngressPath] = []
        if let service = spec?["defaultBackend"]?["service"]?["name"]?.stringValue {
            paths.append(IngressPath(host: "", path: "", service: service))
        }
        for rule in spec?["rules"]?.arrayValue ?? [] {
            for path in rule["http"]?["paths"]?.arrayValue ?? [] {
                guard let service = path["backend"]?["service"]?["name"]?.stringValue else { continue }
                paths.append(IngressPath(host: rule["host"]?.stringValue ?? "", path: path["path"]?.stringValue ?? "/", service: service))
            }
        }
        let annotations = object.annotations
        guard annotations[TrafficPolicy.canaryAnnotation] == "true" else {
            return Ingress(paths: paths, rps: TrafficPolicy.rps(object), canaryShare: nil)
        }
        let weight = annotations[TrafficPolicy.canaryWeightAnnotation].flatMap { Double($0) } ?? 0
        let total = annotations[TrafficPolicy.canaryWeightTotalAnnotation].flatMap { Double($0) } ?? 100
        let share = total > 0 && weight.isFinite && total.isFinite ? min(max(weight / total, 0), 1) : 0
        return Ingress(paths: paths, rps: nil, canaryShare: share)
    }
}
