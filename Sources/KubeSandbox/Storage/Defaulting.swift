import Manifests

/// The defaults the API server fills in on every write, for the workload and Service kinds a
/// GitOps engine meets: what `kubectl get -o yaml` shows on a cluster although no manifest set
/// it. Without them drift logic and `kubectl rollout status` meet a sandbox unlike any cluster.
///
/// A field already set, `null` included as absent, is never changed. The values are those of the
/// `SetDefaults_*` functions of Kubernetes 1.32+ for the stable API versions.
enum Defaulting {
    /// Fills the defaults of `object`, a `type`, in place.
    static func apply(_ object: inout JSONObject, type: ResourceType) {
        guard var spec = object["spec"]?.objectValue else { return }
        switch (type.group, type.kind) {
        case ("apps", "Deployment"):
            fill(&spec, "replicas", .int(1))
            rollingUpdate(&spec, "strategy", ["maxUnavailable": "25%", "maxSurge": "25%"])
            fill(&spec, "revisionHistoryLimit", .int(10))
            fill(&spec, "progressDeadlineSeconds", .int(600))
            podTemplate(&spec)
        case ("apps", "StatefulSet"):
            fill(&spec, "replicas", .int(1))
            fill(&spec, "podManagementPolicy", "OrderedReady")
            rollingUpdate(&spec, "updateStrategy", ["partition": .int(0)])
            fill(&spec, "revisionHistoryLimit", .int(10))
            fill(&spec, "persistentVolumeClaimRetentionPolicy", ["whenDeleted": "Retain", "whenScaled": "Retain"])
            podTemplate(&spec)
        case ("apps", "DaemonSet"):
            rollingUpdate(&spec, "updateStrategy", ["maxUnavailable": .int(1), "maxSurge": .int(0)])
            fill(&spec, "revisionHistoryLimit", .int(10))
            podTemplate(&spec)
        case ("apps", "ReplicaSet"):
            fill(&spec, "replicas", .int(1))
            podTemplate(&spec)
        case ("batch", "Job"):
            job(&spec)
        case ("batch", "CronJob"):
            fill(&spec, "concurrencyPolicy", "Allow")
            fill(&spec, "suspend", false)
            fill(&spec, "successfulJobsHistoryLimit", .int(3))
            fill(&spec, "failedJobsHistoryLimit", .int(1))
            if var template = spec["jobTemplate"]?.objectValue, var jobSpec = template["spec"]?.objectValue {
                job(&jobSpec)
                template["spec"] = .object(jobSpec)
                spec["jobTemplate"] = .object(template)
            }
        case ("", "Pod"):
            podSpec(&spec)
        case ("", "Service"):
            service(&spec)
        default:
            return
        }
        object["spec"] = .object(spec)
    }

    /// `JobSpec`: one pod to one completion, six retries.
    private static func job(_ spec: inout JSONObject) {
        fill(&spec, "parallelism", .int(1))
        fill(&spec, "completions", .int(1))
        fill(&spec, "backoffLimit", .int(6))
        fill(&spec, "completionMode", "NonIndexed")
        fill(&spec, "suspend", false)
        fill(&spec, "podReplacementPolicy", "TerminatingOrFailed")
        podTemplate(&spec)
    }

    /// A `ServiceSpec`: the type, session affinity, one IPv4 family, and each port's protocol and
    /// target port (the port itself when unset). `ExternalName` Services get no IP families.
    private static func service(_ spec: inout JSONObject) {
        fill(&spec, "type", "ClusterIP")
        fill(&spec, "sessionAffinity", "None")
        let kind = spec["type"]?.stringValue ?? "ClusterIP"
        if kind != "ExternalName" {
            fill(&spec, "ipFamilies", ["IPv4"])
            fill(&spec, "ipFamilyPolicy", "SingleStack")
            fill(&spec, "internalTrafficPolicy", "Cluster")
        }
        if kind == "NodePort" || kind == "LoadBalancer" { fill(&spec, "externalTrafficPolicy", "Cluster") }
        if kind == "LoadBalancer" { fill(&spec, "allocateLoadBalancerNodePorts", true) }
        if let ports = spec["ports"]?.arrayValue {
            spec["ports"] = .array(
                ports.map { port in
                    guard var port = port.objectValue else { return port }
                    fill(&port, "protocol", "TCP")
                    if let number = port["port"] { fill(&port, "targetPort", number) }
                    return .object(port)
                })
        }
    }

    /// `spec.template.spec` of a workload.
    private static func podTemplate(_ spec: inout JSONObject) {
        guard var template = spec["template"]?.objectValue, var podSpec = template["spec"]?.objectValue else { return }
        Self.podSpec(&podSpec)
        template["spec"] = .object(podSpec)
        spec["template"] = .object(template)
    }

    /// A `PodSpec` and its containers.
    private static func podSpec(_ spec: inout JSONObject) {
        fill(&spec, "restartPolicy", "Always")
        fill(&spec, "terminationGracePeriodSeconds", .int(30))
        fill(&spec, "dnsPolicy", "ClusterFirst")
        fill(&spec, "securityContext", .object([:]))
        fill(&spec, "schedulerName", "default-scheduler")
        for list in ["initContainers", "containers"] {
            guard let containers = spec[list]?.arrayValue else { continue }
            spec[list] = .array(containers.map { $0.objectValue.map { .object(container($0)) } ?? $0 })
        }
    }

    /// A container: pull policy by tag, termination message, empty resources, TCP ports.
    private static func container(_ container: JSONObject) -> JSONObject {
        var container = container
        fill(&container, "imagePullPolicy", .string(pullPolicy(image: container["image"]?.stringValue ?? "")))
        fill(&container, "terminationMessagePath", "/dev/termination-log")
        fill(&container, "terminationMessagePolicy", "File")
        fill(&container, "resources", .object([:]))
        if let ports = container["ports"]?.arrayValue {
            container["ports"] = .array(
                ports.map { port in
                    guard var port = port.objectValue else { return port }
                    fill(&port, "protocol", "TCP")
                    return .object(port)
                })
        }
        return container
    }

    /// `Always` for an image without a tag or tagged `latest` (and no digest), else `IfNotPresent`.
    static func pullPolicy(image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        // A tag follows the last colon after the last slash (a registry port precedes a slash).
        let name = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = name.lastIndex(of: ":") else { return "Always" }
        return name[name.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    /// A workload's update strategy under `key`: `RollingUpdate` when unset, and for a rolling
    /// update the `defaults` of its `rollingUpdate` parameters.
    private static func rollingUpdate(_ spec: inout JSONObject, _ key: String, _ defaults: JSONObject) {
        fill(&spec, key, ["type": "RollingUpdate"])
        guard var strategy = spec[key]?.objectValue, strategy["type"]?.stringValue == "RollingUpdate" else { return }
        var rolling = strategy["rollingUpdate"]?.objectValue ?? [:]
        for (name, value) in defaults { fill(&rolling, name, value) }
        strategy["rollingUpdate"] = .object(rolling)
        spec[key] = .object(strategy)
    }

    /// Sets `key` to `value` when the object has no value there (or `null`).
    private static func fill(_ object: inout JSONObject, _ key: String, _ value: JSONValue) {
        if object[key] == nil || object[key] == .null { object[key] = value }
    }
}
