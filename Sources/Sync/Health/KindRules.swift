import Manifests

/// kstatus' per-kind health rules, keyed by `group/Kind` (`Kind` for the core group).
enum KindRules {
    typealias Rule = @Sendable (ObjectView) -> ObjectHealth

    static let rules: [String: Rule] = [
        "Service": service,
        "Pod": pod,
        "Secret": { _ in HealthAssessor.current("Resource is always ready") },
        "ConfigMap": { _ in HealthAssessor.current("Resource is always ready") },
        "PersistentVolumeClaim": pvc,
        "apps/StatefulSet": statefulSet,
        "apps/DaemonSet": daemonSet,
        "apps/Deployment": deployment,
        "apps/ReplicaSet": replicaSet,
        "policy/PodDisruptionBudget": { _ in HealthAssessor.current("AllowedDisruptions has been computed.") },
        "batch/CronJob": cronJob,
        "batch/Job": job,
        "apiextensions.k8s.io/CustomResourceDefinition": crd,
        "networking.k8s.io/Ingress": { _ in HealthAssessor.current("Ingress is admitted") },
        "keelson.dev/Rollout": rollout,
    ]

    /// Keelson's Rollout: progressing while it steps, suspended while it waits for a person (as
    /// Argo CD maps a paused Rollout), and after an abort healthy when the stable copy serves,
    /// unless the Rollout asks for `abortedHealth: Degraded`.
    static func rollout(_ o: ObjectView) -> ObjectHealth {
        let message = o.string("status", "state", "message") ?? ""
        switch o.string("status", "state", "phase") ?? "Healthy" {
        case "Progressing", "Promoting": return HealthAssessor.inProgress(message.isEmpty ? "Rollout is progressing" : message)
        case "Paused": return ObjectHealth(.current, .suspended, message.isEmpty ? "Rollout is paused" : message)
        case "Aborted":
            let text = "rolled back" + (message.isEmpty ? "" : ": " + message)
            return o.string("status", "abortedHealth") == "Degraded" ? HealthAssessor.failed(text) : HealthAssessor.current(text)
        default: return HealthAssessor.current("Rollout is idle on its stable template")
        }
    }

    static func deployment(_ o: ObjectView) -> ObjectHealth {
        if o.bool("spec", "paused") { return ObjectHealth(.current, .suspended, "Deployment is paused") }
        var progressing = o.value(["spec", "progressDeadlineSeconds"]) == nil
        var available = false
        for c in o.conditions {
            if c.type == "Progressing" {
                if c.reason == "ProgressDeadlineExceeded" { return HealthAssessor.failed("Progress deadline exceeded") }
                if c.status == "True" && c.reason == "NewReplicaSetAvailable" { progressing = true }
            } else if c.type == "Available" && c.status == "True" {
                available = true
            }
        }
        let spec = o.int("spec", "replicas", default: 1)
        let replicas = o.int("status", "replicas", default: 0)
        let updated = o.int("status", "updatedReplicas", default: 0)
        let ready = o.int("status", "readyReplicas", default: 0)
        let availableReplicas = o.int("status", "availableReplicas", default: 0)
        if spec > replicas { return HealthAssessor.inProgress("Replicas: \(replicas)/\(spec)") }
        if spec > updated { return HealthAssessor.inProgress("Updated: \(updated)/\(spec)") }
        if replicas > spec { return HealthAssessor.inProgress("Pending termination: \(replicas - spec)") }
        if updated > availableReplicas { return HealthAssessor.inProgress("Available: \(availableReplicas)/\(updated)") }
        if spec > ready { return HealthAssessor.inProgress("Ready: \(ready)/\(spec)") }
        if !progressing { return HealthAssessor.inProgress("ReplicaSet not Available") }
        if !available { return HealthAssessor.inProgress("Deployment not Available") }
        return HealthAssessor.current("Deployment is available. Replicas: \(replicas)")
    }

    static func statefulSet(_ o: ObjectView) -> ObjectHealth {
        if o.string("spec", "updateStrategy", "type") == "OnDelete" {
            return HealthAssessor.current("StatefulSet is using the ondelete update strategy")
        }
        let spec = o.int("spec", "replicas", default: 1)
        let ready = o.int("status", "readyReplicas", default: 0)
        let current = o.int("status", "currentReplicas", default: 0)
        let updated = o.int("status", "updatedReplicas", default: 0)
        let replicas = o.int("status", "replicas", default: 0)
        let partition = o.int("spec", "updateStrategy", "rollingUpdate", "partition", default: -1)
        if spec > replicas { return HealthAssessor.inProgress("Replicas: \(replicas)/\(spec)") }
        if spec > ready { return HealthAssessor.inProgress("Ready: \(ready)/\(spec)") }
        if replicas > spec { return HealthAssessor.inProgress("Pending termination: \(replicas - spec)") }
        if partition != -1 {
            if updated < spec - partition { return HealthAssessor.inProgress("updated: \(updated)/\(spec - partition)") }
            return HealthAssessor.current("Partition rollout complete. updated: \(updated)")
        }
        if spec > current { return HealthAssessor.inProgress("current: \(current)/\(spec)") }
        if o.string("status", "currentRevision") != o.string("status", "updateRevision") {
            return HealthAssessor.inProgress("Waiting for updated revision to match current")
        }
        return HealthAssessor.current("All replicas scheduled as expected. Replicas: \(replicas)")
    }

    static func daemonSet(_ o: ObjectView) -> ObjectHealth {
        guard o.int("metadata", "generation") != nil else { return HealthAssessor.inProgress("DaemonSet metadata.generation not found") }
        guard o.int("status", "observedGeneration") != nil else {
            return HealthAssessor.inProgress("DaemonSet status.observedGeneration not found")
        }
        guard let desired = o.int("status", "desiredNumberScheduled") else {
            return HealthAssessor.inProgress("Missing .status.desiredNumberScheduled")
        }
        let current = o.int("status", "currentNumberScheduled", default: 0)
        let updated = o.int("status", "updatedNumberScheduled", default: 0)
        let available = o.int("status", "numberAvailable", default: 0)
        let ready = o.int("status", "numberReady", default: 0)
        if desired > current { return HealthAssessor.inProgress("Current: \(current)/\(desired)") }
        if desired > updated { return HealthAssessor.inProgress("Updated: \(updated)/\(desired)") }
        if desired > available { return HealthAssessor.inProgress("Available: \(available)/\(desired)") }
        if desired > ready { return HealthAssessor.inProgress("Ready: \(ready)/\(desired)") }
        return HealthAssessor.current("All replicas scheduled as expected. Replicas: \(desired)")
    }

    static func replicaSet(_ o: ObjectView) -> ObjectHealth {
        if let failure = o.condition("ReplicaFailure"), failure.status == "True" {
            return HealthAssessor.inProgress("Replica Failure condition. Check Pods")
        }
        let spec = o.int("spec", "replicas", default: 1)
        let replicas = o.int("status", "replicas", default: 0)
        let ready = o.int("status", "readyReplicas", default: 0)
        let available = o.int("status", "availableReplicas", default: 0)
        let labelled = o.int("status", "fullyLabeledReplicas", default: 0)
        if spec > labelled { return HealthAssessor.inProgress("Labelled: \(labelled)/\(spec)") }
        if spec > available { return HealthAssessor.inProgress("Available: \(available)/\(spec)") }
        if spec > ready { return HealthAssessor.inProgress("Ready: \(ready)/\(spec)") }
        if replicas > spec { return HealthAssessor.inProgress("Pending termination: \(replicas - spec)") }
        return HealthAssessor.current("ReplicaSet is available. Replicas: \(replicas)")
    }

    static func pod(_ o: ObjectView) -> ObjectHealth {
        switch o.string("status", "phase") ?? "" {
        case "Succeeded": return HealthAssessor.current("Pod has completed successfully")
        case "Failed": return HealthAssessor.current("Pod has completed, but not successfully")
        case "Running":
            if o.condition("Ready")?.status == "True" { return HealthAssessor.current("Pod is Ready") }
            let crashing = (o.value(["status", "containerStatuses"])?.arrayValue ?? []).compactMap { status -> String? in
                status[path: ["state", "waiting", "reason"]]?.stringValue == "CrashLoopBackOff" ? status["name"]?.stringValue : nil
            }
            if !crashing.isEmpty { return HealthAssessor.failed("Containers in CrashLoop state: \(crashing.joined(separator: ","))") }
            return HealthAssessor.inProgress("Pod is running but is not Ready")
        case "Pending":
            if let scheduled = o.condition("PodScheduled"), scheduled.status == "False", scheduled.reason == "Unschedulable" {
                return HealthAssessor.failed("Pod could not be scheduled")
            }
            return HealthAssessor.inProgress("Pod is in the Pending phase")
        case "": return HealthAssessor.inProgress("Pod phase not available")
        case let phase: return ObjectHealth(.unknown, .unknown, "unknown phase \(phase)")
        }
    }

    static func pvc(_ o: ObjectView) -> ObjectHealth {
        let phase = o.string("status", "phase") ?? "unknown"
        return phase == "Bound" ? HealthAssessor.current("PVC is Bound") : HealthAssessor.inProgress("PVC is not Bound. phase: \(phase)")
    }

    static func job(_ o: ObjectView) -> ObjectHealth {
        let parallelism = o.int("spec", "parallelism", default: 1)
        let completions = o.int("spec", "completions", default: parallelism)
        let succeeded = o.int("status", "succeeded", default: 0)
        let failed = o.int("status", "failed", default: 0)
        for c in o.conditions where c.status == "True" {
            switch c.type {
            case "Complete": return HealthAssessor.current("Job Completed. succeeded: \(succeeded)/\(completions)")
            case "Failed": return HealthAssessor.failed("Job Failed. failed: \(failed)/\(completions)")
            case "Suspended": return ObjectHealth(.current, .suspended, "Job is suspended")
            default: continue
            }
        }
        if (o.string("status", "startTime") ?? "").isEmpty { return HealthAssessor.inProgress("Job not started") }
        let active = o.int("status", "active", default: 0)
        return HealthAssessor.current("Job in progress. success:\(succeeded), active: \(active), failed: \(failed)")
    }

    static func cronJob(_ o: ObjectView) -> ObjectHealth {
        o.bool("spec", "suspend") ? ObjectHealth(.current, .suspended, "CronJob is suspended") : HealthAssessor.current("Resource is always ready")
    }

    static func service(_ o: ObjectView) -> ObjectHealth {
        if o.string("spec", "type") == "LoadBalancer" && (o.string("spec", "clusterIP") ?? "").isEmpty {
            return HealthAssessor.inProgress("ClusterIP not set. Service type: LoadBalancer")
        }
        return HealthAssessor.current("Service is ready")
    }

    static func crd(_ o: ObjectView) -> ObjectHealth {
        for c in o.conditions {
            if c.type == "NamesAccepted" && c.status == "False" { return HealthAssessor.failed(c.message) }
            if c.type == "Established" {
                if c.status == "False" && c.reason != "Installing" { return HealthAssessor.failed(c.message) }
                if c.status == "True" { return HealthAssessor.current("CRD is established") }
            }
        }
        return HealthAssessor.inProgress("Install in progress")
    }
}
