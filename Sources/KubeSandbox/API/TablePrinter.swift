import Foundation
import Manifests

/// Server-side printing: the `meta.k8s.io/v1` `Table` kubectl asks for to print `kubectl get`.
enum TablePrinter {
    /// One printed column: its header, type and how to compute a cell.
    struct Column: Sendable {
        var name: String
        var type: String
        /// Above 0, kubectl prints the column only with `-o wide`.
        var priority = 0
        var cell: @Sendable (JSONObject, Date) -> JSONValue
    }

    /// The columns per kind, as a real API server prints them; other kinds get Name and Age.
    static let columns: [String: [Column]] = [
        "apps/Deployment": [
            name, int("Ready") { "\(intAt($0, "status", "readyReplicas"))/\(intAt($0, "spec", "replicas", default: 1))" },
            intCell("Up-to-date", "status", "updatedReplicas"), intCell("Available", "status", "availableReplicas"), age,
        ] + templateColumns(selector: true),
        "apps/StatefulSet": [name, int("Ready") { "\(intAt($0, "status", "readyReplicas"))/\(intAt($0, "spec", "replicas", default: 1))" }, age]
            + templateColumns(selector: false),
        "apps/ReplicaSet": [
            name, intCell("Desired", "spec", "replicas"), intCell("Current", "status", "replicas"),
            intCell("Ready", "status", "readyReplicas"), age,
        ] + templateColumns(selector: true),
        "/Pod": [
            name,
            int("Ready") { object in
                let statuses = object["status"]?["containerStatuses"]?.arrayValue ?? []
                let total = object["spec"]?["containers"]?.arrayValue?.count ?? 0
                return "\(statuses.filter { $0["ready"]?.boolValue == true }.count)/\(total)"
            },
            Column(name: "Status", type: "string") { object, _ in object["status"]?["phase"] ?? "Pending" },
            Column(name: "Restarts", type: "string") { _, _ in "0" }, age,
            wideCell("IP", "status", "podIP"), wideCell("Node", "spec", "nodeName"), wideCell("Nominated Node", "status", "nominatedNodeName"),
            Column(name: "Readiness Gates", type: "string", priority: 1) { object, _ in
                let gates = object["spec"]?["readinessGates"]?.arrayValue ?? []
                guard !gates.isEmpty else { return "<none>" }
                let conditions = object["status"]?["conditions"]?.arrayValue ?? []
                let met = gates.filter { gate in
                    conditions.contains { $0["type"] == gate["conditionType"] && $0["status"] == "True" }
                }
                return .string("\(met.count)/\(gates.count)")
            },
        ],
        "/Service": [
            name, stringCell("Type", "spec", "type"), stringCell("Cluster-IP", "spec", "clusterIP"),
            Column(name: "External-IP", type: "string") { _, _ in "<none>" },
            Column(name: "Port(s)", type: "string") { object, _ in
                let ports = (object["spec"]?["ports"]?.arrayValue ?? []).map {
                    "\($0["port"]?.intValue ?? 0)/\($0["protocol"]?.stringValue ?? "TCP")"
                }
                return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
            }, age,
            Column(name: "Selector", type: "string", priority: 1) { object, _ in .string(pairs(object["spec"]?["selector"])) },
        ],
        "/ConfigMap": [
            name,
            Column(name: "Data", type: "integer") { object, _ in
                .int((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0))
            }, age,
        ],
        "/Namespace": [name, stringCell("Status", "status", "phase"), age],
        "batch/Job": [
            name, Column(name: "Status", type: "string") { object, _ in .string(jobStatus(object)) },
            int("Completions") { object in
                if let completions = object["spec"]?["completions"]?.intValue { return "\(intAt(object, "status", "succeeded"))/\(completions)" }
                let parallelism = intAt(object, "spec", "parallelism", default: 1)
                return parallelism > 1 ? "\(intAt(object, "status", "succeeded"))/1 of \(parallelism)" : "\(intAt(object, "status", "succeeded"))/1"
            },
            Column(name: "Duration", type: "string") { object, now in
                guard let start = object["status"]?["startTime"]?.stringValue.flatMap(Timestamp.date) else { return "" }
                let end = object["status"]?["completionTime"]?.stringValue.flatMap(Timestamp.date) ?? now
                return .string(humanAge(Int(end.timeIntervalSince(start))))
            }, age,
        ] + templateColumns(selector: true),
        "apps/DaemonSet": [
            name, intCell("Desired", "status", "desiredNumberScheduled"), intCell("Current", "status", "currentNumberScheduled"),
            intCell("Ready", "status", "numberReady"), intCell("Up-to-date", "status", "updatedNumberScheduled"),
            intCell("Available", "status", "numberAvailable"),
            Column(name: "Node Selector", type: "string") { object, _ in .string(pairs(object["spec"]?["template"]?["spec"]?["nodeSelector"])) },
            age,
        ] + templateColumns(selector: true),
        "/PersistentVolumeClaim": [name, stringCell("Status", "status", "phase"), age],
        "scheduling.k8s.io/PriorityClass": [
            name, intCell("Value", "value"),
            Column(name: "Global-Default", type: "boolean") { object, _ in object["globalDefault"] ?? false }, age,
            stringCell("PreemptionPolicy", "preemptionPolicy"),
        ],
        "autoscaling/HorizontalPodAutoscaler": [
            name,
            Column(name: "Reference", type: "string") { object, _ in
                let target = object["spec"]?["scaleTargetRef"]
                return .string("\(target?["kind"]?.stringValue ?? "")/\(target?["name"]?.stringValue ?? "")")
            },
            Column(name: "Targets", type: "string") { object, _ in .string(autoscalerTargets(object)) },
            int("MinPods") { String(intAt($0, "spec", "minReplicas", default: 1)) }, intCell("MaxPods", "spec", "maxReplicas"),
            intCell("Replicas", "status", "currentReplicas"), age,
        ],
    ]

    /// A string map as kubectl prints one (`labels.FormatLabels`): `k=v` sorted, comma-separated; `<none>` when empty.
    static func pairs(_ map: JSONValue?) -> String {
        let pairs = (map?.objectValue ?? [:]).compactMap { key, value in value.stringValue.map { "\(key)=\($0)" } }
        return pairs.isEmpty ? "<none>" : pairs.sorted().joined(separator: ",")
    }

    /// A Job's status as kubectl prints it: the first of its terminal, terminating, suspended and
    /// interim states that holds, else Running.
    static func jobStatus(_ object: JSONObject) -> String {
        let conditions = object["status"]?["conditions"]?.arrayValue ?? []
        func holds(_ type: String) -> Bool { conditions.contains { $0["type"]?.stringValue == type && $0["status"] == "True" } }
        if holds("Complete") { return "Complete" }
        if holds("Failed") { return "Failed" }
        if object.isTerminating { return "Terminating" }
        for state in ["Suspended", "FailureTarget", "SuccessCriteriaMet"] where holds(state) { return state }
        return "Running"
    }

    /// An autoscaler's resource utilization targets as kubectl prints them (`cpu: <unknown>/80%`):
    /// the v1 CPU target or the v2 resource metrics; no controller measures, so the current value is unknown.
    static func autoscalerTargets(_ object: JSONObject) -> String {
        if let cpu = object["spec"]?["targetCPUUtilizationPercentage"]?.intValue { return "cpu: <unknown>/\(cpu)%" }
        let targets = (object["spec"]?["metrics"]?.arrayValue ?? []).compactMap { metric -> String? in
            guard let resource = metric["resource"], let name = resource["name"]?.stringValue else { return nil }
            if let utilization = resource["target"]?["averageUtilization"]?.intValue { return "\(name): <unknown>/\(utilization)%" }
            return resource["target"]?["averageValue"]?.stringValue.map { "\(name): <unknown>/\($0)" }
        }
        return targets.isEmpty ? "<none>" : targets.joined(separator: ", ")
    }

    /// The Table for a list of objects of one type, with a custom resource's declared columns
    /// (`custom`) when it has them.
    static func table(
        _ objects: [JSONObject], type: ResourceType, custom: [Column]? = nil, revision: Int64?, includeObject: String?, now: Date = Date()
    ) -> JSONValue {
        let columns = custom ?? columns["\(type.group)/\(type.kind)"] ?? [name, age]
        let definitions = columns.enumerated().map { index, column -> JSONValue in
            [
                "name": .string(column.name), "type": .string(column.type), "format": index == 0 ? "name" : "",
                "description": .string(column.name), "priority": .int(Int64(column.priority)),
            ]
        }
        let rows = objects.map { object -> JSONValue in
            var row: JSONObject = ["cells": .array(columns.map { $0.cell(object, now) })]
            switch includeObject {
            case "None": break
            case "Object": row["object"] = .object(object)
            default:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": .object(object.metadata)]
            }
            return .object(row)
        }
        var metadata = JSONObject()
        if let revision { metadata["resourceVersion"] = .string(String(revision)) }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(metadata),
            "columnDefinitions": .array(definitions), "rows": .array(rows),
        ]
    }

    /// Whether a request's Accept header asks for a Table.
    static func wanted(_ accept: String?) -> Bool { accept?.contains("as=Table") == true }

    /// An age as kubectl prints it: `45s`, `3m20s`, `65m`, `5h`, `3d`.
    static func humanAge(_ seconds: Int) -> String {
        switch seconds {
        case ..<0: return "<invalid>"
        case ..<120: return "\(seconds)s"
        case ..<600: return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s"
        case ..<(3 * 3600): return "\(seconds / 60)m"
        case ..<(8 * 3600): return (seconds % 3600) / 60 == 0 ? "\(seconds / 3600)h" : "\(seconds / 3600)h\((seconds % 3600) / 60)m"
        case ..<(48 * 3600): return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }

    /// The Name column every table starts with.
    static let name = Column(name: "Name", type: "string") { object, _ in .string(object.name) }

    /// The `-o wide` columns of a workload, from its pod template: Containers, Images and, for
    /// kinds with a label selector, Selector (`metav1.FormatLabelSelector`: requirements by key).
    private static func templateColumns(selector: Bool) -> [Column] {
        let containers: @Sendable (JSONObject) -> [JSONValue] = { $0["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? [] }
        var columns = [
            Column(name: "Containers", type: "string", priority: 1) { object, _ in
                .string(containers(object).compactMap { $0["name"]?.stringValue }.joined(separator: ","))
            },
            Column(name: "Images", type: "string", priority: 1) { object, _ in
                .string(containers(object).compactMap { $0["image"]?.stringValue }.joined(separator: ","))
            },
        ]
        if selector {
            columns.append(
                Column(name: "Selector", type: "string", priority: 1) { object, _ in
                    guard let spec = object["spec"]?["selector"]?.objectValue, let parsed = try? LabelSelector(spec) else { return "<none>" }
                    let terms = parsed.requirements.map(\.text).sorted { $0.drop { $0 == "!" } < $1.drop { $0 == "!" } }
                    return .string(terms.isEmpty ? "<none>" : terms.joined(separator: ","))
                })
        }
        return columns
    }

    /// A `-o wide` text cell, `<none>` when absent.
    private static func wideCell(_ header: String, _ path: String...) -> Column {
        Column(name: header, type: "string", priority: 1) { object, _ in
            .string(JSONValue.object(object)[path: path]?.stringValue ?? "<none>")
        }
    }
    private static let age = Column(name: "Age", type: "string") { object, now in
        guard let created = object.meta("creationTimestamp").flatMap(Timestamp.date) else { return "<unknown>" }
        return .string(humanAge(Int(now.timeIntervalSince(created))))
    }

    private static func int(_ header: String, _ text: @escaping @Sendable (JSONObject) -> String) -> Column {
        Column(name: header, type: "string") { object, _ in .string(text(object)) }
    }

    private static func intAt(_ object: JSONObject, _ path: String..., default fallback: Int64 = 0) -> Int64 {
        JSONValue.object(object)[path: path]?.intValue ?? fallback
    }

    private static func intCell(_ header: String, _ path: String...) -> Column {
        Column(name: header, type: "integer") { object, _ in .int(JSONValue.object(object)[path: path]?.intValue ?? 0) }
    }

    private static func stringCell(_ header: String, _ path: String...) -> Column {
        Column(name: header, type: "string") { object, _ in
            var current: JSONValue? = .object(object)
            for key in path {
                current = Int(key).flatMap { current?.arrayValue?.indices.contains($0) == true ? current?.arrayValue?[$0] : nil } ?? current?[key]
            }
            return current ?? "<none>"
        }
    }
}
