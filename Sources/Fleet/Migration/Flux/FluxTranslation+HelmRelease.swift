import Controller
import Manifests

extension FluxTranslation {
    /// What Keelson does instead of the HelmRelease fields it has no counterpart for.
    static let helmReleaseFieldsReported: [String: String] = [
        "storageNamespace": "Keelson renders charts and applies the objects itself: no Helm release Secret is stored",
        "maxHistory": "Keelson keeps its own sync history (spec.revisionHistoryLimit), not Helm releases",
        "test": "Keelson leaves chart tests out; run them with helm test if needed",
        "rollback": "Keelson does not roll back a failed sync on its own; it retries as spec.syncPolicy.retry says",
        "uninstall": "deleting the HelmRelease deletes its objects (Keelson's resources finalizer), without Helm's uninstall options or hooks",
        "timeout": "Keelson waits for health without a deadline; the Application shows Progressing meanwhile",
        "persistentClient": "not meaningful to Keelson",
        "commonMetadata": "Keelson has no common labels for charts: use helm.postRenderer patches",
    ]

    /// A HelmRelease as a Keelson Application with a chart source.
    static func helmRelease(_ manifest: Manifest, context: inout Context, object: inout ObjectTranslation) throws(TranslationFailure) -> Manifest {
        let ownNamespace = Context.namespace(of: manifest)
        var spec = try specFields(of: object)
        var (chart, valueFiles) = try chartSource(&spec, namespace: ownNamespace, context: &context, object: object)
        var references = chart.references
        var source: JSONObject = ["repoURL": .string(chart.repoURL)]
        if let name = chart.chart { source["chart"] = .string(name) }
        if let revision = chart.revision { source["revision"] = .string(revision) }
        if let path = chart.path { source["path"] = .string(path) }
        if let secret = chart.secretRef { source["secretRef"] = ["name": .string(secret)] }

        var helm: JSONObject = [:]
        let (namespace, name) = context.names["HelmRelease/\(ownNamespace)/\(manifest.name)"] ?? (ownNamespace, manifest.name)
        let targetNamespace = try object.string(spec.take("targetNamespace"), "spec.targetNamespace").flatMap { $0.isEmpty ? nil : $0 }
        if let release = try object.string(spec.take("releaseName"), "spec.releaseName"), !release.isEmpty {
            helm["releaseName"] = .string(release)
        } else {
            // Flux names the release `[<targetNamespace>-]<name>`; Keelson, after the Application.
            let release = (targetNamespace.map { "\($0)-" } ?? "") + manifest.name
            if release.count > 53 {
                object.report(
                    "spec.releaseName",
                    "Flux shortens a release name over 53 characters with a hash: set spec.source.helm.releaseName to the release's name")
            } else if release != name {
                helm["releaseName"] = .string(release)
            }
        }
        if let path = chart.path {
            // Flux reads values files relative to the source's root; Keelson, to the chart.
            valueFiles = try valueFiles.map { file throws(TranslationFailure) in
                let normal = normalisedPath(file) ?? file
                guard normal.hasPrefix(path + "/") else {
                    throw object.failure(
                        "spec.chart.spec.valuesFiles", "\(file) is outside the chart's directory \(path): Keelson reads values files inside the chart"
                    )
                }
                return String(normal.dropFirst(path.count + 1))
            }
        }
        if !valueFiles.isEmpty { helm["valueFiles"] = .array(valueFiles.map { .string($0) }) }
        if let values = spec.take("values") {
            guard values.objectValue != nil else { throw object.failure("spec.values", "must be an object") }
            helm["values"] = values
        }
        var valuesFrom: [JSONValue] = []
        for (index, item) in try object.array(spec.take("valuesFrom"), "spec.valuesFrom").enumerated() {
            var fields = try object.fields(item, "spec.valuesFrom[\(index)]")
            var entry: JSONObject = [:]
            for key in ["kind", "name", "valuesKey", "targetPath"] {
                if let text = try object.string(fields.take(key), fields.path(key)), !text.isEmpty { entry[key] = .string(text) }
            }
            guard let kind = entry["kind"]?.stringValue, kind == "ConfigMap" || kind == "Secret", let from = entry["name"]?.stringValue else {
                throw object.failure(fields.path("kind"), "needs kind ConfigMap or Secret, and a name")
            }
            if try object.bool(fields.take("optional"), fields.path("optional")) == true { entry["optional"] = true }
            valuesFrom.append(.object(entry))
            references.append("\(kind) \(from)")
            object.reportLeftovers(fields)
        }
        if !valuesFrom.isEmpty { helm["valuesFrom"] = .array(valuesFrom) }

        var policy: JSONObject = [:]
        var syncOptions: [JSONValue] = []
        let (retries, crds) = try installAndUpgrade(&spec, syncOptions: &syncOptions, object: &object)
        if crds != "Apply" { helm["crds"] = .string(crds) }
        let patches = try postRenderers(spec.take("postRenderers"), object: &object)
        if !patches.isEmpty { helm["postRenderer"] = ["patches": .array(patches)] }
        if !helm.isEmpty { source["helm"] = .object(helm) }

        var drift = try object.fields(spec.take("driftDetection"), "spec.driftDetection")
        let selfHeal = try object.string(drift.take("mode"), "spec.driftDetection.mode") == "enabled"
        let ignored = try driftIgnores(drift.take("ignore"), object: &object)
        object.reportLeftovers(drift)
        // A Helm upgrade deletes what the chart no longer renders; drift is corrected only when asked.
        policy["automated"] = ["prune": true, "selfHeal": .bool(selfHeal)]
        if let interval = interval([try object.string(spec.take("interval"), "spec.interval"), chart.interval]) {
            policy["interval"] = .string(interval)
        }
        policy["retry"] = ["limit": .number(JSONNumber(Int64(retries)))]
        if !syncOptions.isEmpty { policy["syncOptions"] = .array(syncOptions) }

        var keelson: JSONObject = ["source": .object(source), "destination": ["namespace": .string(targetNamespace ?? ownNamespace)]]
        keelson["syncPolicy"] = .object(policy)
        let dependencies = try dependsOn(spec.take("dependsOn"), kind: "HelmRelease", from: ownNamespace, context: context, object: object)
        if !dependencies.isEmpty { keelson["dependsOn"] = .array(dependencies) }
        if !ignored.isEmpty { keelson["ignoreDifferences"] = .array(ignored) }
        try serviceAccount(&spec, into: &keelson, object: &object)
        if try object.bool(spec.take("suspend"), "spec.suspend") == true { keelson["suspend"] = true }
        for key in spec.leftovers.sorted() {
            object.report("spec.\(key)", helmReleaseFieldsReported[key] ?? "not known to Keelson's translator; left out")
        }
        if name != manifest.name {
            object.report(
                "metadata.name", "a Kustomization \(ownNamespace)/\(manifest.name) takes that name: the Application is \(namespace)/\(name)")
        }
        reportMoved(manifest, to: namespace, references: references, object: &object)
        return TranslationBuilder.object(
            kind: Application.kind, apiVersion: Application.apiVersion, name: name, namespace: namespace, from: object, spec: keelson,
            // Deleting a HelmRelease uninstalls its release: its objects go.
            labels: manifest.metadata["labels"]?.objectValue ?? [:], finalizers: [Application.resourcesFinalizer])
    }

    /// The chart a HelmRelease names, in `chart.spec` or by `chartRef`, with its values files.
    private static func chartSource(_ spec: inout Fields, namespace: String, context: inout Context, object: ObjectTranslation)
        throws(TranslationFailure) -> (SourceFields, [String])
    {
        if let reference = spec.take("chartRef") {
            var fields = try object.fields(reference, "spec.chartRef")
            let kind = try object.string(fields.take("kind"), "spec.chartRef.kind") ?? ""
            guard let name = try object.string(fields.take("name"), "spec.chartRef.name"), !name.isEmpty else {
                throw object.failure("spec.chartRef.name", "is required")
            }
            let sourceNamespace = try object.string(fields.take("namespace"), "spec.chartRef.namespace") ?? namespace
            guard let (manifest, report) = context.source(kind: kind, name: name, namespace: sourceNamespace) else {
                throw object.failure("spec.chartRef", "\(sourceGroup)/\(kind) \(sourceNamespace)/\(name) is not among the objects translated")
            }
            switch kind {
            case "OCIRepository": return (try ociChart(manifest, report: report, context: &context), [])
            case "HelmChart":
                var chartObject = report ?? ObjectTranslation(manifest)
                let result = try chartTemplate(
                    manifest.object["spec"], field: "spec", namespace: sourceNamespace, context: &context, object: &chartObject)
                if report != nil { context.sourceReports.append(chartObject) }
                return result
            default: throw object.failure("spec.chartRef.kind", "must be OCIRepository or HelmChart")
            }
        }
        guard let chart = spec.take("chart") else { throw object.failure("spec.chart", "is required (or spec.chartRef)") }
        var fields = try object.fields(chart, "spec.chart")
        var report = object
        let result = try chartTemplate(fields.take("spec"), field: "spec.chart.spec", namespace: namespace, context: &context, object: &report)
        _ = fields.take("metadata")
        return result
    }

    /// A chart template (`chart.spec`, or a HelmChart's `spec`): chart, version, source and values files.
    private static func chartTemplate(_ value: JSONValue?, field: String, namespace: String, context: inout Context, object: inout ObjectTranslation)
        throws(TranslationFailure) -> (SourceFields, [String])
    {
        var fields = try object.fields(value, field)
        guard let chart = try object.string(fields.take("chart"), fields.path("chart")), !chart.isEmpty else {
            throw object.failure(fields.path("chart"), "is required")
        }
        let version = try object.string(fields.take("version"), fields.path("version"))
        var sourceRef = try object.fields(fields.take("sourceRef"), fields.path("sourceRef"))
        let kind = try object.string(sourceRef.take("kind"), sourceRef.path("kind")) ?? "HelmRepository"
        guard let name = try object.string(sourceRef.take("name"), sourceRef.path("name")), !name.isEmpty else {
            throw object.failure(sourceRef.path("name"), "is required")
        }
        let sourceNamespace = try object.string(sourceRef.take("namespace"), sourceRef.path("namespace")) ?? namespace
        let source = try chartSource(
            chart: chart, version: version, kind: kind, name: name, namespace: sourceNamespace, field: sourceRef.path, context: &context,
            object: object)
        var files = try object.strings(fields.take("valuesFiles"), fields.path("valuesFiles"))
        if let file = try object.string(fields.take("valuesFile"), fields.path("valuesFile")), !file.isEmpty { files.insert(file, at: 0) }
        for key in ["interval", "reconcileStrategy"] { _ = fields.take(key) }
        if fields.has("verify") { object.report(fields.path("verify"), "Keelson does not verify chart signatures") }
        _ = fields.take("verify")
        object.reportLeftovers(fields)
        return (source, files)
    }

    /// `install` and `upgrade`: the retry limit (remediation retries), the CRD policy and
    /// `createNamespace`; everything else reported.
    private static func installAndUpgrade(_ spec: inout Fields, syncOptions: inout [JSONValue], object: inout ObjectTranslation)
        throws(TranslationFailure) -> (retries: Int, crds: String)
    {
        var install = try object.fields(spec.take("install"), "spec.install")
        var upgrade = try object.fields(spec.take("upgrade"), "spec.upgrade")
        if try object.bool(install.take("createNamespace"), "spec.install.createNamespace") == true {
            syncOptions.append("CreateNamespace=true")
        }
        func retries(_ fields: inout Fields) throws(TranslationFailure) -> Int {
            var remediation = try object.fields(fields.take("remediation"), fields.path("remediation"))
            defer { object.reportLeftovers(remediation, "Keelson retries a failed sync; it neither rolls back nor uninstalls") }
            guard let count = try object.int(remediation.take("retries"), remediation.path("retries")) else { return 0 }
            if count < 0 || count > 100 { object.report(remediation.path("retries"), "Keelson retries at most 100 times: 100 was written") }
            return count < 0 ? 100 : min(count, 100)
        }
        let limit = max(try retries(&install), try retries(&upgrade))
        // Flux creates a chart's CRDs on install and leaves them alone on upgrade unless told.
        let installCRDs = try object.string(install.take("crds"), "spec.install.crds") ?? "Create"
        let upgradeCRDs = try object.string(upgrade.take("crds"), "spec.upgrade.crds") ?? "Skip"
        let crds = installCRDs == "Skip" ? "Skip" : upgradeCRDs == "CreateReplace" ? "Apply" : "CreateOnly"
        object.reportLeftovers(install, "not carried over: Keelson applies rendered objects with server-side apply, not helm install")
        object.reportLeftovers(upgrade, "not carried over: Keelson applies rendered objects with server-side apply, not helm upgrade")
        return (limit, crds)
    }

    /// `postRenderers`: the Kustomize patches; anything else reported.
    private static func postRenderers(_ value: JSONValue?, object: inout ObjectTranslation) throws(TranslationFailure) -> [JSONValue] {
        var patches: [JSONValue] = []
        for (index, item) in try object.array(value, "spec.postRenderers").enumerated() {
            var renderer = try object.fields(item, "spec.postRenderers[\(index)]")
            var kustomize = try object.fields(renderer.take("kustomize"), renderer.path("kustomize"))
            patches += try object.array(kustomize.take("patches"), kustomize.path("patches"))
            object.reportLeftovers(kustomize, "Keelson's chart post-renderer takes patches only")
            object.reportLeftovers(renderer)
        }
        return patches
    }

    /// `driftDetection.ignore` rules that name a kind, as `ignoreDifferences`.
    private static func driftIgnores(_ value: JSONValue?, object: inout ObjectTranslation) throws(TranslationFailure) -> [JSONValue] {
        var result: [JSONValue] = []
        for (index, item) in try object.array(value, "spec.driftDetection.ignore").enumerated() {
            var rule = try object.fields(item, "spec.driftDetection.ignore[\(index)]")
            let paths = try object.strings(rule.take("paths"), rule.path("paths"))
            var target = try object.fields(rule.take("target"), rule.path("target"))
            var entry: JSONObject = [:]
            for key in ["group", "kind", "name", "namespace"] {
                if let text = try object.string(target.take(key), target.path(key)), !text.isEmpty { entry[key] = .string(text) }
            }
            _ = target.take("version")
            guard entry["kind"] != nil, target.leftovers.isEmpty, !paths.isEmpty else {
                object.report(
                    rule.path, "Keelson ignores differences of one kind (by group, kind, name, namespace) per entry: this rule was left out")
                continue
            }
            entry["jsonPointers"] = .array(paths.map { .string($0) })
            result.append(.object(entry))
        }
        return result
    }
}
