/// The Provider and Alert CustomResourceDefinitions: the resources `CRDs/provider.yaml` and
/// `CRDs/alert.yaml`, copies of `deploy/crds/` (a test keeps them equal).
public enum NotifyCRDs {
    /// The files and their YAML, as shipped in `deploy/crds/`.
    public static let all: [(file: String, yaml: String)] = [
        ("provider.yaml", String(decoding: PackageResources.provider_yaml, as: UTF8.self)),
        ("alert.yaml", String(decoding: PackageResources.alert_yaml, as: UTF8.self)),
    ]
}
