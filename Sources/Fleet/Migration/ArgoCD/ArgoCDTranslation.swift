import Controller
import Manifests

/// Translates Argo CD's `argoproj.io/v1alpha1` `Application`, `AppProject` and `ApplicationSet`
/// objects into Keelson `Application`, `Project` and `ApplicationSet` objects, reporting every
/// field not carried over. Objects of other kinds are ignored.
///
/// ```swift
/// let translation = ArgoCDTranslation.translate(try Manifest.decode(bytes, file: "apps.yaml"), options: TranslationOptions())
/// translation.objects      // Keelson objects
/// translation.unsupported  // e.g. argoproj.io/Application argocd/guestbook: spec.source.helm.fileParameters: …
/// ```
public enum ArgoCDTranslation {
    /// Argo CD's API group.
    public static let group = "argoproj.io"
    /// The kinds translated.
    public static let kinds: Set<String> = ["Application", "AppProject", "ApplicationSet"]
    /// The address Argo CD gives its own cluster.
    static let inClusterServer = "https://kubernetes.default.svc"

    /// Translates the Argo CD objects among `manifests`.
    public static func translate(_ manifests: [Manifest], options: TranslationOptions) -> Translation {
        var builder = TranslationBuilder()
        for manifest in manifests where manifest.group == group && kinds.contains(manifest.kind) {
            var object = ObjectTranslation(manifest)
            do {
                let translated: [Manifest]
                switch manifest.kind {
                case "Application": translated = try application(manifest, options: options, object: &object)
                case "ApplicationSet": translated = [applicationSet(manifest, options: options, object: &object)]
                default: translated = [try project(manifest, options: options, object: &object)]
                }
                for result in translated { builder.add(result, from: object) }
                builder.record(object)
            } catch {
                builder.fail(error)
            }
        }
        return builder.finished()
    }

    /// The Keelson cluster an Argo CD destination (`server` or `name`) names.
    static func cluster(server: String?, name: String?, field: String, options: TranslationOptions, object: ObjectTranslation)
        throws(TranslationFailure) -> String
    {
        if let name, !name.isEmpty {
            if name == ApplicationSpec.Destination.inCluster { return name }
            if !options.clusters.isEmpty, !options.clusters.values.contains(name) {
                throw object.failure(
                    field + ".name", "no cluster named \(name) is registered (known: \(options.clusters.values.sorted().joined(separator: ", ")))")
            }
            return name
        }
        guard let server, !server.isEmpty else { return ApplicationSpec.Destination.inCluster }
        let trimmed = server.hasSuffix("/") ? String(server.dropLast()) : server
        if trimmed == inClusterServer { return ApplicationSpec.Destination.inCluster }
        if let known = options.clusters[server] ?? options.clusters[trimmed] { return known }
        throw object.failure(
            field + ".server",
            "\(server) is not a cluster Keelson knows: register it (keelson cluster add NAME) and map it (--cluster \(server)=NAME)")
    }
}
