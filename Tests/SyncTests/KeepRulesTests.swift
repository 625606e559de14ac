import Manifests
import Testing

@testable import Sync

/// What an object's own annotations (and Flux's label) keep, on prune and when its application
/// is deleted: Argo CD's and Flux's keep options are honoured, and whatever Keelson cannot honour
/// or cannot read keeps the object rather than deleting it.
@Suite struct KeepRulesTests {
    static let app: AppIdentity = "shop"

    struct Case: Sendable, CustomStringConvertible {
        var annotations: [String: String] = [:]
        var labels: [String: String] = [:]
        /// Why a prune keeps it; nil when it is pruned.
        var onPrune: KeepReason?
        /// Why the application's deletion keeps it; nil when it is deleted.
        var onDeletion: KeepReason?
        var description: String { "\(annotations) \(labels)" }
    }

    static let argo = "argocd.argoproj.io/sync-options"
    static let flux = "kustomize.toolkit.fluxcd.io/prune"

    static let cases: [Case] = [
        // Nothing said: pruned, and deleted with the application.
        Case(onPrune: nil, onDeletion: nil),
        // Prune=false keeps it from both (Keelson's deletion follows prune's rules).
        Case(annotations: [argo: "Prune=false"], onPrune: .pruneDisabled, onDeletion: .pruneDisabled),
        // Delete=false is Argo CD's keep for the application's deletion only: prune still removes it.
        Case(annotations: [argo: "Delete=false"], onPrune: nil, onDeletion: .deleteDisabled),
        Case(annotations: [argo: "Delete=true"], onPrune: nil, onDeletion: nil),
        // Confirmations Keelson cannot give keep the object where Argo CD would wait for one.
        Case(annotations: [argo: "Prune=confirm"], onPrune: .unconfirmable("Prune=confirm"), onDeletion: .unconfirmable("Prune=confirm")),
        Case(annotations: [argo: "Delete=confirm"], onPrune: nil, onDeletion: .unconfirmable("Delete=confirm")),
        // Flux's opt-out, as an annotation or a label, in any case, keeps it from both; even a
        // sync option saying Prune=true does not undo it.
        Case(annotations: [flux: "disabled"], onPrune: .pruneDisabled, onDeletion: .deleteDisabled),
        Case(labels: [flux: "Disabled"], onPrune: .pruneDisabled, onDeletion: .deleteDisabled),
        Case(annotations: [flux: "disabled", argo: "Prune=true,Delete=true"], onPrune: .pruneDisabled, onDeletion: .deleteDisabled),
        Case(annotations: [flux: "enabled"], onPrune: nil, onDeletion: nil),
        // Helm's keep.
        Case(annotations: ["helm.sh/resource-policy": "keep"], onPrune: .pruneDisabled, onDeletion: .pruneDisabled),
        // Annotations that cannot be read might have said to keep it: kept, not guessed at.
        Case(
            annotations: [argo: "Delete=maybe"],
            onPrune: .unreadablePolicy(#"annotation argocd.argoproj.io/sync-options: "Delete=maybe" is not Delete=true|false|confirm"#),
            onDeletion: .unreadablePolicy(#"annotation argocd.argoproj.io/sync-options: "Delete=maybe" is not Delete=true|false|confirm"#)),
        Case(
            annotations: ["keelson.dev/sync-wave": "one"],
            onPrune: .unreadablePolicy(#"annotation keelson.dev/sync-wave: "one" is not a whole number"#),
            onDeletion: .unreadablePolicy(#"annotation keelson.dev/sync-wave: "one" is not a whole number"#)),
    ]

    func object(_ rule: Case) throws -> Manifest {
        var m = try Manifest(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "namespace": "default"]])
        for (key, value) in rule.annotations { m.setAnnotation(key, value) }
        for (key, value) in rule.labels { m.setLabel(key, value) }
        return Tracking.stamp(m, app: Self.app)
    }

    @Test(arguments: cases) func pruneKeeps(_ rule: Case) throws {
        let live = try object(rule)
        let input = SyncPlanner.Input(
            app: Self.app, desired: [], live: [live.key: live], inventory: [InventoryEntry(live)], prune: true, allowEmpty: true)
        let plan = try SyncPlanner.plan(input)
        #expect(plan.prune.map(\.key) == (rule.onPrune == nil ? [live.key] : []))
        #expect(plan.keep.map(\.reason) == (rule.onPrune.map { [$0] } ?? []))
    }

    @Test(arguments: cases) func deletionKeeps(_ rule: Case) throws {
        let live = try object(rule)
        let plan = SyncPlanner.deletion(app: Self.app, live: [live.key: live], inventory: [InventoryEntry(live)])
        #expect(plan.delete.map(\.key) == (rule.onDeletion == nil ? [live.key] : []))
        #expect(plan.keep.map(\.reason) == (rule.onDeletion.map { [$0] } ?? []))
        // A kept object never holds the deletion up.
        if rule.onDeletion != nil { #expect(plan.isDone) }
    }

    // The keeps that ask for something Keelson cannot do are the ones worth a warning.
    @Test func unhonouredOptionsNeedAttention() {
        #expect(KeepReason.unconfirmable("Delete=confirm").needsAttention)
        #expect(KeepReason.unreadablePolicy("x").needsAttention)
        #expect(!KeepReason.deleteDisabled.needsAttention && !KeepReason.pruneDisabled.needsAttention)
    }
}
