/// The Application CustomResourceDefinition: the resource `CRDs/application.yaml`, a copy of
/// `deploy/crds/application.yaml` (a test keeps the two equal).
enum ApplicationCRD {
    static let yaml = String(decoding: PackageResources.application_yaml, as: UTF8.self)
}
