import Foundation
import KeelsonTesting
import Manifests
import Testing

/// Issue 16, item 7: a Deployment's pod templates become ReplicaSets with revisions, so the real
/// kubectl's `rollout history`, `rollout undo` and `describe deployment` work against the sandbox.
@Suite struct DeploymentRolloutTests {
    /// The ReplicaSets labelled `app=web`, by revision: (name, replicas, image).
    static func replicaSets(_ kubectl: Kubectl) async throws -> [Int: (name: String, replicas: Int64, image: String)] {
        let list = try await kubectl.json(["get", "rs", "-l", "app=web"])
        var result: [Int: (name: String, replicas: Int64, image: String)] = [:]
        for item in list["items"]?.arrayValue ?? [] {
            let rs = JSONValueBox(value: item)
            guard let revision = Self.revision(item) else { continue }
            result[revision] = (
                rs.string("metadata.name") ?? "", rs["spec.replicas"]?.intValue ?? -1, rs.string("spec.template.spec.containers.0.image") ?? ""
            )
        }
        return result
    }

    /// `deployment.kubernetes.io/revision` of an object.
    static func revision(_ object: JSONValue?) -> Int? {
        object?["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"]?.stringValue.flatMap { Int($0) }
    }

    @Test("rollout history lists a Deployment's revisions, rollout undo brings the previous template back, describe shows the ReplicaSets")
    func historyUndoAndDescribe() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.deployment("web", replicas: 2, image: "nginx:1.25"))
            try await kubectl.ok(["rollout", "status", "deploy/web", "--timeout", "60s"])
            try await eventually("the first ReplicaSet exists") { try await Self.replicaSets(kubectl).count == 1 }

            try await kubectl.ok(["set", "image", "deploy/web", "main=nginx:1.26"])
            try await kubectl.ok(["annotate", "deploy/web", "kubernetes.io/change-cause=bump to 1.26", "--overwrite"])
            try await kubectl.ok(["rollout", "status", "deploy/web", "--timeout", "60s"])
            try await eventually("the old ReplicaSet is scaled down") {
                let sets = try await Self.replicaSets(kubectl)
                return sets[1]?.replicas == 0 && sets[2]?.replicas == 2 && sets[2]?.image == "nginx:1.26"
            }
            let first = try #require(try await Self.replicaSets(kubectl)[1])
            let rs = try await kubectl.json(["get", "rs", first.name])
            let deployment = try await kubectl.json(["get", "deploy", "web"])
            #expect(rs.string("metadata.ownerReferences.0.uid") == deployment.string("metadata.uid"))
            #expect(rs["metadata.ownerReferences.0.controller"]?.boolValue == true)
            #expect(rs.string("metadata.labels.pod-template-hash").map { first.name.hasSuffix("-" + $0) } == true)
            #expect(Self.revision(deployment.value) == 2)

            let history = try await kubectl.ok(["rollout", "history", "deploy/web"])
            #expect(history.contains("REVISION"), "\(history)")
            #expect(history.split(separator: "\n").contains { $0.hasPrefix("1 ") }, "\(history)")
            #expect(history.split(separator: "\n").contains { $0.hasPrefix("2 ") }, "\(history)")
            let revision2 = try await kubectl.ok(["rollout", "history", "deploy/web", "--revision=2"])
            #expect(revision2.contains("nginx:1.26"), "\(revision2)")

            try await kubectl.ok(["rollout", "undo", "deploy/web"])
            try await eventually("the undone template runs again, under revision 3") {
                let sets = try await Self.replicaSets(kubectl)
                return sets[3]?.image == "nginx:1.25" && sets[3]?.replicas == 2 && sets[2]?.replicas == 0 && sets[1] == nil
            }
            let undone = try await kubectl.json(["get", "deploy", "web"])
            #expect(undone.string("spec.template.spec.containers.0.image") == "nginx:1.25")
            try await kubectl.ok(["rollout", "status", "deploy/web", "--timeout", "60s"])

            let described = try await kubectl.ok(["describe", "deploy", "web"])
            let current = try #require(try await Self.replicaSets(kubectl)[3])
            #expect(described.contains("NewReplicaSet:") && described.contains(current.name), "\(described)")
            #expect(described.contains("ScalingReplicaSet") && described.contains("Scaled down replica set"), "\(described)")
        }
    }

    @Test("a paused Deployment starts no ReplicaSet until resumed; revisionHistoryLimit keeps that many old ones")
    func pauseAndHistoryLimit() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.deployment("web", replicas: 1, image: "nginx:1.25"))
            try await kubectl.ok(["patch", "deploy/web", "-p", #"{"spec":{"revisionHistoryLimit":1}}"#])
            try await eventually("the first ReplicaSet exists") { try await Self.replicaSets(kubectl).count == 1 }

            try await kubectl.ok(["rollout", "pause", "deploy/web"])
            try await kubectl.ok(["set", "image", "deploy/web", "main=nginx:1.26"])
            try await kubectl.ok(["scale", "deploy/web", "--replicas=3"])
            try await eventually("the paused Deployment scales its ReplicaSet") { try await Self.replicaSets(kubectl)[1]?.replicas == 3 }
            #expect(try await Self.replicaSets(kubectl).count == 1, "no new ReplicaSet while paused")

            try await kubectl.ok(["rollout", "resume", "deploy/web"])
            try await eventually("the resumed Deployment rolls out") { try await Self.replicaSets(kubectl)[2]?.image == "nginx:1.26" }
            try await kubectl.ok(["set", "image", "deploy/web", "main=nginx:1.27"])
            try await eventually("revision 1 goes, one old ReplicaSet is kept") {
                let sets = try await Self.replicaSets(kubectl)
                return sets.keys.sorted() == [2, 3] && sets[3]?.image == "nginx:1.27" && sets[3]?.replicas == 3
            }
        }
    }

    /// The Pods of the Deployment's current ReplicaSet, by name.
    static func pods(_ kubectl: Kubectl) async throws -> [String: JSONValue] {
        let list = try await kubectl.json(["get", "pods", "-l", "app=web"])
        var result: [String: JSONValue] = [:]
        for item in list["items"]?.arrayValue ?? [] where item["metadata"]?["deletionTimestamp"] == nil {
            result[item["metadata"]?["name"]?.stringValue ?? ""] = item
        }
        return result
    }

    @Test("a ReplicaSet keeps as many Pods as its replicas: they run, a deleted one comes back, extra ones go")
    func replicaSetsKeepPods() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.deployment("web", replicas: 2, image: "nginx:1.25"))
            try await kubectl.ok(["rollout", "status", "deploy/web", "--timeout", "60s"])
            try await eventually("two Pods run") {
                let pods = try await Self.pods(kubectl)
                return pods.count == 2 && pods.values.allSatisfy { $0["status"]?["phase"]?.stringValue == "Running" }
            }
            let replicaSet = try #require(try await Self.replicaSets(kubectl)[1])
            let pods = try await Self.pods(kubectl)
            for (name, pod) in pods {
                #expect(name.hasPrefix(replicaSet.name + "-"))
                #expect(pod["metadata"]?["ownerReferences"]?.arrayValue?.first?["name"]?.stringValue == replicaSet.name)
                #expect(pod["spec"]?["containers"]?.arrayValue?.first?["image"]?.stringValue == "nginx:1.25")
            }
            let victim = try #require(pods.keys.sorted().first)
            try await kubectl.ok(["delete", "pod", victim, "--wait=false"])
            try await eventually("the deleted Pod is replaced") {
                let now = try await Self.pods(kubectl)
                return now.count == 2 && now[victim] == nil
            }
            try await kubectl.ok(["scale", "deploy/web", "--replicas=1"])
            try await eventually("one Pod is left") { try await Self.pods(kubectl).count == 1 }
            try await kubectl.ok(["set", "image", "deploy/web", "main=nginx:1.26"])
            try await eventually("the Pod of the new template replaces the old one") {
                let now = try await Self.pods(kubectl)
                return now.count == 1 && now.values.first?["spec"]?["containers"]?.arrayValue?.first?["image"]?.stringValue == "nginx:1.26"
            }
        }
    }
}
