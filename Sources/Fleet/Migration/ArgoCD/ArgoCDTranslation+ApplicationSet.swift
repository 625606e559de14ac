import Manifests

extension ArgoCDTranslation {
    /// A Keelson ApplicationSet for an Argo CD one: the same generators, template and policies,
    /// with `templateFormat: ArgoCD`, so each Application it renders is translated as Argo CD's
    /// own are (`generatedApplication`). What Keelson's ApplicationSet does not read fails the
    /// translation naming the field, when the translated set is checked.
    static func applicationSet(_ manifest: Manifest, options: TranslationOptions, object: inout ObjectTranslation) -> Manifest {
        var spec = manifest.object["spec"]?.objectValue ?? [:]
        spec["templateFormat"] = .string(ApplicationSet.TemplateFormat.argoCD.rawValue)
        // Generated Applications stay beside their set: a template namespace moves with it.
        if case .object(var template)? = spec["template"], case .object(var metadata)? = template["metadata"],
            let namespace = metadata["namespace"]?.stringValue, !namespace.contains("{{")
        {
            metadata["namespace"] = .string(options.applicationNamespace(for: namespace))
            template["metadata"] = .object(metadata)
            spec["template"] = .object(template)
        }
        return TranslationBuilder.object(
            kind: "ApplicationSet", apiVersion: ApplicationSet.API.keelson.rawValue, name: manifest.name,
            namespace: options.applicationNamespace(for: manifest.namespace), from: object, spec: spec,
            labels: manifest.metadata["labels"]?.objectValue ?? [:])
    }
}
