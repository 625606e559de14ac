import Controller
import KeelsonFoundation
import Manifests

extension ArgoCDTranslation {
    /// The finalizer that makes Argo CD delete an Application's objects with it (also spelled
    /// with `/foreground` or `/background`); Keelson's `Application.resourcesFinalizer` does the same.
    static let resourcesFinalizer = "resources-finalizer.argocd.argoproj.io"

    /// One Keelson Application per Argo CD Application, or one per source of a multi-source one.
    static func application(_ manifest: Manifest, options: TranslationOptions, object: inout ObjectTranslation) throws(TranslationFailure)
        -> [Manifest]
    {
        var spec = try object.fields(manifest.object["spec"], "spec")
        var keelson: JSONObject = [:]
        if let project = try object.string(spec.take("project"), "spec.project"), !project.isEmpty, project != Project.defaultName {
            keelson["project"] = .string(project)
        }
        let sources = try translateSources(&spec, object: &object)
        keelson["destination"] = .object(try destination(spec.take("destination"), options: options, object: object))
        let policy = try syncPolicy(spec.take("syncPolicy"), object: &object)
        if !policy.isEmpty { keelson["syncPolicy"] = .object(policy) }
        let ignored = try ignoreDifferences(spec.take("ignoreDifferences"), object: &object)
        if !ignored.isEmpty { keelson["ignoreDifferences"] = .array(ignored) }
        if let limit = try object.int(spec.take("revisionHistoryLimit"), "spec.revisionHistoryLimit") {
            keelson["revisionHistoryLimit"] = .number(JSONNumber(Int64(limit)))
        }
        var info: [JSONValue] = []
        for (index, item) in try object.array(spec.take("info"), "spec.info").enumerated() {
            var entry = try object.fields(item, "spec.info[\(index)]")
            let name = try object.string(entry.take("name"), entry.path("name")) ?? ""
            let value = try object.string(entry.take("value"), entry.path("value")) ?? ""
            info.append(["name": .string(name), "value": .string(value)])
        }
        if !info.isEmpty { keelson["info"] = .array(info) }
        object.reportLeftovers(spec)

        let (labels, annotations, finalizers) = metadata(manifest, object: &object)
        let namespace = options.applicationNamespace(for: manifest.namespace)
        let names = sources.count == 1 ? [manifest.name] : sources.map { "\(manifest.name)-\($0.index)" }
        if sources.count > 1 {
            object.report(
                "spec.sources",
                "Keelson has one source per Application: split into \(names.joined(separator: ", ")), which sync and prune separately "
                    + "(sync waves and hooks do not order objects across them, and an object moved between sources is pruned by one and applied by the other)"
            )
        }
        return zip(names, sources).map { name, source in
            var spec = keelson
            spec["source"] = .object(source.source)
            let ordered = spec.reordered(first: ["project", "source", "destination", "syncPolicy", "ignoreDifferences"])
            return TranslationBuilder.object(
                kind: Application.kind, apiVersion: Application.apiVersion, name: name, namespace: namespace, from: object, spec: ordered,
                labels: labels, annotations: annotations, finalizers: finalizers)
        }
    }

    /// The sources to translate, with their index in `spec.sources` (0 for `spec.source`).
    private static func translateSources(_ spec: inout Fields, object: inout ObjectTranslation) throws(TranslationFailure) -> [(
        index: Int, source: JSONObject
    )] {
        let many = try object.array(spec.take("sources"), "spec.sources")
        let single = spec.take("source")
        if many.isEmpty {
            guard let single else { throw object.failure("spec.source", "is required (or spec.sources)") }
            return [(0, try source(single, "spec.source", object: &object))]
        }
        if single != nil { object.report("spec.source", "ignored, as Argo CD ignores it when spec.sources is set") }
        // A `$ref/…` values file reads another source's checkout: one Keelson Application per
        // source cannot do that.
        for (index, item) in many.enumerated() {
            for file in (item["helm"]?["valueFiles"]?.arrayValue ?? []).compactMap(\.stringValue) where file.hasPrefix("$") {
                throw object.failure(
                    "spec.sources[\(index)].helm.valueFiles",
                    "\(file) reads another source's files; a Keelson Application has one source, so this Application cannot be split faithfully")
            }
        }
        var result: [(index: Int, source: JSONObject)] = []
        for (index, item) in many.enumerated() {
            let field = "spec.sources[\(index)]"
            if item["ref"]?.stringValue != nil, item["path"] == nil, item["chart"] == nil {
                object.report(field, "a ref source only lends files to other sources, and none reads them: nothing to translate")
                continue
            }
            result.append((index, try source(item, field, object: &object)))
        }
        guard !result.isEmpty else { throw object.failure("spec.sources", "holds no source that renders anything") }
        return result
    }

    private static func destination(_ value: JSONValue?, options: TranslationOptions, object: ObjectTranslation) throws(TranslationFailure)
        -> JSONObject
    {
        var fields = try object.fields(value, "spec.destination")
        let server = try object.string(fields.take("server"), "spec.destination.server")
        let name = try object.string(fields.take("name"), "spec.destination.name")
        var result: JSONObject = [:]
        if let namespace = try object.string(fields.take("namespace"), "spec.destination.namespace"), !namespace.isEmpty {
            result["namespace"] = .string(namespace)
        }
        let cluster = try cluster(server: server, name: name, field: "spec.destination", options: options, object: object)
        if cluster != ApplicationSpec.Destination.inCluster { result["cluster"] = .string(cluster) }
        if let extra = fields.leftovers.first { throw object.failure(fields.path(extra), "unknown destination field") }
        return result
    }

    /// Labels carried over, annotations except Argo CD's own, and Argo CD's resources finalizer
    /// as Keelson's (other finalizers belong to whoever set them on the Argo CD object).
    private static func metadata(_ manifest: Manifest, object: inout ObjectTranslation) -> (JSONObject, JSONObject, [String]) {
        let labels = manifest.metadata["labels"]?.objectValue ?? [:]
        var annotations: JSONObject = [:]
        for (key, value) in manifest.metadata["annotations"]?.objectValue ?? [:] {
            if key == "kubectl.kubernetes.io/last-applied-configuration" { continue }
            if key.hasPrefix("argocd.argoproj.io/") || key.hasPrefix("notifications.argoproj.io/") {
                object.report("metadata.annotations.\(key)", "an Argo CD setting with no meaning to Keelson; left out")
                continue
            }
            annotations[key] = value
        }
        let cascades = manifest.finalizers.contains { $0.hasPrefix(resourcesFinalizer) }
        return (labels, annotations, cascades ? [Application.resourcesFinalizer] : [])
    }
}
