import Progressive

/// The Application CustomResourceDefinition: the resource `CRDs/application.yaml`, a copy of
/// `deploy/crds/application.yaml` (a test keeps the two equal).
enum ApplicationCRD {
    static let yaml = String(decoding: PackageResources.application_yaml, as: UTF8.self)
}

/// The CustomResourceDefinitions the controller installs, with the file each is shipped as in
/// `deploy/crds/`.
public enum ControllerCRDs {
    /// `application.yaml` and `project.yaml`, and the progressive-delivery kinds Applications deploy.
    public static let all: [(file: String, yaml: String)] =
        [("application.yaml", ApplicationCRD.yaml), ("project.yaml", ProjectCRD.yaml)] + ProgressiveCRDs.all
}
