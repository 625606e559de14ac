/// The CustomResourceDefinitions of Keelson's external secrets kinds: the resources in `CRDs/`,
/// copies of `deploy/crds/secretstore.yaml`, `clustersecretstore.yaml` and `externalsecret.yaml`
/// (a test keeps them equal).
public enum ExternalSecretsCRDs {
    /// Each CRD with the file it is shipped as.
    public static let all: [(file: String, yaml: String)] = [
        ("secretstore.yaml", String(decoding: PackageResources.secretstore_yaml, as: UTF8.self)),
        ("clustersecretstore.yaml", String(decoding: PackageResources.clustersecretstore_yaml, as: UTF8.self)),
        ("externalsecret.yaml", String(decoding: PackageResources.externalsecret_yaml, as: UTF8.self)),
    ]
}
