/// The CustomResourceDefinitions image automation reads: the resources in `CRDs/`, copies of
/// `deploy/crds/imagepolicy.yaml` and `deploy/crds/imageupdateautomation.yaml` (a test keeps them equal).
public enum ImageAutomationCRDs {
    /// `deploy/crds/imagepolicy.yaml`.
    public static let imagePolicy = String(decoding: PackageResources.imagepolicy_yaml, as: UTF8.self)

    /// `deploy/crds/imageupdateautomation.yaml`.
    public static let imageUpdateAutomation = String(decoding: PackageResources.imageupdateautomation_yaml, as: UTF8.self)

    /// Both, with the file each is shipped as.
    public static let all: [(file: String, yaml: String)] = [
        ("imagepolicy.yaml", imagePolicy), ("imageupdateautomation.yaml", imageUpdateAutomation),
    ]
}
