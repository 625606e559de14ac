import Controller
import Manifests

/// Turns a set's template and parameter sets into the Keelson Applications it generates: each
/// rendered, named and placed in the set's namespace, labelled `keelson.dev/application-set`,
/// owned by the set (`controller: true`), given the resources finalizer unless
/// `preserveResourcesOnDeletion`, and checked as the controller reads Applications. One failure
/// fails them all.
public struct ApplicationBuilder: Sendable {
    /// Turns a rendered Argo CD Application into a Keelson one; nil: Argo CD sets cannot be built.
    public var translateArgoApplication: (@Sendable (Manifest) throws -> Manifest)?
    /// The largest generated Application, as JSON.
    public static let maximumApplicationBytes = 256 * 1024

    /// Creates a builder.
    public init(translateArgoApplication: (@Sendable (Manifest) throws -> Manifest)? = nil) {
        self.translateArgoApplication = translateArgoApplication
    }

    /// The Applications `set` generates from `parameters`, sorted by name.
    public func applications(for set: ApplicationSet, parameters: [Parameters]) throws(ApplicationSetError) -> [Manifest] {
        guard set.name.count <= 63 else {
            throw ApplicationSetError(
                .invalidSpec, set: set.id, field: "metadata.name", "must be at most 63 characters: it is a label value on every generated Application"
            )
        }
        let renderer = TemplateRenderer(goTemplate: set.goTemplate, missingKeyIsError: set.missingKeyIsError)
        var byName: [String: Manifest] = [:]
        for (index, parameters) in parameters.enumerated() {
            let rendered: JSONValue
            do { rendered = try renderer.render(.object(set.template), parameters, field: "spec.template") } catch {
                throw error.about(set.id).withMessage("\(error.message) (parameter set \(index + 1))")
            }
            let application = try build(set, rendered: rendered.objectValue ?? [:])
            if byName[application.name] != nil {
                throw ApplicationSetError(
                    .application, set: set.id, field: "spec.template.metadata.name",
                    "two parameter sets generate the Application \(application.name); make the name unique per parameter set")
            }
            byName[application.name] = application
        }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// One Application from a rendered template.
    func build(_ set: ApplicationSet, rendered: JSONObject) throws(ApplicationSetError) -> Manifest {
        var metadata = rendered["metadata"]?.objectValue ?? [:]
        var spec = rendered["spec"] ?? .object([:])
        if set.translatesArgoCDTemplate {
            guard let translate = translateArgoApplication else {
                throw ApplicationSetError(.invalidSpec, set: set.id, field: "apiVersion", "Argo CD templates are not read by this controller")
            }
            if metadata["namespace"] == nil { metadata["namespace"] = .string(set.namespace) }
            let argo = Manifest(
                unchecked: ["apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": .object(metadata), "spec": spec])
            let translated: Manifest
            do { translated = try translate(argo) } catch {
                throw ApplicationSetError(
                    .application, set: set.id, field: "spec.template", "Application \(argo.name) cannot be translated from Argo CD's: \(error)")
            }
            metadata = translated.metadata
            spec = translated.object["spec"] ?? .object([:])
        }
        let name = metadata["name"]?.stringValue ?? ""
        guard Application.isDNSLabel(name) else {
            throw ApplicationSetError(
                .application, set: set.id, field: "spec.template.metadata.name",
                "\"\(name.prefix(80))\" is not a valid Application name (lowercase letters, digits, '-', at most 63)")
        }
        let namespace = metadata["namespace"]?.stringValue ?? ""
        guard namespace.isEmpty || namespace == set.namespace else {
            // An owner reference across namespaces is treated by Kubernetes' garbage collector as
            // a missing owner, which would delete the Application: generated ones stay beside their set.
            throw ApplicationSetError(
                .application, set: set.id, field: "spec.template.metadata.namespace",
                "Application \(name) would be in namespace \(namespace); generated Applications live in the set's namespace \(set.namespace)")
        }
        var labels = metadata["labels"]?.objectValue ?? [:]
        labels[ApplicationSet.setLabel] = .string(set.name)
        var finalizers = (metadata["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !set.syncPolicy.preserveResourcesOnDeletion && !finalizers.contains(ApplicationSet.resourcesFinalizer) {
            finalizers.append(ApplicationSet.resourcesFinalizer)
        }
        var out: JSONObject = ["name": .string(name), "namespace": .string(set.namespace), "labels": .object(labels)]
        if let annotations = metadata["annotations"]?.objectValue, !annotations.isEmpty { out["annotations"] = .object(annotations) }
        if !finalizers.isEmpty { out["finalizers"] = .array(finalizers.map { .string($0) }) }
        out["ownerReferences"] = [Self.ownerReference(set)]
        let manifest = Manifest(
            unchecked: ["apiVersion": .string(Application.apiVersion), "kind": .string(Application.kind), "metadata": .object(out), "spec": spec])
        guard JSONWriter.compact(manifest.value).utf8.count <= Self.maximumApplicationBytes else {
            throw ApplicationSetError(.application, set: set.id, field: "spec.template", "Application \(name) is larger than 256 KiB")
        }
        do { _ = try Application(manifest) } catch {
            throw ApplicationSetError(.application, set: set.id, field: "spec.template", "generated \(error)")
        }
        return manifest
    }

    /// The owner reference every generated Application carries.
    static func ownerReference(_ set: ApplicationSet) -> JSONValue {
        [
            "apiVersion": .string(set.api.rawValue), "kind": "ApplicationSet", "name": .string(set.name), "uid": .string(set.uid),
            "controller": true, "blockOwnerDeletion": true,
        ]
    }

    /// Whether `application` names `set` as its controlling owner.
    public static func isOwned(_ application: Manifest, by set: ApplicationSet) -> Bool {
        (application.metadata["ownerReferences"]?.arrayValue ?? []).contains { reference in
            reference["uid"]?.stringValue == set.uid && !set.uid.isEmpty && reference["controller"]?.boolValue == true
        }
    }
}

extension ApplicationSetError {
    func withMessage(_ message: String) -> ApplicationSetError {
        var copy = self
        copy.message = message
        return copy
    }
}
