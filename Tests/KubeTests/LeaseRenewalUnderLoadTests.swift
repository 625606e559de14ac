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
    @Test func aLeaderRenewsWhileEveryPoolThreadIsHeld() async throws {
        let leases = LeaseTable()
        var settings = LeaderElectionSettings(namespace: "keelson", name: "keelson-controller", identity: "replica-a")
        settings.leaseDuration = .seconds(3)
        settings.renewDeadline = .milliseconds(1600)
        settings.retryPeriod = .milliseconds(100)
        let elector = LeaderElector(client: leases, settings: settings)
        let renewedWhileHeld = try await elector.whileLeading {
            let before = leases.updates
            // Every pool thread is held for longer than the renew deadline: one blocking task
            // per thread (the pool has one per processor). This stalls the whole test process
            // for that long, as a key generation stalls a controller.
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<ProcessInfo.processInfo.activeProcessorCount { group.addTask { Self.hold(seconds: 2.4) } }
            }
            return leases.updates - before
        }
        // One every retry period after the first wake-up, which waits up to about a second for
        // Dispatch to add a thread for timers; none when renewals wait for the pool.
        #expect(renewedWhileHeld >= 4, "\(renewedWhileHeld) renewals while the pool was held")
        #expect(leases.holder == "", "the Lease was not released: \(leases.holder)")
    }

    /// Blocks the calling thread, as seconds of computing would.
    static func hold(seconds: Double) { Thread.sleep(forTimeInterval: seconds) }
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
    func serverVersion() async throws(KubeError) -> ServerVersion { throw Self.refusal(501, "version") }
    func serverResources(refresh: Bool) async throws(KubeError) -> [APIResource] { throw Self.refusal(501, "discovery") }
}
