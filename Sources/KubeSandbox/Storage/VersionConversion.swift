import Manifests

/// Converts an object between the served versions of its resource.
///
/// Objects are stored once, in the storage version (the first version the catalog lists for the
/// resource), and shown in the version a request names. For most resources the versions share one
/// schema and only `apiVersion` changes; `HorizontalPodAutoscaler` differs between autoscaling/v1
/// (one CPU target) and autoscaling/v2 (a list of metrics), so it is converted field by field.
enum VersionConversion {
    // The annotations in which a v1 view keeps what v1 cannot say, so that a v1 round trip (read,
    // change, write back) loses nothing; the API server uses the same names (its values are in an
    // older metric format, these in v2's).

    /// The v2 metrics other than the CPU utilization target.
    static let metricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics"
    /// The v2 `spec.behavior`.
    static let behaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior"
    /// The v2 `status.currentMetrics` other than the CPU utilization.
    static let currentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics"
    /// The v2 `status.conditions`.
    static let conditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions"

    /// `object` (in whatever version it carries) in `apiVersion`.
    static func convert(_ object: JSONObject, to apiVersion: String) -> JSONObject {
        let from = object["apiVersion"]?.stringValue
        var copy = object
        if object["kind"]?.stringValue == "HorizontalPodAutoscaler", from != apiVersion {
            if from == "autoscaling/v1", apiVersion == "autoscaling/v2" { copy = hpaV1ToV2(object) }
            if from == "autoscaling/v2", apiVersion == "autoscaling/v1" { copy = hpaV2ToV1(object) }
        }
        copy["apiVersion"] = .string(apiVersion)
        return copy
    }

    /// The CPU utilization target of v1 as a v2 metric.
    static func cpuMetric(_ utilization: JSONValue) -> JSONValue {
        ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": utilization]]]
    }

    /// Whether a v2 metric is a CPU utilization target or reading (what v1 can express).
    static func isCPUUtilization(_ metric: JSONValue, _ key: String) -> Bool {
        metric["type"]?.stringValue == "Resource" && metric["resource"]?["name"]?.stringValue == "cpu"
            && (key == "target" ? metric["resource"]?["target"]?["type"]?.stringValue == "Utilization" : true)
            && metric["resource"]?[key]?["averageUtilization"] != nil
    }

    /// autoscaling/v1 → autoscaling/v2.
    static func hpaV1ToV2(_ object: JSONObject) -> JSONObject {
        var result = object
        var annotations = object.metadata["annotations"]?.objectValue ?? [:]
        func takeList(_ name: String) -> [JSONValue] {
            defer { annotations[name] = nil }
            guard let text = annotations[name]?.stringValue else { return [] }
            return (try? JSONParser.parse(Array(text.utf8), file: name))?.arrayValue ?? []
        }
        var spec = object["spec"]?.objectValue ?? [:]
        var metrics = takeList(metricsAnnotation)
        if let target = spec.entries.removeValue(forKey: "targetCPUUtilizationPercentage") { metrics.insert(cpuMetric(target), at: 0) }
        if !metrics.isEmpty { spec["metrics"] = .array(metrics) }
        if let text = annotations[behaviorAnnotation]?.stringValue, let behavior = try? JSONParser.parse(Array(text.utf8), file: "behavior") {
            spec["behavior"] = behavior
        }
        annotations[behaviorAnnotation] = nil
        result["spec"] = .object(spec)
        var status = object["status"]?.objectValue
        var current = takeList(currentMetricsAnnotation)
        let conditions = takeList(conditionsAnnotation)
        if let utilization = status?.entries.removeValue(forKey: "currentCPUUtilizationPercentage") {
            current.insert(["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": utilization]]], at: 0)
        }
        if !current.isEmpty { status?["currentMetrics"] = .array(current) }
        if !conditions.isEmpty { status?["conditions"] = .array(conditions) }
        if let status { result["status"] = .object(status) }
        result.setMeta("annotations", annotations.isEmpty ? nil : .object(annotations))
        return result
    }

    /// autoscaling/v2 → autoscaling/v1.
    static func hpaV2ToV1(_ object: JSONObject) -> JSONObject {
        var result = object
        var annotations = object.metadata["annotations"]?.objectValue ?? [:]
        var spec = object["spec"]?.objectValue ?? [:]
        var metrics = spec.entries.removeValue(forKey: "metrics")?.arrayValue ?? []
        if let index = metrics.firstIndex(where: { isCPUUtilization($0, "target") }) {
            spec["targetCPUUtilizationPercentage"] = metrics.remove(at: index)["resource"]?["target"]?["averageUtilization"]
        }
        if !metrics.isEmpty { annotations[metricsAnnotation] = .string(JSONWriter.compact(.array(metrics))) }
        if let behavior = spec.entries.removeValue(forKey: "behavior") {
            annotations[behaviorAnnotation] = .string(JSONWriter.compact(behavior))
        }
        result["spec"] = .object(spec)
        if var status = object["status"]?.objectValue {
            var current = status.entries.removeValue(forKey: "currentMetrics")?.arrayValue ?? []
            if let index = current.firstIndex(where: { isCPUUtilization($0, "current") }) {
                status["currentCPUUtilizationPercentage"] = current.remove(at: index)["resource"]?["current"]?["averageUtilization"]
            }
            if !current.isEmpty { annotations[currentMetricsAnnotation] = .string(JSONWriter.compact(.array(current))) }
            if let conditions = status.entries.removeValue(forKey: "conditions"), conditions.arrayValue?.isEmpty == false {
                annotations[conditionsAnnotation] = .string(JSONWriter.compact(conditions))
            }
            result["status"] = .object(status)
        }
        result.setMeta("annotations", annotations.isEmpty ? nil : .object(annotations))
        return result
    }
}
