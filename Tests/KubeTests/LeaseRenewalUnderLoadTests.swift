import Foundation
import Kube
import Manifests
import Synchronization
import Testing

/// A leader keeps renewing its Lease while every thread of the cooperative pool is held by
/// computation longer than the renew deadline. client-go's goroutines are preempted; Swift's
/// tasks are not, so renewals run on a thread of their own (`ThreadExecutor.leases`). Before
/// that, a replica that made its 4096-bit sealing key while syncing lost leadership in CI.
@Suite struct LeaseRenewalUnderLoadTests {
    /// In a process of its own: holding the pool stalls every task of the process it runs in.
    /// Exit codes: 2 leadership was lost, 3 too few renewals, 4 the pool was not held (it has
    /// more threads than processors), 5 the Lease was not released.
    @Test func aLeaderRenewsWhileEveryPoolThreadIsHeld() async {
        await #expect(processExitsWith: .success) {
            let leases = LeaseTable()
            var settings = LeaderElectionSettings(namespace: "keelson", name: "keelson-controller", identity: "replica-a")
            settings.leaseDuration = .seconds(3)
            settings.renewDeadline = .milliseconds(1600)
            settings.retryPeriod = .milliseconds(100)
            let elector = LeaderElector(client: leases, settings: settings)
            let outcome: (renewals: Int, held: Bool)
            do {
                outcome = try await elector.whileLeading {
                    let before = leases.updates
                    let start = ContinuousClock.now
                    // Every pool thread is held for longer than the renew deadline: one blocking
                    // task per thread (the pool has one per processor). A task started meanwhile
                    // shows whether the pool really was held.
                    let probeEnded = Moment()
                    await withTaskGroup(of: Void.self) { group in
                        for _ in 0..<ProcessInfo.processInfo.activeProcessorCount { group.addTask { LeaseRenewalUnderLoadTests.hold(seconds: 2.4) } }
                        group.addTask {
                            try? await Task.sleep(for: .milliseconds(100))
                            probeEnded.record()
                        }
                    }
                    let held = probeEnded.value.map { $0 - start >= .seconds(2.3) } ?? false
                    return (leases.updates - before, held)
                }
            } catch {
                exit(2)
            }
            // One every retry period, about 20; none when renewals wait for the pool.
            guard outcome.renewals >= 4 else { exit(3) }
            guard outcome.held else { exit(4) }
            guard leases.holder == "" else { exit(5) }
        }
    }

    /// Blocks the calling thread, as seconds of computing would.
    static func hold(seconds: Double) { Thread.sleep(forTimeInterval: seconds) }
}

/// When something happened, once recorded.
final class Moment: Sendable {
    private let instant = Mutex<ContinuousClock.Instant?>(nil)
    var value: ContinuousClock.Instant? { instant.withLock { $0 } }
    func record() { instant.withLock { $0 = .now } }
}

/// Leases in memory, answered without a task of their own: what a renewal needs, and nothing
/// that waits for the pool. Every other call fails.
final class LeaseTable: KubernetesAPI {
    private let state = Mutex<(lease: Manifest?, updates: Int)>((nil, 0))

    /// The Lease's updates so far.
    var updates: Int { state.withLock { $0.updates } }
    /// The Lease's holder ("" when free or missing).
    var holder: String { state.withLock { $0.lease?.object["spec"]?["holderIdentity"]?.stringValue ?? "" } }

    func get(_ gvk: GroupVersionKind, name: String, namespace: String?) async throws(KubeError) -> Manifest {
        guard let lease = state.withLock({ $0.lease }) else { throw Self.refusal(404, name) }
        return lease
    }

    func create(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        try state.withLock { state throws(KubeError) in
            guard state.lease == nil else { throw Self.refusal(409, object.name) }
            var created = object
            created.object["metadata"]?["resourceVersion"] = "1"
            state.lease = created
            return created
        }
    }

    func update(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        try state.withLock { state throws(KubeError) in
            let current = state.lease?.metadata["resourceVersion"]?.stringValue ?? ""
            guard let version = Int(current), object.metadata["resourceVersion"]?.stringValue == current else {
                throw Self.refusal(409, object.name)
            }
            var updated = object
            updated.object["metadata"]?["resourceVersion"] = .string(String(version + 1))
            state.lease = updated
            state.updates += 1
            return updated
        }
    }

    static func refusal(_ code: Int, _ name: String) -> KubeError {
        KubeError(status: APIStatus.fromHTTP(code: code, body: ""), resource: "leases/\(name)")
    }

    func resource(for gvk: GroupVersionKind) async throws(KubeError) -> APIResource { throw Self.refusal(501, gvk.kind) }
    func list(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        throw Self.refusal(501, gvk.kind)
    }
    func updateStatus(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest { throw Self.refusal(501, object.name) }
    func mergePatch(
        _ gvk: GroupVersionKind, name: String, namespace: String?, patch: JSONValue, options: WriteOptions
    ) async throws(KubeError) -> Manifest { throw Self.refusal(501, name) }
    func create(
        _ body: JSONValue, at gvk: GroupVersionKind, name: String, namespace: String?, subresource: String
    ) async throws(KubeError) -> JSONValue { throw Self.refusal(501, name) }
    func apply(_ object: Manifest, options: ApplyOptions) async throws(KubeError) -> Manifest { throw Self.refusal(501, object.name) }
    func delete(_ gvk: GroupVersionKind, name: String, namespace: String?, options: DeleteOptions) async throws(KubeError) -> Manifest? {
        throw Self.refusal(501, name)
    }
    func watch(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) -> WatchStream {
        WatchStream(events: [], thenThrow: Self.refusal(501, gvk.kind))
    }
    func impersonating(_ identity: Impersonation) -> any KubernetesAPI { self }
    func withOwnBudget(clock: any Clock<Duration>) -> any KubernetesAPI { self }
    func serverVersion() async throws(KubeError) -> ServerVersion { throw Self.refusal(501, "version") }
    func serverResources(refresh: Bool) async throws(KubeError) -> [APIResource] { throw Self.refusal(501, "discovery") }
}
