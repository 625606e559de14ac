/// The Project CustomResourceDefinition: the resource `CRDs/project.yaml`, a copy of
/// `deploy/crds/project.yaml` (a test keeps the two equal).
enum ProjectCRD {
    static let yaml = String(decoding: PackageResources.project_yaml, as: UTF8.self)
}
