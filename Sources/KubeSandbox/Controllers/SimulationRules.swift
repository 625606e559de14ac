import Foundation
import Manifests

/// How one kind's simulated controller moves status: when work is pending, and the status while
/// progressing, once ready and once failed.
struct SimulationRule: Sendable {
    /// The generation that still needs a status, or `nil` when the status is current.
    var pendingGeneration: @Sendable (JSONObject) -> Int64?
    /// The status right after a change, or `nil` to leave it.
    var progressing: @Sendable (JSONObject) -> JSONValue?
    /// The status once the delay has passed.
    var ready: @Sendable (JSONObject) -> JSONValue?
    /// The status of a workload that cannot become ready.
    var failed: @Sendable (JSONObject) -> JSONValue?
}

/// The simulated controllers, as one table keyed by resource.
enum SimulationRules {
    /// The pod-template annotation that makes a workload fail on purpose.
    static let failAnnotation = "sandbox.keelson.dev/fail"

    static let rules: [String: SimulationRule] = [
        "apps/deployments": workload(ready: deploymentStatus(ready: true), failed: deploymentStatus(ready: false)),
        "apps/replicasets": workload(ready: replicaSetStatus(ready: true), failed: replicaSetStatus(ready: false)),
        "apps/statefulsets": workload(ready: statefulSetStatus(ready: true), failed: statefulSetStatus(ready: false)),
        "apps/daemonsets": workload(ready: daemonSetStatus(ready: true), failed: daemonSetStatus(ready: false)),
        "batch/jobs": once(
            progressing: { _ in ["active": 1, "startTime": .string(now())] },
            ready: jobStatus(succeeded: true), failed: jobStatus(succeeded: false)),
        "/pods": once(progressing: { _ in ["phase": "Pending"] }, ready: podStatus(ready: true), failed: podStatus(ready: false)),
        // The API server accepts a CRD's names and establishes it at once.
        "apiextensions.k8s.io/customresourcedefinitions": once(progressing: crdStatus, ready: crdStatus, failed: crdStatus),
        "/persistentvolumeclaims": once(
            progressing: { _ in ["phase": "Pending"] },
            ready: { object in
                [
                    "phase": "Bound", "accessModes": object["spec"]?["accessModes"] ?? ["ReadWriteOnce"],
                    "capacity": ["storage": object["spec"]?["resources"]?["requests"]?["storage"] ?? "1Gi"],
                ]
            }, failed: { _ in ["phase": "Pending"] }),
    ]

    /// The rule for a storage identity (`group/plural`).
    static func rule(forStorageID id: String) -> SimulationRule? { rules[id] }

    /// `metadata.generation`, or 0.
    static func generation(of object: JSONObject) -> Int64 { object.metadata["generation"]?.intValue ?? 0 }

    /// Whether the object's pod template (or the pod itself) asks to fail.
    static func isBroken(_ object: JSONObject) -> Bool {
        let template = object["spec"]?["template"] ?? .object(object)
        if template["metadata"]?["annotations"]?[failAnnotation]?.stringValue == "true" { return true }
        let containers = template["spec"]?["containers"]?.arrayValue ?? []
        return containers.contains { $0["image"]?.stringValue?.hasSuffix("-broken") == true }
    }

    private static func now() -> String { Timestamp.string(Date()) }

    private static func replicas(_ object: JSONObject) -> Int64 { object["spec"]?["replicas"]?.intValue ?? 1 }

    /// Workloads: pending whenever `status.observedGeneration` lags `metadata.generation`.
    private static func workload(
        ready: @escaping @Sendable (JSONObject) -> JSONValue?, failed: @escaping @Sendable (JSONObject) -> JSONValue?
    ) -> SimulationRule {
        SimulationRule(
            pendingGeneration: { object in
                let generation = generation(of: object)
                return object["status"]?["observedGeneration"]?.intValue == generation ? nil : generation
            },
            progressing: { object in
                var status = object["status"]?.objectValue ?? [:]
                status["observedGeneration"] = .int(generation(of: object))
                if object["kind"]?.stringValue == "Deployment" {
                    status["conditions"] = [condition("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet is progressing.")]
                }
                return .object(status)
            }, ready: ready, failed: failed)
    }

    /// Objects without generations: pending until a terminal status has been written once.
    private static func once(
        progressing: @escaping @Sendable (JSONObject) -> JSONValue?, ready: @escaping @Sendable (JSONObject) -> JSONValue?,
        failed: @escaping @Sendable (JSONObject) -> JSONValue?
    ) -> SimulationRule {
        SimulationRule(
            pendingGeneration: { object in object["status"] == nil || object["status"] == [:] ? generation(of: object) : nil },
            progressing: progressing, ready: ready, failed: failed)
    }

    static func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
        [
            "type": .string(type), "status": .string(status), "lastUpdateTime": .string(now()),
            "lastTransitionTime": .string(now()), "reason": .string(reason), "message": .string(message),
        ]
    }

    private static func deploymentStatus(ready: Bool) -> @Sendable (JSONObject) -> JSONValue? {
        { object in
            let count = replicas(object)
            let name = object.name
            let readyCount = readyReplicas(of: object, replicas: count)
            if ready && readyCount < count {
                // A capped Deployment is neither available nor complete, nor has it failed.
                var status: JSONObject = [
                    "observedGeneration": .int(generation(of: object)), "replicas": .int(count), "updatedReplicas": .int(count),
                    "unavailableReplicas": .int(count - readyCount),
                    "conditions": [
                        condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
                        condition("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"\(name)\" is progressing."),
                    ],
                ]
                // As the API server writes them, zero counts are left out.
                if readyCount > 0 {
                    status["readyReplicas"] = .int(readyCount)
                    status["availableReplicas"] = .int(readyCount)
                }
                return .object(status)
            }
            if ready {
                return [
                    "observedGeneration": .int(generation(of: object)), "replicas": .int(count), "updatedReplicas": .int(count),
                    "readyReplicas": .int(count), "availableReplicas": .int(count),
                    "conditions": [
                        condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
                        condition("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet \"\(name)\" has successfully progressed."),
                    ],
                ]
            }
            return [
                "observedGeneration": .int(generation(of: object)), "replicas": .int(count), "updatedReplicas": .int(count),
                "unavailableReplicas": .int(count),
                "conditions": [
                    condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
                    condition("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"\(name)\" has timed out progressing."),
                ],
            ]
        }
    }

    private static func replicaSetStatus(ready: Bool) -> @Sendable (JSONObject) -> JSONValue? {
        { object in
            let count = replicas(object)
            let readyCount = ready ? readyReplicas(of: object, replicas: count) : 0
            return [
                "observedGeneration": .int(generation(of: object)), "replicas": .int(count),
                "fullyLabeledReplicas": .int(count), "readyReplicas": .int(readyCount), "availableReplicas": .int(readyCount),
            ]
        }
    }

    private static func statefulSetStatus(ready: Bool) -> @Sendable (JSONObject) -> JSONValue? {
        { object in
            let count = replicas(object)
            let revision = JSONValue.string("\(object.name)-\(generation(of: object))")
            return [
                "observedGeneration": .int(generation(of: object)), "replicas": .int(count),
                "readyReplicas": .int(ready ? count : 0), "currentReplicas": .int(count), "updatedReplicas": .int(count),
                "availableReplicas": .int(ready ? count : 0), "currentRevision": revision, "updateRevision": revision,
            ]
        }
    }

    private static func daemonSetStatus(ready: Bool) -> @Sendable (JSONObject) -> JSONValue? {
        { object in
            [
                "observedGeneration": .int(generation(of: object)), "desiredNumberScheduled": 1, "currentNumberScheduled": 1,
                "updatedNumberScheduled": 1, "numberReady": .int(ready ? 1 : 0), "numberAvailable": .int(ready ? 1 : 0),
                "numberMisscheduled": 0,
            ]
        }
    }

    private static func jobStatus(succeeded: Bool) -> @Sendable (JSONObject) -> JSONValue? {
        { object in
            let start = object["status"]?["startTime"] ?? .string(now())
            if succeeded {
                let completions = object["spec"]?["completions"]?.intValue ?? 1
                return [
                    "startTime": start, "completionTime": .string(now()), "succeeded": .int(completions), "ready": 0,
                    "conditions": [
                        condition("SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods"),
                        condition("Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods"),
                    ],
                ]
            }
            return [
                "startTime": start, "failed": .int((object["spec"]?["backoffLimit"]?.intValue ?? 6) + 1), "ready": 0,
                "conditions": [
                    condition("FailureTarget", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
                    condition("Failed", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
                ],
            ]
        }
    }

    private static let crdStatus: @Sendable (JSONObject) -> JSONValue? = { object in
        [
            "acceptedNames": object["spec"]?["names"] ?? [:],
            "storedVersions": .array((object["spec"]?["versions"]?.arrayValue ?? []).filter { $0["storage"] == true }.compactMap { $0["name"] }),
            "conditions": [
                condition("NamesAccepted", "True", "NoConflicts", "no conflicts found"),
                condition("Established", "True", "InitialNamesAccepted", "the initial names have been accepted"),
            ],
        ]
    }

    private static func podStatus(ready: Bool) -> @Sendable (JSONObject) -> JSONValue? {
        { object in
            // Pods that do not restart run to completion, like hook and job pods.
            let restart = object["spec"]?["restartPolicy"]?.stringValue ?? "Always"
            if restart == "Never" || restart == "OnFailure" {
                return ["phase": ready ? "Succeeded" : "Failed", "startTime": .string(now())]
            }
            let containers = (object["spec"]?["containers"]?.arrayValue ?? []).map { container -> JSONValue in
                let state: JSONValue =
                    ready
                    ? ["running": ["startedAt": .string(now())]]
                    : ["waiting": ["reason": "ImagePullBackOff", "message": "Back-off pulling image"]]
                return [
                    "name": container["name"] ?? "", "image": container["image"] ?? "", "ready": .bool(ready),
                    "started": .bool(ready), "restartCount": 0, "state": state,
                ]
            }
            let flag = ready ? "True" : "False"
            return [
                "phase": ready ? "Running" : "Pending", "podIP": "10.244.0.10", "hostIP": "172.18.0.2",
                "startTime": .string(now()), "containerStatuses": .array(containers),
                "conditions": [
                    condition("PodScheduled", "True", "Scheduled", ""), condition("Initialized", "True", "Initialized", ""),
                    condition("ContainersReady", flag, ready ? "ContainersReady" : "ContainersNotReady", ""),
                    condition("Ready", flag, ready ? "PodReady" : "ContainersNotReady", ""),
                ],
            ]
        }
    }
}
