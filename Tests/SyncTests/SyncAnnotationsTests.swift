import Manifests
import Testing

@testable import Sync

@Suite struct SyncAnnotationsTests {
    func manifest(_ annotations: [String: String]) throws -> Manifest {
        var m = try Manifest(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "namespace": "n"]])
        for (key, value) in annotations { m.setAnnotation(key, value) }
        return m
    }

    @Test func defaults() throws {
        let policy = try SyncAnnotations.policy(of: manifest([:]))
        #expect(policy == ObjectSyncPolicy())
        #expect(policy.wave == 0 && policy.prune && !policy.isHook)
    }

    @Test(arguments: [
        // Argo CD's spelling is honoured…
        (["argocd.argoproj.io/sync-wave": "-2"], -2),
        (["keelson.dev/sync-wave": " 5 "], 5),
        // …and Keelson's wins where both are present.
        (["argocd.argoproj.io/sync-wave": "3", "keelson.dev/sync-wave": "1"], 1),
    ])
    func waves(_ annotations: [String: String], _ wave: Int) throws {
        #expect(try SyncAnnotations.policy(of: manifest(annotations)).wave == wave)
    }

    @Test func helmHooksAreSyncPhases() throws {
        let hook = try SyncAnnotations.policy(
            of: manifest([
                "helm.sh/hook": "pre-install,pre-upgrade", "helm.sh/hook-weight": "-5",
                "helm.sh/hook-delete-policy": "hook-succeeded,hook-failed",
            ]))
        #expect(hook.hookPhases == [.preSync])
        #expect(hook.wave == -5)
        #expect(hook.hookDeletePolicies == [.hookSucceeded, .hookFailed])
        #expect(try SyncAnnotations.policy(of: manifest(["helm.sh/hook": "post-install"])).hookPhases == [.postSync])
        // Tests, deletes and rollbacks never run in a sync; Keelson's own annotation wins over Helm's.
        #expect(try SyncAnnotations.policy(of: manifest(["helm.sh/hook": "test"])).hookPhases == [.skip])
        #expect(try SyncAnnotations.policy(of: manifest(["helm.sh/hook": "post-install", "keelson.dev/hook": "Sync"])).hookPhases == [.sync])
        #expect(try SyncAnnotations.policy(of: manifest(["helm.sh/hook": "post-install"])).hookDeletePolicies == [.beforeHookCreation])
    }

    @Test func helmKeepIsNeverPruned() throws {
        #expect(try !SyncAnnotations.policy(of: manifest(["helm.sh/resource-policy": "keep"])).prune)
        #expect(try SyncAnnotations.policy(of: manifest(["helm.sh/resource-policy": "delete"])).prune)
    }

    @Test func hooksAndDeletePolicies() throws {
        let policy = try SyncAnnotations.policy(
            of: manifest([
                "argocd.argoproj.io/hook": "PreSync,PostSync",
                "argocd.argoproj.io/hook-delete-policy": "HookSucceeded",
            ]))
        #expect(policy.hookPhases == [.preSync, .postSync])
        #expect(policy.hookDeletePolicies == [.hookSucceeded])
        // A hook without a delete policy is deleted before it is created again, as Argo CD does.
        #expect(try SyncAnnotations.policy(of: manifest(["keelson.dev/hook": "Sync"])).hookDeletePolicies == [.beforeHookCreation])
    }

    @Test func syncOptions() throws {
        let policy = try SyncAnnotations.policy(
            of: manifest(["argocd.argoproj.io/sync-options": "Prune=false, Replace=true,Force=true,ServerSideApply=true"]))
        #expect(!policy.prune && policy.replace && policy.force)
        // The Keelson annotation replaces the Argo CD one as a whole.
        let overridden = try SyncAnnotations.policy(
            of: manifest(["argocd.argoproj.io/sync-options": "Prune=false", "keelson.dev/sync-options": "Replace=true"]))
        #expect(overridden.prune && overridden.replace)
    }

    @Test func keepOptionsOfArgoCDAndFlux() throws {
        // Delete=false keeps the object from its application's deletion only.
        let retained = try SyncAnnotations.policy(of: manifest(["argocd.argoproj.io/sync-options": "Delete=false"]))
        #expect(retained.prune && !retained.delete && retained.unconfirmable.isEmpty)
        // Argo CD's confirmations parse, keep the object, and are recorded for the report.
        let confirm = try SyncAnnotations.policy(of: manifest(["argocd.argoproj.io/sync-options": "Prune=confirm, Delete=Confirm"]))
        #expect(!confirm.prune && !confirm.delete && confirm.unconfirmable == ["Prune=confirm", "Delete=confirm"])
        // Flux's opt-out keeps it from both, as an annotation or as a label.
        let flux = try SyncAnnotations.policy(of: manifest(["kustomize.toolkit.fluxcd.io/prune": "disabled"]))
        #expect(!flux.prune && !flux.delete)
        var labelled = try manifest([:])
        labelled.setLabel("kustomize.toolkit.fluxcd.io/prune", "disabled")
        #expect(try !SyncAnnotations.policy(of: labelled).delete)
        // Options of other tools or of the application as a whole are accepted whatever their value.
        let other = try SyncAnnotations.policy(
            of: manifest(["argocd.argoproj.io/sync-options": "PrunePropagationPolicy=orphan,Validate=false"]))
        #expect(other == ObjectSyncPolicy())
    }

    @Test(arguments: [
        ["keelson.dev/sync-wave": "one"],
        ["argocd.argoproj.io/hook": "PreSink"],
        ["keelson.dev/hook-delete-policy": "Always"],
        ["keelson.dev/sync-options": "Prune"],
        ["keelson.dev/sync-options": "Prune=maybe"],
        ["keelson.dev/sync-options": "Delete=maybe"],
        ["keelson.dev/sync-options": "Replace=confirm"],
    ])
    func malformedAnnotationsNameObjectAndAnnotation(_ annotations: [String: String]) throws {
        let m = try manifest(annotations)
        #expect {
            try SyncAnnotations.policy(of: m)
        } throws: { error in
            guard let error = error as? SyncPolicyError else { return false }
            return error.object == m.key && annotations[error.annotation] != nil
                && error.description.hasPrefix("ConfigMap/n/c: annotation ")
        }
    }
}
