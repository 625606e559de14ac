import Controller
import KeelsonFoundation
import Manifests

/// Translates Flux's `Kustomization` and `HelmRelease` objects, with the sources they name
/// (`GitRepository`, `HelmRepository`, `HelmChart`, `OCIRepository`), into Keelson
/// Applications, reporting every field not carried over. A source is read only through what
/// refers to it; objects of other kinds are ignored.
///
/// ```swift
/// let translation = FluxTranslation.translate(try Manifest.decode(bytes, file: "flux.yaml"), options: TranslationOptions())
/// ```
public enum FluxTranslation {
    /// `Kustomization`'s API group.
    public static let kustomizeGroup = "kustomize.toolkit.fluxcd.io"
    /// `HelmRelease`'s API group.
    public static let helmGroup = "helm.toolkit.fluxcd.io"
    /// The sources' API group.
    public static let sourceGroup = "source.toolkit.fluxcd.io"
    /// The kinds read, by group.
    public static let kinds: [String: Set<String>] = [
        kustomizeGroup: ["Kustomization"], helmGroup: ["HelmRelease"],
        sourceGroup: ["GitRepository", "OCIRepository", "HelmRepository", "HelmChart", "Bucket"],
    ]
    /// The suffix a HelmRelease's Application takes when a Kustomization has its namespace and name.
    static let clashSuffix = "-helmrelease"

    /// Whether `manifest` is one of the Flux kinds this translator reads.
    public static func reads(_ manifest: Manifest) -> Bool { kinds[manifest.group]?.contains(manifest.kind) ?? false }

    /// Translates the Flux objects among `manifests`.
    public static func translate(_ manifests: [Manifest], options: TranslationOptions) -> Translation {
        var context = Context(manifests: manifests, options: options)
        var builder = TranslationBuilder()
        for manifest in manifests
        where manifest.kind == "Kustomization" && manifest.group == kustomizeGroup
            || manifest.kind == "HelmRelease"
                && manifest.group == helmGroup
        {
            var object = ObjectTranslation(manifest)
            do {
                let result =
                    manifest.kind == "Kustomization"
                    ? try kustomization(manifest, context: &context, object: &object)
                    : try helmRelease(manifest, context: &context, object: &object)
                builder.add(result, from: object)
                builder.record(object)
            } catch {
                builder.fail(error)
            }
        }
        for source in context.sourceReports { builder.record(source) }
        return builder.finished()
    }

    /// What every translation of one input shares: the sources by identity, the names chosen
    /// for the Applications, and the reports of sources already read.
    struct Context {
        let options: TranslationOptions
        var sources: [SourceKey: Manifest] = [:]
        /// `Kind/namespace/name` of a Kustomization or HelmRelease → its Application's namespace and name.
        var names: [String: (namespace: String, name: String)] = [:]
        var sourceReports: [ObjectTranslation] = []
        var reportedSources: Set<SourceKey> = []

        init(manifests: [Manifest], options: TranslationOptions) {
            self.options = options
            for manifest in manifests where manifest.group == FluxTranslation.sourceGroup {
                sources[SourceKey(kind: manifest.kind, namespace: Self.namespace(of: manifest), name: manifest.name)] = manifest
            }
            var taken: Set<String> = []
            for manifest in manifests where manifest.group == FluxTranslation.kustomizeGroup && manifest.kind == "Kustomization" {
                let namespace = options.applicationNamespace(for: manifest.namespace)
                names["Kustomization/\(Self.namespace(of: manifest))/\(manifest.name)"] = (namespace, manifest.name)
                taken.insert("\(namespace)/\(manifest.name)")
            }
            for manifest in manifests where manifest.group == FluxTranslation.helmGroup && manifest.kind == "HelmRelease" {
                let namespace = options.applicationNamespace(for: manifest.namespace)
                let name = taken.contains("\(namespace)/\(manifest.name)") ? manifest.name + FluxTranslation.clashSuffix : manifest.name
                names["HelmRelease/\(Self.namespace(of: manifest))/\(manifest.name)"] = (namespace, name)
            }
        }

        /// A namespace, `default` when the manifest names none (as `kubectl apply` would place it).
        static func namespace(of manifest: Manifest) -> String { manifest.namespace.isEmpty ? "default" : manifest.namespace }

        /// The source `reference` names, from an object in `namespace`, with a report object for
        /// its own fields the first time it is read.
        mutating func source(kind: String, name: String, namespace: String) -> (Manifest, ObjectTranslation?)? {
            let key = SourceKey(kind: kind, namespace: namespace, name: name)
            guard let manifest = sources[key] else { return nil }
            guard !reportedSources.contains(key) else { return (manifest, nil) }
            reportedSources.insert(key)
            return (manifest, ObjectTranslation(manifest))
        }
    }

    /// A source's identity.
    struct SourceKey: Hashable {
        var kind: String
        var namespace: String
        var name: String
    }

    /// A Kustomization's or HelmRelease's `spec`; one that deploys through a kubeconfig fails,
    /// since Keelson reaches other clusters through registered cluster Secrets.
    static func specFields(of object: ObjectTranslation) throws(TranslationFailure) -> Fields {
        let spec = try object.fields(object.manifest.object["spec"], "spec")
        if spec.has("kubeConfig") {
            throw object.failure(
                "spec.kubeConfig", "register the remote cluster (keelson cluster add NAME) and set spec.destination.cluster: NAME instead")
        }
        return spec
    }

    /// `dependsOn` entries as Keelson's `{name, namespace}`, following the names chosen for `kind`.
    static func dependsOn(_ value: JSONValue?, kind: String, from namespace: String, context: Context, object: ObjectTranslation)
        throws(TranslationFailure) -> [JSONValue]
    {
        var result: [JSONValue] = []
        for (index, item) in try object.array(value, "spec.dependsOn").enumerated() {
            var fields = try object.fields(item, "spec.dependsOn[\(index)]")
            guard let name = try object.string(fields.take("name"), fields.path("name")), !name.isEmpty else {
                throw object.failure(fields.path("name"), "is required")
            }
            let other = try object.string(fields.take("namespace"), fields.path("namespace")) ?? namespace
            let target = context.names["\(kind)/\(other)/\(name)"] ?? (context.options.applicationNamespace(for: other), name)
            result.append(["name": .string(target.name), "namespace": .string(target.namespace)])
        }
        return result
    }

    /// Reports, when the Application lives in another namespace than the Flux object, the
    /// Secrets and ConfigMaps it reads, which Keelson looks for in the Application's namespace.
    static func reportMoved(_ manifest: Manifest, to namespace: String, references: [String], object: inout ObjectTranslation) {
        let from = Context.namespace(of: manifest)
        guard from != namespace, !references.isEmpty else { return }
        object.report(
            "metadata.namespace",
            "the Application lives in \(namespace), not \(from): Keelson reads \(references.joined(separator: ", ")) from \(namespace), so copy them there"
        )
    }

    /// `interval`, the shorter of an object's and its source's (Keelson checks its source and
    /// corrects drift on one interval).
    static func interval(_ intervals: [String?]) -> String? {
        let parsed = intervals.compactMap { text in text.flatMap { text in GoDuration.parse(text).map { (text, $0) } } }
        return parsed.min { $0.1 < $1.1 }?.0
    }
}
