import Foundation
import Kube
import Manifests

/// The variables of `spec.source.postBuild`, with Flux's precedence: the `substituteFrom`
/// objects in order, a later one's key winning, then `substitute` over them all.
enum PostBuildVariables {
    /// The variables, reading `substituteFrom` objects from `namespace` through `client`, as
    /// `valuesFrom` is read: a ConfigMap's `data`, a Secret's decoded `data`.
    static func read(_ postBuild: ApplicationSpec.PostBuild, client: any KubernetesAPI, namespace: String) async throws -> [String: String] {
        var sources: [[String: String]] = []
        for (index, reference) in postBuild.substituteFrom.enumerated() {
            let field = "spec.source.postBuild.substituteFrom[\(index)]"
            let name = "\(reference.kind) \(namespace)/\(reference.name)"
            let isSecret = reference.kind == "Secret"
            let object: Manifest
            do {
                object = try await client.get(
                    isSecret ? HelmValueSources.secretKind : HelmValueSources.configMapKind, name: reference.name, namespace: namespace)
            } catch {
                if error.isNotFound, reference.optional { continue }
                throw MissingReference(description: "\(field): \(name) " + (error.isNotFound ? "does not exist" : "cannot be read (\(error.code))"))
            }
            var variables: [String: String] = [:]
            for (key, value) in object.object["data"]?.objectValue ?? [:] {
                guard let text = value.stringValue else { continue }
                if isSecret {
                    guard let data = Data(base64Encoded: text) else {
                        throw MissingReference(description: "\(field): \(name) has data that is not base64")
                    }
                    variables[key] = String(decoding: data, as: UTF8.self)
                } else {
                    variables[key] = text
                }
            }
            sources.append(variables)
        }
        return merge(sources, substitute: postBuild.substitute)
    }

    /// The variables without a cluster: `substitute` only; `substituteFrom` is refused.
    static func offline(_ postBuild: ApplicationSpec.PostBuild, app: Application) throws -> [String: String] {
        guard postBuild.substituteFrom.isEmpty else {
            throw ApplicationError(
                application: app.id, field: "spec.source.postBuild.substituteFrom", message: "reads the cluster, which a render without one cannot")
        }
        return postBuild.substitute
    }

    /// `sources` in order, a later key winning, then `substitute` over them.
    static func merge(_ sources: [[String: String]], substitute: [String: String]) -> [String: String] {
        var variables: [String: String] = [:]
        for source in sources + [substitute] {
            variables.merge(source) { _, later in later }
        }
        return variables
    }
}
