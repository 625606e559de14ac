import Manifests
import Render

/// The image policies a repository holds in its YAML files: Keelson `ImagePolicy` objects,
/// and Flux `ImagePolicy` objects with the `ImageRepository` they name.
public enum RepositoryPolicies {
    /// Reads every policy under `directory` of `workTree`. Objects without a namespace are in
    /// `defaultNamespace`. Files that do not mention the kinds are not parsed (Helm templates
    /// and other non-YAML text may live beside them); a file that does must parse.
    public static func read(workTree: String, directory: String, defaultNamespace: String) throws -> [(ImagePolicy, ImageRepositorySpec)] {
        let root = try SecureRoot(directory: workTree)
        var policies: [ImagePolicy] = []
        var repositories: [String: ImageRepositorySpec] = [:]
        for file in try WorkTreeSetters.yamlFiles(in: root, under: directory) {
            let bytes = try root.read(file)
            guard bytes.firstRange(of: Array("kind: Image".utf8)) != nil || bytes.firstRange(of: Array("\"Image".utf8)) != nil else { continue }
            for object in try Manifest.decode(bytes, file: file) {
                if ImagePolicy.accepts(object) {
                    policies.append(try ImagePolicy(object, defaultNamespace: defaultNamespace))
                } else if object.kind == ImageRepositorySpec.kind, object.group == ImagePolicy.fluxGroup {
                    let repository = try ImageRepositorySpec.flux(object, defaultNamespace: defaultNamespace)
                    repositories["\(repository.namespace)/\(repository.name)"] = repository.spec
                }
            }
        }
        return try policies.map { (policy) throws(ImageResourceError) in
            switch policy.repository {
            case .inline(let repository): return (policy, repository)
            case .reference(let name, let namespace):
                guard let repository = repositories["\(namespace)/\(name)"] else {
                    throw ImageResourceError(
                        object: "ImagePolicy \(policy.namespace)/\(policy.name)", field: "spec.imageRepositoryRef",
                        message: "ImageRepository \(namespace)/\(name) is not in the repository")
                }
                return (policy, repository)
            }
        }
    }
}
