import Kube
import Manifests

/// Measures with a Kubernetes Job: creates `batch/v1` Job `<rollout>-<run>-<metric>-<n>` from
/// the metric's template in the Rollout's namespace (labelled `keelson.dev/generated-by:
/// rollout.<name>`, owned by the Rollout when its uid is known) and reports Running with the
/// Job's name as the resume key. Later ticks read it: Complete is Successful, Failed is Failed,
/// and a finished Job is deleted (background propagation takes its pods).
///
/// The name is derived, not random, so a controller killed between creating the Job and
/// writing the status finds the same Job again instead of starting a second one.
public struct JobProvider: MetricProvider {
    static let jobs = GroupVersionKind(group: "batch", version: "v1", kind: "Job")

    let client: any KubernetesAPI
    let fieldManager: String

    /// Creates a provider writing through `client` as `fieldManager`.
    public init(client: any KubernetesAPI, fieldManager: String = "keelson") {
        self.client = client
        self.fieldManager = fieldManager
    }

    /// Creates the Job, or reads the one in flight.
    public func measure(_ request: MeasurementRequest) async -> Observation {
        guard case .job(let template) = request.metric.request else { return .error("the metric is not a job metric") }
        if let name = request.inFlight?.resumeKey { return await check(name, namespace: request.context.namespace) }
        let job = Self.job(template, request: request)
        do {
            _ = try await client.create(job, options: WriteOptions(fieldManager: fieldManager))
        } catch  where error.isAlreadyExists {
            // Created before a restart: the same name is the same measurement.
        } catch {
            return .error("cannot create Job \(job.name): \(error.message)")
        }
        return .running(resumeKey: job.name, message: "Job \(job.name) is running")
    }

    /// Deletes the in-flight Job.
    public func terminate(_ request: MeasurementRequest) async -> Observation {
        if let name = request.inFlight?.resumeKey { await delete(name, namespace: request.context.namespace) }
        return .finished(.successful, message: "\(request.metric.name): stopped, the run is over")
    }

    /// The verdict of Job `name`, deleting it once it has one.
    private func check(_ name: String, namespace: String) async -> Observation {
        let job: Manifest
        do {
            job = try await client.get(Self.jobs, name: name, namespace: namespace)
        } catch  where error.isNotFound {
            return .error("Job \(name) no longer exists")
        } catch {
            return .running(resumeKey: name, message: "Job \(name) could not be read: \(error.message)")
        }
        let conditions = job.object["status"]?["conditions"]?.arrayValue ?? []
        func condition(_ type: String) -> JSONValue? {
            conditions.first { $0["type"]?.stringValue == type && $0["status"]?.stringValue == "True" }
        }
        if condition("Complete") != nil {
            await delete(name, namespace: namespace)
            return .finished(.successful, message: "Job \(name) completed")
        }
        if let failed = condition("Failed") {
            await delete(name, namespace: namespace)
            let reason = [failed["reason"]?.stringValue, failed["message"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            return .finished(.failed, message: "Job \(name) failed" + (reason.isEmpty ? "" : ": " + reason))
        }
        return .running(resumeKey: name, message: "Job \(name) is running")
    }

    /// Deletes Job `name` and its pods; a Job already gone is fine, and another failure only
    /// leaves it to the Rollout's garbage collection.
    private func delete(_ name: String, namespace: String) async {
        _ = try? await client.delete(Self.jobs, name: name, namespace: namespace, options: DeleteOptions(propagationPolicy: .background))
    }

    /// The Job to create for `request`.
    static func job(_ template: JSONObject, request: MeasurementRequest) -> Manifest {
        let context = request.context
        let name = JobName.make(rollout: context.rollout, runID: request.runID, metric: request.metric.name, ordinal: request.ordinal)
        var labels = template["metadata"]?["labels"]?.objectValue ?? [:]
        labels[RolloutAPI.generatedByLabel] = .string("rollout." + context.rollout)
        var metadata: JSONObject = ["name": .string(name), "namespace": .string(context.namespace), "labels": .object(labels)]
        if let annotations = template["metadata"]?["annotations"] { metadata["annotations"] = annotations }
        if let uid = context.rolloutUID {
            metadata["ownerReferences"] = [
                [
                    "apiVersion": .string(RolloutAPI.apiVersion), "kind": .string(RolloutAPI.rolloutKind), "name": .string(context.rollout),
                    "uid": .string(uid), "controller": true,
                ]
            ]
        }
        var spec = template["spec"] ?? [:]
        // A Job's pods must not restart in place; Never is what a measurement means when unset.
        if spec["template"]?["spec"]?["restartPolicy"] == nil, spec["template"]?["spec"] != nil {
            spec["template"]?["spec"]?["restartPolicy"] = "Never"
        }
        return Manifest(unchecked: ["apiVersion": "batch/v1", "kind": "Job", "metadata": .object(metadata), "spec": spec])
    }
}
