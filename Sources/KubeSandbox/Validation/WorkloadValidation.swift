import Manifests

/// The API server's checks of workload objects that a sandbox run most often gets wrong where a
/// cluster would refuse: a selector that does not select the pod template, a pod without
/// containers or with nameless or imageless ones, a Job that restarts its pods forever, a
/// negative count, and (`decodeError`) a count of the wrong JSON type.
enum WorkloadValidation {
    /// The errors of `object`, a `type`, after defaulting; empty when it is valid.
    static func errors(_ object: JSONObject, type: ResourceType) -> [FieldError] {
        guard let spec = object["spec"]?.objectValue else { return [] }
        var errors: [FieldError] = []
        switch (type.group, type.kind) {
        case ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet"):
            errors += nonNegative(spec, ["replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"], path: "spec")
            errors += selector(spec, path: "spec", kind: type.kind.lowercased())
            errors += podTemplate(spec, path: "spec", restartPolicies: ["Always"])
        case ("batch", "Job"):
            errors += job(spec, path: "spec")
        case ("batch", "CronJob"):
            if spec["schedule"]?.stringValue?.isEmpty != false { errors.append(FieldError(field: "spec.schedule", kind: .required)) }
            if let jobSpec = spec["jobTemplate"]?["spec"]?.objectValue { errors += job(jobSpec, path: "spec.jobTemplate.spec") }
        case ("", "Pod"):
            errors += podSpec(spec, path: "spec", restartPolicies: ["Always", "OnFailure", "Never"])
        default:
            break
        }
        return errors
    }

    /// A Job's counts and its pod template, whose pods must not restart `Always`.
    private static func job(_ spec: JSONObject, path: String) -> [FieldError] {
        nonNegative(spec, ["parallelism", "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished"], path: path)
            + podTemplate(spec, path: path, restartPolicies: ["OnFailure", "Never"])
    }

    /// Counts that must not be negative.
    private static func nonNegative(_ spec: JSONObject, _ names: [String], path: String) -> [FieldError] {
        names.compactMap { name -> FieldError? in
            guard let number = spec[name]?.intValue, number < 0 else { return nil }
            return FieldError(field: "\(path).\(name)", kind: .invalid(value: String(number)), detail: "must be greater than or equal to 0")
        }
    }

    /// The integer fields of the workload specs, with the Go struct and type that decode them.
    private static let integerFields: [String: (structName: String, fields: [String: String])] = [
        "apps/Deployment": (
            "DeploymentSpec", ["replicas": "int32", "minReadySeconds": "int32", "revisionHistoryLimit": "int32", "progressDeadlineSeconds": "int32"]
        ),
        "apps/StatefulSet": ("StatefulSetSpec", ["replicas": "int32", "minReadySeconds": "int32", "revisionHistoryLimit": "int32"]),
        "apps/DaemonSet": ("DaemonSetSpec", ["minReadySeconds": "int32", "revisionHistoryLimit": "int32"]),
        "apps/ReplicaSet": ("ReplicaSetSpec", ["replicas": "int32", "minReadySeconds": "int32"]),
        "batch/Job": (
            "JobSpec",
            [
                "parallelism": "int32", "completions": "int32", "backoffLimit": "int32", "activeDeadlineSeconds": "int64",
                "ttlSecondsAfterFinished": "int32",
            ]
        ),
    ]

    /// The decode error the API server answers (400) for an integer field given another JSON type,
    /// worded as Go's `encoding/json` words it; nil when the fields decode.
    static func decodeError(_ object: JSONObject, type: ResourceType) -> String? {
        guard let (structName, fields) = integerFields["\(type.group)/\(type.kind)"], let spec = object["spec"]?.objectValue else { return nil }
        for name in fields.keys.sorted() {
            guard let value = spec[name], value != .null else { continue }
            if let number = value.intValue, value.doubleValue == Double(number) { continue }
            let given: String
            switch value {
            case .string: given = "string"
            case .bool: given = "bool"
            case .array: given = "array"
            case .object: given = "object"
            default: given = "number " + JSONWriter.compact(value)
            }
            return "\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): json: cannot unmarshal \(given) "
                + "into Go struct field \(structName).spec.\(name) of type \(fields[name] ?? "int32")"
        }
        return nil
    }

    /// A workload's selector: present, not empty, and selecting its own pod template's labels.
    private static func selector(_ spec: JSONObject, path: String, kind: String) -> [FieldError] {
        guard let selector = spec["selector"]?.objectValue else { return [FieldError(field: "\(path).selector", kind: .required)] }
        let matchLabels = selector["matchLabels"]?.objectValue ?? [:]
        let expressions = selector["matchExpressions"]?.arrayValue ?? []
        if matchLabels.isEmpty && expressions.isEmpty {
            return [
                FieldError(
                    field: "\(path).selector", kind: .invalid(value: FieldError.show(.object(selector))),
                    detail: "empty selector is invalid for \(kind)")
            ]
        }
        let labels = spec["template"]?["metadata"]?["labels"]?.objectValue ?? [:]
        let selects =
            matchLabels.allSatisfy { labels[$0.key] == $0.value }
            && expressions.allSatisfy { expression in
                let key = expression["key"]?.stringValue ?? ""
                let values = expression["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let value = labels[key]?.stringValue
                switch expression["operator"]?.stringValue {
                case "In": return value.map(values.contains) ?? false
                case "NotIn": return value.map { !values.contains($0) } ?? true
                case "Exists": return value != nil
                case "DoesNotExist": return value == nil
                default: return false
                }
            }
        guard selects else {
            return [
                FieldError(
                    field: "\(path).template.metadata.labels", kind: .invalid(value: goMap(labels)),
                    detail: "`selector` does not match template `labels`")
            ]
        }
        return []
    }

    /// A label map as Go's `%#v` prints it in the API server's message.
    static func goMap(_ labels: JSONObject) -> String {
        let pairs = labels.entries.keys.sorted().map { "\"\($0)\":\"\(labels[$0]?.stringValue ?? "")\"" }
        return "map[string]string{" + pairs.joined(separator: ", ") + "}"
    }

    /// `template.spec` of a workload.
    private static func podTemplate(_ spec: JSONObject, path: String, restartPolicies: [String]) -> [FieldError] {
        guard let podSpec = spec["template"]?["spec"]?.objectValue else {
            return [FieldError(field: "\(path).template.spec.containers", kind: .required)]
        }
        return self.podSpec(podSpec, path: "\(path).template.spec", restartPolicies: restartPolicies)
    }

    /// A pod spec: at least one container, each named and with an image, and an allowed restart policy.
    private static func podSpec(_ spec: JSONObject, path: String, restartPolicies: [String]) -> [FieldError] {
        var errors: [FieldError] = []
        let containers = spec["containers"]?.arrayValue ?? []
        if containers.isEmpty { errors.append(FieldError(field: "\(path).containers", kind: .required)) }
        for list in ["initContainers", "containers"] {
            for (index, container) in (spec[list]?.arrayValue ?? []).enumerated() {
                for field in ["name", "image"] where container[field]?.stringValue?.isEmpty != false {
                    errors.append(FieldError(field: "\(path).\(list)[\(index)].\(field)", kind: .required))
                }
            }
        }
        if let policy = spec["restartPolicy"]?.stringValue, !restartPolicies.contains(policy) {
            errors.append(
                FieldError(
                    field: "\(path).restartPolicy",
                    kind: .notSupported(value: FieldError.show(.string(policy)), supported: restartPolicies.map { "\"\($0)\"" })))
        }
        return errors
    }
}
