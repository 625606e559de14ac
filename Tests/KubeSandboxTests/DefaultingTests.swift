import Foundation
import KeelsonTesting
import Testing

@testable import KubeSandbox

/// The defaults an API server fills in, seen through kubectl as on a cluster.
@Suite("Defaulting")
struct DefaultingTests {
    static let workloads = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: "postgres:16", ports: [{containerPort: 5432}]}]}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: "registry.local:5000/agent"}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec: {selector: {app: db}, ports: [{port: 5432}]}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: backup}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec: {restartPolicy: OnFailure, containers: [{name: backup, image: "backup:latest"}]}
        """

    @Test("workloads, Services and CronJobs get the API server's defaults; rollout status works on them")
    func defaults() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Self.workloads)
            let sts = try await kubectl.json(["get", "sts", "db"])
            #expect(sts["spec.replicas"]?.intValue == 1)
            #expect(sts.string("spec.podManagementPolicy") == "OrderedReady")
            #expect(sts.string("spec.updateStrategy.type") == "RollingUpdate")
            #expect(sts["spec.updateStrategy.rollingUpdate.partition"]?.intValue == 0)
            #expect(sts["spec.revisionHistoryLimit"]?.intValue == 10)
            #expect(sts.string("spec.template.spec.restartPolicy") == "Always")
            #expect(sts.string("spec.template.spec.dnsPolicy") == "ClusterFirst")
            #expect(sts["spec.template.spec.terminationGracePeriodSeconds"]?.intValue == 30)
            #expect(sts.string("spec.template.spec.containers.0.imagePullPolicy") == "IfNotPresent")
            #expect(sts.string("spec.template.spec.containers.0.ports.0.protocol") == "TCP")
            #expect(sts.string("spec.template.spec.containers.0.terminationMessagePolicy") == "File")

            let ds = try await kubectl.json(["get", "ds", "agent"])
            #expect(ds["spec.updateStrategy.rollingUpdate.maxUnavailable"]?.intValue == 1)
            #expect(ds.string("spec.template.spec.containers.0.imagePullPolicy") == "Always", "a registry port is not a tag")

            let service = try await kubectl.json(["get", "svc", "db"])
            #expect(service.string("spec.type") == "ClusterIP")
            #expect(service.string("spec.sessionAffinity") == "None")
            #expect(service["spec.ipFamilies"]?.arrayValue == ["IPv4"])
            #expect(service.string("spec.ports.0.protocol") == "TCP")
            #expect(service["spec.ports.0.targetPort"]?.intValue == 5432)

            let cron = try await kubectl.json(["get", "cronjob", "backup"])
            #expect(cron.string("spec.concurrencyPolicy") == "Allow")
            #expect(cron["spec.successfulJobsHistoryLimit"]?.intValue == 3)
            #expect(cron["spec.jobTemplate.spec.backoffLimit"]?.intValue == 6)
            #expect(cron.string("spec.jobTemplate.spec.template.spec.restartPolicy") == "OnFailure", "a set field is kept")
            #expect(cron.string("spec.jobTemplate.spec.template.spec.containers.0.imagePullPolicy") == "Always")

            try await kubectl.ok(["rollout", "status", "sts/db", "--timeout", "60s"])
            try await kubectl.ok(["rollout", "status", "ds/agent", "--timeout", "60s"])
        }
    }

    @Test("a Deployment's defaults are filled on create and kept on update; a set value wins")
    func deploymentDefaults() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.deployment("web"))
            let created = try await kubectl.json(["get", "deploy", "web"])
            #expect(created.string("spec.strategy.type") == "RollingUpdate")
            #expect(created.string("spec.strategy.rollingUpdate.maxSurge") == "25%")
            #expect(created["spec.progressDeadlineSeconds"]?.intValue == 600)
            #expect(created["spec.revisionHistoryLimit"]?.intValue == 10)
            try await kubectl.ok(["patch", "deploy", "web", "--type", "merge", "-p", #"{"spec":{"revisionHistoryLimit":2,"strategy":null}}"#])
            let patched = try await kubectl.json(["get", "deploy", "web"])
            #expect(patched["spec.revisionHistoryLimit"]?.intValue == 2)
            #expect(patched.string("spec.strategy.type") == "RollingUpdate", "a removed defaulted field comes back")
        }
    }

    /// Server-side apply: the applier owns what its configuration sets, not the defaults, so another
    /// manager may set a defaulted field without a conflict.
    @Test("defaults belong to no applier")
    func defaultsAreNotOwned() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "--server-side", "--field-manager", "gitops", "-f", "-"], stdin: Fixtures.deployment("web"))
            let live = try await kubectl.json(["get", "deploy", "web", "--show-managed-fields"])
            let owned = live["metadata.managedFields"]?.arrayValue?.first { $0["manager"]?.stringValue == "gitops" }
            let spec = try #require(owned?["fieldsV1"]?["f:spec"]?.objectValue)
            #expect(spec["f:replicas"] != nil)
            #expect(spec["f:revisionHistoryLimit"] == nil && spec["f:progressDeadlineSeconds"] == nil, "\(spec.keys)")
            let other = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {revisionHistoryLimit: 3}
                """
            try await kubectl.ok(["apply", "--server-side", "--field-manager", "tuner", "-f", "-"], stdin: other)
            #expect(try await kubectl.json(["get", "deploy", "web"])["spec.revisionHistoryLimit"]?.intValue == 3)
        }
    }

    @Test(
        "image pull policy follows the tag",
        arguments: [
            ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"), ("registry:5000/team/app", "Always"),
            ("registry:5000/team/app:v2", "IfNotPresent"), ("nginx@sha256:0123", "IfNotPresent"),
        ])
    func pullPolicy(image: String, policy: String) {
        #expect(Defaulting.pullPolicy(image: image) == policy)
    }
}
