/// The Rollout and AnalysisTemplate CustomResourceDefinitions: the resources `CRDs/rollout.yaml`
/// and `CRDs/analysistemplate.yaml`, copies of `deploy/crds/` (a test keeps them equal).
public enum ProgressiveCRDs {
    /// The files and their YAML, as shipped in `deploy/crds/`.
    public static let all: [(file: String, yaml: String)] = [
        ("rollout.yaml", String(decoding: PackageResources.rollout_yaml, as: UTF8.self)),
        ("analysistemplate.yaml", String(decoding: PackageResources.analysistemplate_yaml, as: UTF8.self)),
    ]
}
