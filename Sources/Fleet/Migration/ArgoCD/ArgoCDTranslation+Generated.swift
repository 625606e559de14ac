import Controller
import Manifests

extension ArgoCDTranslation {
    /// The Keelson Application for one Argo CD Application an `argoproj.io` ApplicationSet
    /// rendered: kept in the set's namespace (`manifest`'s), destinations by `server` mapped
    /// through `clusters`, and the fields not carried over in `keelson.dev/unsupported`. Throws
    /// the first failure, or when the template's `sources` would split into several Applications.
    public static func generatedApplication(_ manifest: Manifest, clusters: [String: String]) throws(TranslationFailure) -> Manifest {
        var options = TranslationOptions()
        options.applicationNamespace = manifest.namespace
        options.clusters = clusters
        let translation = translate([manifest], options: options)
        if let failure = translation.failures.first { throw failure }
        let applications = translation.objects.filter { $0.kind == Application.kind }
        guard applications.count == 1, var application = applications.first else {
            throw TranslationFailure(
                object: TranslatedFrom.name(of: manifest), field: "spec.sources",
                message: "becomes \(applications.count) Keelson Applications; a template must render one")
        }
        var metadata = application.metadata
        var annotations = metadata["annotations"]?.objectValue ?? [:]
        annotations[ForeignObjectsService.unsupportedAnnotation] = .string(ForeignObjectsService.report(translation.unsupported))
        metadata["annotations"] = .object(annotations)
        application.object["metadata"] = .object(metadata)
        return application
    }
}
