import Foundation
import Manifests
import Render
import Sync

/// The desired state a rendered chart contributes, after the Application's chart options: the
/// `crds/` objects as `helm.crds` says, test hooks left out with `skipTests`, and the
/// post-renderer's Kustomize patches over everything.
enum ChartDesiredState {
    /// What `crds: CreateOnly` adds to each CRD: created when missing, never updated or pruned.
    static let createOnlyOptions = "CreateOnly=true,Prune=false"

    /// The desired objects: `crds` first (unless skipped), then `objects` (the ordinary objects and
    /// the hooks of the operation at hand).
    static func assemble(crds: [Manifest], objects: [Manifest], helm: ApplicationSpec.HelmOptions) throws(RenderError) -> [Manifest] {
        var desired: [Manifest] = []
        switch helm.crds {
        case .apply: desired = crds
        case .skip: desired = []
        case .createOnly: desired = crds.map(createOnly)
        }
        desired += helm.skipTests ? objects.filter { !isTest($0) } : objects
        return try Kustomizer().patch(desired, with: helm.postRendererPatches, field: "spec.source.helm.postRenderer.patches")
    }

    /// `crd` annotated `keelson.dev/sync-options: CreateOnly=true,Prune=false`, after any options it has.
    static func createOnly(_ crd: Manifest) -> Manifest {
        var crd = crd
        let name = SyncAnnotations.syncOptions[0]
        let existing = crd.annotations[name].map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        crd.setAnnotation(name, existing.isEmpty ? createOnlyOptions : existing + "," + createOnlyOptions)
        return crd
    }

    /// Whether `object` is a `helm test` hook.
    static func isTest(_ object: Manifest) -> Bool {
        guard case .hook(let hook) = HelmHook.read(annotations: object.annotations) else { return false }
        return hook.events.contains(.test)
    }
}
