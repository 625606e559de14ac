import Controller
import KeelsonTesting
import Kube
import Manifests
import Testing

/// What the controller spends on the API server, counted at its client: about one request per
/// object for a first sync, none for a reconcile that finds nothing to do, one apply for a
/// drifted object. Reads come from the watch cache; writes answer with the live state.
@Suite struct RequestEconomyTests {
    typealias H = ControllerHarness

    /// An application of the MTTP benchmark's shape: ServiceAccount, Service, Deployment with
    /// no replicas, and a ConfigMap (which a test drifts by hand).
    static func files(_ name: String) -> [String: String] {
        [
            "\(name)/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: \(name)}\n",
            "\(name)/svc.yaml":
                "apiVersion: v1\nkind: Service\nmetadata: {name: \(name)}\nspec:\n  selector: {app: \(name)}\n  ports: [{port: 80}]\n",
            "\(name)/deploy.yaml": H.deployment(name, replicas: 0),
            "\(name)/cm.yaml": H.configMap("\(name)-config", "1"),
        ]
    }

    /// Requests (discovery is answered from the client's cache, watches are per kind, not per
    /// application: neither counts).
    static func requests(_ calls: [KubernetesCall: Int]) -> [KubernetesCall: Int] {
        calls.filter { $0.key != .discovery && $0.key != .watch && $0.value > 0 }
    }

    static func delta(_ after: [KubernetesCall: Int], _ before: [KubernetesCall: Int]) -> [KubernetesCall: Int] {
        requests(after.merging(before.mapValues { -$0 }) { $0 + $1 })
    }

    func syncedAndHealthy(_ h: H, _ name: String) async -> Bool {
        let status = await h.status(name)
        return status?["sync"]?["status"] == "Synced" && status?["health"]?["status"] == "Healthy"
    }

    @Test func firstSyncNoChangeReconcileAndDrift() async throws {
        let k = 4
        try await H.with(files: Self.files("warm").merging(Self.files("econ")) { $1 }, apps: ["warm": H.app("warm", path: "warm")]) { h in
            // The first application warms the watches of the four kinds.
            try await h.eventually("warm is synced and healthy") { await syncedAndHealthy(h, "warm") }

            // A reconcile that finds nothing to do costs nothing: three more of warm, no request.
            let reconciled = h.reconciles["keelson/warm"]
            let quiet = h.controllerCalls.calls
            try await h.eventually("three more reconciles of warm") { h.reconciles["keelson/warm"] >= reconciled + 3 }
            let idle = Self.delta(h.controllerCalls.calls, quiet)
            #expect(idle.isEmpty, "no-change reconciles sent requests: \(idle)")

            // A first sync of k objects costs at most k + 3 requests (k applies, the inventory,
            // status while it waits for health and when it ends).
            let before = h.controllerCalls.calls
            try await h.apply(H.app("econ", path: "econ").replacingOccurrences(of: "REPO", with: "file://" + h.repository))
            try await h.eventually("econ is synced and healthy") { await syncedAndHealthy(h, "econ") }
            let first = Self.delta(h.controllerCalls.calls, before)
            let total = first.values.reduce(0, +)
            #expect(total <= k + 3, "the first sync of \(k) objects sent \(total) requests: \(first)")
            #expect(first[.get] == nil && first[.list] == nil, "the first sync read the API server: \(first)")

            // A drifted object costs one apply (and the status that records the self-heal).
            let econReconciled = h.reconciles["keelson/econ"]
            try await h.eventually("econ settles") { h.reconciles["keelson/econ"] >= econReconciled + 2 }
            let settled = h.controllerCalls.calls
            _ = try await h.client.mergePatch(
                H.configMaps, name: "econ-config", namespace: "default", patch: ["data": ["value": "by-hand"]],
                options: WriteOptions(fieldManager: "kubectl-edit"))
            try await h.eventually("the drift is reverted") { await h.configMapValue("econ-config") == "1" }
            try await h.eventually("econ is synced again") { await syncedAndHealthy(h, "econ") }
            let heal = Self.delta(h.controllerCalls.calls, settled)
            #expect(heal[.apply] == 1, "self-heal: \(heal)")
            #expect(heal.filter { $0.key != .apply && $0.key != .updateStatus }.isEmpty, "self-heal: \(heal)")
            #expect((heal[.updateStatus] ?? 0) <= 1, "self-heal: \(heal)")
        }
    }
}
