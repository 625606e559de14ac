/// The Helm release whose behaviour Keelson's chart renderer reproduces, as `.Capabilities.HelmVersion`
/// reports it to templates.
public enum HelmVersion {
    /// The version string (`v4.2.3`).
    public static let version = "v4.2.3"
    /// The Git commit of that release.
    public static let gitCommit = "43e8b7feece8beb0fcba47059ec9b522fd929a64"
    /// The Go toolchain that release was built with.
    public static let goVersion = "go1.26.5"
    /// The Kubernetes client line of that release, which is also the default `.Capabilities.KubeVersion`.
    public static let kubeClientVersion = "v1.36"
}
