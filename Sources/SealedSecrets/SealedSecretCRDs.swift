/// The CustomResourceDefinition of `bitnami.com/v1alpha1` `SealedSecret`, installed with the
/// other CRDs when CRD installation is on. It carries `app.kubernetes.io/managed-by: keelson`, so
/// the controller tells its own copy from Bitnami's whoever applied it.
public enum SealedSecretCRDs {
    /// `sealedsecret.yaml`.
    public static let sealedSecret = String(decoding: PackageResources.sealedsecret_yaml, as: UTF8.self)
    /// The CRD's name.
    public static let name = "sealedsecrets.bitnami.com"

    /// The CRD with the file it is shipped as.
    public static let all: [(file: String, yaml: String)] = [("sealedsecret.yaml", sealedSecret)]
}
