/// The CustomResourceDefinition of Keelson's ApplicationSet: the resource in `CRDs/`, a copy of
/// `deploy/crds/applicationset.yaml` (a test keeps them equal).
public enum ApplicationSetCRDs {
    /// Each CRD with the file it is shipped as.
    public static let all: [(file: String, yaml: String)] = [
        ("applicationset.yaml", String(decoding: PackageResources.applicationset_yaml, as: UTF8.self))
    ]
}
