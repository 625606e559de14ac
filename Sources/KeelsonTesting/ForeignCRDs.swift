import Kube
import Manifests

/// Minimal CRDs (every field kept) for Argo CD's and Flux's kinds, so tests can create their
/// objects in a sandbox the way a cluster with those tools installed holds them.
public enum ForeignCRDs {
    /// `(group, version, kind, plural)` of every kind Keelson reads from Argo CD and Flux.
    public static let kinds: [(group: String, version: String, kind: String, plural: String)] = [
        ("argoproj.io", "v1alpha1", "Application", "applications"),
        ("argoproj.io", "v1alpha1", "AppProject", "appprojects"),
        ("argoproj.io", "v1alpha1", "ApplicationSet", "applicationsets"),
        ("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations"),
        ("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases"),
        ("source.toolkit.fluxcd.io", "v1", "GitRepository", "gitrepositories"),
        ("source.toolkit.fluxcd.io", "v1", "HelmRepository", "helmrepositories"),
        ("source.toolkit.fluxcd.io", "v1", "HelmChart", "helmcharts"),
        ("source.toolkit.fluxcd.io", "v1", "OCIRepository", "ocirepositories"),
    ]

    /// A minimal namespaced CRD with a status subresource that keeps every field.
    public static func crd(group: String, version: String, kind: String, plural: String) -> Manifest {
        Manifest(unchecked: [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("\(plural).\(group)")],
            "spec": [
                "group": .string(group), "scope": "Namespaced",
                "names": ["kind": .string(kind), "plural": .string(plural), "singular": .string(kind.lowercased())],
                "versions": [
                    [
                        "name": .string(version), "served": true, "storage": true, "subresources": ["status": [:]],
                        "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
                    ]
                ],
            ],
        ])
    }

    /// Creates the CRDs of the kinds whose group passes `groups` and waits until each is served.
    public static func install(_ client: any KubernetesAPI, groups: (String) -> Bool = { _ in true }) async throws {
        for entry in kinds where groups(entry.group) {
            _ = try await client.create(
                crd(group: entry.group, version: entry.version, kind: entry.kind, plural: entry.plural), options: WriteOptions())
        }
        for entry in kinds where groups(entry.group) {
            let kind = GroupVersionKind(group: entry.group, version: entry.version, kind: entry.kind)
            try await eventually("\(entry.kind) is served", timeout: .seconds(30)) {
                (try? await client.resource(for: kind)) != nil
            }
        }
    }
}
