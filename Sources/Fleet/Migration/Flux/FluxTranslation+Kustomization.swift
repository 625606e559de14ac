import Controller
import Manifests

extension FluxTranslation {
    /// What Keelson does instead of the Kustomization fields it has no counterpart for.
    static let kustomizationFieldsReported: [String: String] = [
        "retryInterval":
            "Keelson retries a failed sync as spec.syncPolicy.retry says (default: 5 times, 5s doubling up to 3m), then at the next interval",
        "healthChecks":
            "Keelson assesses the health of every object it applies (and dependsOn waits for it); objects it does not apply are not checked",
        "healthCheckExprs": "Keelson assesses health with its built-in rules per kind",
        "timeout": "Keelson waits for health without a deadline; the Application shows Progressing meanwhile",
        "force": "set the annotation keelson.dev/sync-options: Force=true on the objects to recreate them when an immutable field changes",
        "components": "Kustomize components from the Kustomization object are not supported: list them in the kustomization.yaml",
    ]

    /// A Kustomization as a Keelson Application of the same name.
    static func kustomization(_ manifest: Manifest, context: inout Context, object: inout ObjectTranslation) throws(TranslationFailure) -> Manifest {
        let ownNamespace = Context.namespace(of: manifest)
        var spec = try specFields(of: object)
        var sourceRef = try object.fields(spec.take("sourceRef"), "spec.sourceRef")
        let kind = try object.string(sourceRef.take("kind"), "spec.sourceRef.kind") ?? ""
        guard let sourceName = try object.string(sourceRef.take("name"), "spec.sourceRef.name"), !sourceName.isEmpty else {
            throw object.failure("spec.sourceRef.name", "is required")
        }
        let sourceNamespace = try object.string(sourceRef.take("namespace"), "spec.sourceRef.namespace") ?? ownNamespace
        guard kind == "GitRepository" else {
            throw object.failure(
                "spec.sourceRef.kind",
                kind == "OCIRepository" || kind == "Bucket"
                    ? "Keelson has no \(kind == "Bucket" ? "bucket" : "OCI artifact") source: Applications read Git repositories (and charts)"
                    : "\(kind) is not a Flux source kind")
        }
        guard let (gitManifest, report) = context.source(kind: kind, name: sourceName, namespace: sourceNamespace) else {
            throw object.failure(
                "spec.sourceRef", "\(sourceGroup)/GitRepository \(sourceNamespace)/\(sourceName) is not among the objects translated")
        }
        let git = try gitSource(gitManifest, report: report, context: &context)

        var source: JSONObject = ["repoURL": .string(git.repoURL), "revision": .string(git.revision ?? "master")]
        if let path = try object.string(spec.take("path"), "spec.path"), let normal = normalisedPath(path) { source["path"] = .string(normal) }
        if let secret = git.secretRef { source["secretRef"] = ["name": .string(secret)] }
        var references = git.references
        if let decryption = spec.take("decryption") {
            var fields = try object.fields(decryption, "spec.decryption")
            let provider = try object.string(fields.take("provider"), "spec.decryption.provider") ?? "sops"
            guard provider == "sops" else { throw object.failure("spec.decryption.provider", "only sops is supported") }
            var keelson: JSONObject = ["provider": "sops"]
            if let secret = try object.string(fields.take("secretRef")?["name"], "spec.decryption.secretRef.name") {
                keelson["secretRef"] = ["name": .string(secret)]
                references.append("Secret \(secret)")
            }
            source["decryption"] = .object(keelson)
            object.reportLeftovers(fields)
        }
        let targetNamespace = try object.string(spec.take("targetNamespace"), "spec.targetNamespace").flatMap { $0.isEmpty ? nil : $0 }
        let kustomize = try kustomizeOptions(&spec, targetNamespace: targetNamespace, object: &object)
        if !kustomize.isEmpty { source["kustomize"] = .object(kustomize) }
        if let postBuild = try postBuild(spec.take("postBuild"), references: &references, object: &object) {
            source["postBuild"] = .object(postBuild)
        }

        var keelson: JSONObject = ["source": .object(source)]
        // Flux refuses a namespaced object that names no namespace when targetNamespace is not
        // set; Keelson places it in the destination namespace: the Kustomization's own.
        keelson["destination"] = ["namespace": .string(targetNamespace ?? ownNamespace)]
        // Flux applies the whole set again at every interval, correcting drift.
        let prune = try object.bool(spec.take("prune"), "spec.prune") ?? false
        var policy: JSONObject = ["automated": ["prune": .bool(prune), "selfHeal": true]]
        // Deleting the Kustomization deletes its objects as its deletionPolicy says (MirrorPrune: when it prunes).
        let deletionPolicy = try object.string(spec.take("deletionPolicy"), "spec.deletionPolicy") ?? "MirrorPrune"
        let deletes: Bool
        switch deletionPolicy {
        case "MirrorPrune": deletes = prune
        case "Delete": deletes = true
        case "Orphan": deletes = false
        case "WaitForTermination":
            deletes = true
            object.report("spec.deletionPolicy", "WaitForTermination: Keelson deletes the objects and waits for each to go, not for what they own")
        default: throw object.failure("spec.deletionPolicy", "\(deletionPolicy) is not MirrorPrune, Delete, WaitForTermination or Orphan")
        }
        if let interval = interval([try object.string(spec.take("interval"), "spec.interval"), git.interval]) {
            policy["interval"] = .string(interval)
        }
        keelson["syncPolicy"] = .object(policy)
        let dependencies = try dependsOn(spec.take("dependsOn"), kind: "Kustomization", from: ownNamespace, context: context, object: object)
        if !dependencies.isEmpty { keelson["dependsOn"] = .array(dependencies) }
        try serviceAccount(&spec, into: &keelson, object: &object)
        if try object.bool(spec.take("suspend"), "spec.suspend") == true { keelson["suspend"] = true }
        // `wait` asks for what Keelson always does: an Application is healthy when all it applied is.
        _ = spec.take("wait")
        for key in spec.leftovers.sorted() {
            object.report("spec.\(key)", kustomizationFieldsReported[key] ?? "not known to Keelson's translator; left out")
        }
        let (namespace, name) = context.names["Kustomization/\(ownNamespace)/\(manifest.name)"] ?? (ownNamespace, manifest.name)
        reportMoved(manifest, to: namespace, references: references, object: &object)
        return TranslationBuilder.object(
            kind: Application.kind, apiVersion: Application.apiVersion, name: name, namespace: namespace, from: object, spec: keelson,
            labels: manifest.metadata["labels"]?.objectValue ?? [:], finalizers: deletes ? [Application.resourcesFinalizer] : [])
    }

    /// `spec.serviceAccountName`, carried with the difference in where it lives reported.
    static func serviceAccount(_ spec: inout Fields, into keelson: inout JSONObject, object: inout ObjectTranslation) throws(TranslationFailure) {
        guard let account = try object.string(spec.take("serviceAccountName"), "spec.serviceAccountName"), !account.isEmpty else { return }
        keelson["serviceAccountName"] = .string(account)
        object.report(
            "spec.serviceAccountName",
            "carried over, but Keelson impersonates the ServiceAccount of that name in the destination namespace, where Flux uses the one in \(Context.namespace(of: object.manifest))"
        )
    }

    /// The Kustomize options of a Kustomization: targetNamespace, prefixes, common metadata,
    /// patches and images.
    private static func kustomizeOptions(_ spec: inout Fields, targetNamespace: String?, object: inout ObjectTranslation) throws(TranslationFailure)
        -> JSONObject
    {
        var result: JSONObject = [:]
        for key in ["namePrefix", "nameSuffix"] {
            if let text = try object.string(spec.take(key), "spec.\(key)"), !text.isEmpty { result[key] = .string(text) }
        }
        if let targetNamespace { result["namespace"] = .string(targetNamespace) }
        if let metadata = spec.take("commonMetadata") {
            var fields = try object.fields(metadata, "spec.commonMetadata")
            // Flux's common labels leave selectors alone: Kustomize's `labels`, not `commonLabels`.
            let labels = try object.stringMap(fields.take("labels"), "spec.commonMetadata.labels")
            if !labels.isEmpty { result["labels"] = .object(labels) }
            let annotations = try object.stringMap(fields.take("annotations"), "spec.commonMetadata.annotations")
            if !annotations.isEmpty {
                result["commonAnnotations"] = .object(annotations)
                object.report(
                    "spec.commonMetadata.annotations",
                    "applied as kustomize's commonAnnotations, which also annotate pod templates (Flux sets only the objects' own metadata): workloads roll once"
                )
            }
            object.reportLeftovers(fields)
        }
        var patches: [JSONValue] = []
        for (index, item) in try object.array(spec.take("patches"), "spec.patches").enumerated() {
            var fields = try object.fields(item, "spec.patches[\(index)]")
            guard let text = try object.string(fields.take("patch"), fields.path("patch")), !text.isEmpty else {
                throw object.failure(fields.path("patch"), "is required")
            }
            var patch: JSONObject = ["patch": .string(text)]
            if let target = fields.take("target") { patch["target"] = target }
            patches.append(.object(patch))
            object.reportLeftovers(fields)
        }
        if !patches.isEmpty { result["patches"] = .array(patches) }
        var images: [JSONValue] = []
        for (index, item) in try object.array(spec.take("images"), "spec.images").enumerated() {
            var fields = try object.fields(item, "spec.images[\(index)]")
            var image: JSONObject = [:]
            for key in ["name", "newName", "newTag", "digest"] {
                if let text = try object.string(fields.take(key), fields.path(key)), !text.isEmpty { image[key] = .string(text) }
            }
            images.append(.object(image))
            object.reportLeftovers(fields)
        }
        if !images.isEmpty { result["images"] = .array(images) }
        return result
    }

    /// `postBuild`: variable substitution, from the object and from ConfigMaps and Secrets.
    private static func postBuild(_ value: JSONValue?, references: inout [String], object: inout ObjectTranslation) throws(TranslationFailure)
        -> JSONObject?
    {
        guard let value else { return nil }
        var fields = try object.fields(value, "spec.postBuild")
        var result: JSONObject = [:]
        let substitute = try object.stringMap(fields.take("substitute"), "spec.postBuild.substitute")
        if !substitute.isEmpty { result["substitute"] = .object(substitute) }
        var from: [JSONValue] = []
        for (index, item) in try object.array(fields.take("substituteFrom"), "spec.postBuild.substituteFrom").enumerated() {
            var entry = try object.fields(item, "spec.postBuild.substituteFrom[\(index)]")
            let kind = try object.string(entry.take("kind"), entry.path("kind")) ?? ""
            guard kind == "ConfigMap" || kind == "Secret" else { throw object.failure(entry.path("kind"), "must be ConfigMap or Secret") }
            guard let name = try object.string(entry.take("name"), entry.path("name")), !name.isEmpty else {
                throw object.failure(entry.path("name"), "is required")
            }
            var keelson: JSONObject = ["kind": .string(kind), "name": .string(name)]
            if try object.bool(entry.take("optional"), entry.path("optional")) == true { keelson["optional"] = true }
            from.append(.object(keelson))
            references.append("\(kind) \(name)")
            object.reportLeftovers(entry)
        }
        if !from.isEmpty { result["substituteFrom"] = .array(from) }
        object.reportLeftovers(fields)
        return result.isEmpty ? nil : result
    }
}
