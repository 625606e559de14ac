import Manifests
import Testing

@testable import Plan

/// A plan calls an object gone from Git pruned only when the sync would prune it: its
/// annotations readable and not keeping it, as `SyncPlanner` decides.
@Suite struct PlanComparisonTests {
    func configMap(_ name: String, annotations: [String: String] = [:], labels: [String: String] = [:]) throws -> Manifest {
        var m = try Manifest(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"]])
        for (key, value) in annotations { m.setAnnotation(key, value) }
        for (key, value) in labels { m.setLabel(key, value) }
        return m
    }

    @Test func removedObjectsThatTheirAnnotationsKeepAreOrphaned() throws {
        let base = [
            try configMap("plain"),
            // Delete=false concerns the application's deletion only: a prune removes it.
            try configMap("retained", annotations: ["argocd.argoproj.io/sync-options": "Delete=false"]),
            try configMap("pinned", annotations: ["argocd.argoproj.io/sync-options": "Prune=false"]),
            try configMap("confirm", annotations: ["argocd.argoproj.io/sync-options": "Prune=confirm"]),
            try configMap("flux", labels: ["kustomize.toolkit.fluxcd.io/prune": "disabled"]),
            // Unreadable annotations keep the object rather than plan its deletion.
            try configMap("unreadable", annotations: ["keelson.dev/sync-wave": "one"]),
        ]
        let (objects, _) = PlanComparison.objects(base: base, head: [], prunes: true)
        let changes = Dictionary(uniqueKeysWithValues: objects.map { ($0.key.name, $0.change) })
        #expect(
            changes == [
                "plain": .pruned, "retained": .pruned, "pinned": .orphaned, "confirm": .orphaned, "flux": .orphaned, "unreadable": .orphaned,
            ])
    }
}
