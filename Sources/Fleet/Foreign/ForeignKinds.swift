import Kube
import Manifests

/// The Argo CD and Flux kinds Keelson reads as they are, at the versions their current releases
/// serve. One table, so the service, the CLI and the tests agree on what is watched.
public enum ForeignKinds {
    /// Argo CD's `Application`, `AppProject` and `ApplicationSet`.
    public static let argoCD: [GroupVersionKind] = [
        GroupVersionKind(group: ArgoCDTranslation.group, version: "v1alpha1", kind: "Application"),
        GroupVersionKind(group: ArgoCDTranslation.group, version: "v1alpha1", kind: "AppProject"),
        GroupVersionKind(group: ArgoCDTranslation.group, version: "v1alpha1", kind: "ApplicationSet"),
    ]

    /// The Keelson kinds translations produce.
    static let translated: [GroupVersionKind] = [
        GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application"),
        GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "ApplicationSet"),
        GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Project"),
    ]

    /// Flux's Kustomization and HelmRelease, and the sources they name.
    public static let flux: [GroupVersionKind] = [
        GroupVersionKind(group: FluxTranslation.kustomizeGroup, version: "v1", kind: "Kustomization"),
        GroupVersionKind(group: FluxTranslation.helmGroup, version: "v2", kind: "HelmRelease"),
        GroupVersionKind(group: FluxTranslation.sourceGroup, version: "v1", kind: "GitRepository"),
        GroupVersionKind(group: FluxTranslation.sourceGroup, version: "v1", kind: "HelmRepository"),
        GroupVersionKind(group: FluxTranslation.sourceGroup, version: "v1", kind: "HelmChart"),
        GroupVersionKind(group: FluxTranslation.sourceGroup, version: "v1", kind: "OCIRepository"),
    ]
}
