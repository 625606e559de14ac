import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// Three `keelson controller --shards auto` processes against one sandbox with 300 Applications:
/// the sandbox's audit of writes shows each Application written by exactly one replica; when one
/// replica is killed, its Applications move to the others and converge, and the others' stay put.
@Suite struct ShardingProcessTests {
    static let apps = 300
    static let replicas = ["replica-a", "replica-b", "replica-c"]
    static let applicationKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")

    @Test func everyApplicationHasOneWriterAndADeadReplicasApplicationsMove() async throws {
        try await ReplicaCluster.with(apps: Self.apps) { cluster in
            var processes: [String: BackgroundProcess] = [:]
            defer { for process in processes.values { process.kill() } }
            for identity in Self.replicas { processes[identity] = try cluster.start(identity, ["--shards", "auto"]) }
            // The Applications arrive once every replica sees all three: none starts on one
            // that a later member takes.
            let all = Self.replicas.joined(separator: ",")
            for (identity, process) in processes {
                try await ReplicaCluster.eventually("\(identity) sees every replica", processes) { process.output.contains("members=\(all)") }
            }
            try await ReplicaCluster.eventually("the leader installs the CRDs", processes) {
                (try? await cluster.client.resource(for: Self.applicationKind)) != nil
            }
            for index in 0..<Self.apps {
                let yaml = cluster.application(index, interval: "1m")
                _ = try await cluster.client.create(try Manifest.decode(Array(yaml.utf8), file: "app")[0], options: WriteOptions())
            }
            try await ReplicaCluster.eventually("every application syncs", processes) { await cluster.names(holding: "1").count == Self.apps }

            let owners = Self.writers(try await cluster.writes())
            #expect(owners.count == Self.apps)
            let shared = owners.filter { $0.value.count != 1 }
            #expect(shared.isEmpty, "written by more than one replica: \(shared.sorted { $0.key < $1.key }.prefix(5))")
            let share = Dictionary(grouping: owners.compactMap { $0.value.first }, by: { $0 }).mapValues(\.count)
            for identity in Self.replicas {
                // Rendezvous hashing gives each of three about a third; far from it is a bug.
                #expect((60...140).contains(share["keelson/" + identity] ?? 0), "shares: \(share)")
            }

            // A replica dies without leaving; its applications move, and sync the new commit at
            // once where they land; the others' wait for their interval, or a refresh.
            let before = try await cluster.writes().count
            processes.removeValue(forKey: "replica-b")?.kill()
            let killed = ContinuousClock.now
            try await cluster.commit("2")
            let orphans = Set(owners.filter { $0.value == ["keelson/replica-b"] }.keys)
            // They have moved when another replica first writes one (syncing them all then
            // takes as long as the machine needs).
            try await ReplicaCluster.eventually("another replica takes one of replica-b's applications", processes) {
                !Self.writers(Array(try await cluster.writes().dropFirst(before))).filter { orphans.contains($0.key) }.isEmpty
            }
            let moved = ContinuousClock.now - killed
            #expect(moved < .seconds(30), "replica-b's applications moved after \(moved)")
            try await ReplicaCluster.eventually("replica-b's applications sync where they moved", processes) {
                await cluster.names(holding: "2").isSuperset(of: orphans)
            }
            // Their history moved with them: replica-b's entry, then the new owner's.
            for name in orphans.sorted().prefix(5) {
                let app = try await cluster.client.get(Self.applicationKind, name: name, namespace: "keelson")
                let history = app.object["status"]?["history"]?.arrayValue ?? []
                #expect(history.count == 2, "\(name)'s history after the move: \(history.count) entries")
            }
            for index in 0..<Self.apps where !orphans.contains("app-\(index)") {
                _ = try await cluster.client.mergePatch(
                    Self.applicationKind, name: "app-\(index)", namespace: "keelson",
                    patch: ["metadata": ["annotations": ["keelson.dev/refresh": "now"]]], options: WriteOptions(fieldManager: "test"))
            }
            try await ReplicaCluster.eventually("every application syncs the new commit", processes) {
                await cluster.names(holding: "2").count == Self.apps
            }

            let after = Self.writers(Array(try await cluster.writes().dropFirst(before)))
            #expect(after.count == Self.apps, "only \(after.count) applications were written after the kill")
            for (app, writers) in after {
                #expect(writers.count == 1, "\(app) written by \(writers.sorted()) after the kill")
                #expect(!writers.contains("keelson/replica-b"))
                let owner = owners[app]?.first ?? ""
                if owner != "keelson/replica-b" { #expect(writers == [owner], "\(app) moved from \(owner) to \(writers.sorted())") }
            }
        }
    }

    /// The replicas (User-Agents) that wrote each application's ConfigMap or status, by application.
    static func writers(_ writes: [SandboxAudit.Write]) -> [String: Set<String>] {
        var writers: [String: Set<String>] = [:]
        for write in writes where write.userAgent.hasPrefix("keelson/") {
            let segments = write.path.split(separator: "/").map(String.init)
            let app: String?
            if write.path.hasPrefix("/api/v1/namespaces/default/configmaps/") {
                app = segments.last
            } else if write.path.hasPrefix("/apis/keelson.dev/v1alpha1/namespaces/keelson/applications/"), segments.last == "status" {
                app = segments.dropLast().last
            } else {
                app = nil
            }
            if let app { writers[app, default: []].insert(write.userAgent) }
        }
        return writers
    }
}
