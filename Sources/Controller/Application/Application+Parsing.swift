import KeelsonFoundation
import Manifests

/// An invalid Application (or Project), naming it and the field.
public struct ApplicationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The object (`namespace/name`, or the file when the name is unknown).
    public var application: String
    /// The field, e.g. `spec.syncPolicy.interval`.
    public var field: String
    /// What is wrong.
    public var message: String
    /// The object's kind.
    public var kind = "Application"

    public var description: String { "\(kind) \(application): \(field): \(message)" }
}

extension Application {
    /// The namespace Applications live in unless they say otherwise.
    public static let defaultNamespace = "keelson"

    /// Reads and validates an Application: unknown fields, wrong types, bad durations and
    /// paths that could leave the repository are refused with the field named.
    public init(_ manifest: Manifest) throws(ApplicationError) {
        let name = manifest.name
        let namespace = manifest.namespace.isEmpty ? Self.defaultNamespace : manifest.namespace
        let id = name.isEmpty ? (manifest.source?.description ?? "<unnamed>") : "\(namespace)/\(name)"
        var reader = FieldReader(application: id)
        guard manifest.apiVersion == Self.apiVersion, manifest.kind == Self.kind else {
            throw reader.error("apiVersion", "expected \(Self.apiVersion) \(Self.kind), found \(manifest.apiVersion) \(manifest.kind)")
        }
        guard Self.isDNSLabel(name) else { throw reader.error("metadata.name", "must be a DNS label (lowercase letters, digits, '-', at most 63)") }
        let spec = try reader.object(
            manifest.object["spec"], "spec",
            allowed: [
                "project", "serviceAccountName", "source", "destination", "syncPolicy", "dependsOn", "ignoreDifferences", "suspend",
                "revisionHistoryLimit", "info",
            ])
        self.name = name
        self.namespace = namespace
        self.spec = try ApplicationSpec(spec, namespace: namespace, reader: &reader)
        self.uid = manifest.object["metadata"]?["uid"]?.stringValue
    }

    static func isDNSSubdomain(_ s: String) -> Bool {
        s.count <= 253 && s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0)) }
    }

    /// Whether `s` is an RFC 1123 label, as a namespace name must be: lowercase letters, digits
    /// and `-`, at most 63, not starting or ending with `-`.
    public static func isDNSLabel(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 63 && s.first != "-" && s.last != "-"
            && s.allSatisfy { ($0.isLowercase && $0.isASCII) || ($0.isNumber && $0.isASCII) || $0 == "-" }
    }
}

extension ApplicationSpec {
    init(_ spec: JSONObject, namespace: String, reader: inout FieldReader) throws(ApplicationError) {
        let source = try reader.object(
            spec["source"], "spec.source",
            allowed: [
                "repoURL", "revision", "path", "directory", "decryption", "secretRef", "chart", "helm", "kustomize", "postBuild",
            ])
        let repoURL = try reader.string(source["repoURL"], "spec.source.repoURL", required: true)
        let path = try reader.string(source["path"], "spec.source.path") ?? "."
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            throw reader.error("spec.source.path", "must be relative to the repository root, without '..'")
        }
        var directory = DirectoryOptions()
        if let value = source["directory"] {
            let object = try reader.object(value, "spec.source.directory", allowed: ["recurse", "include", "exclude"])
            directory.recurse = try reader.bool(object["recurse"], "spec.source.directory.recurse") ?? true
            directory.include = try reader.strings(object["include"], "spec.source.directory.include")
            directory.exclude = try reader.strings(object["exclude"], "spec.source.directory.exclude")
        }
        var decryption: Decryption?
        if let value = source["decryption"] {
            let object = try reader.object(value, "spec.source.decryption", allowed: ["provider", "secretRef"])
            let provider = try reader.string(object["provider"], "spec.source.decryption.provider", required: true)
            guard provider == "sops" else { throw reader.error("spec.source.decryption.provider", "only sops is supported") }
            var secret: String?
            if let ref = object["secretRef"] {
                secret = try reader.string(
                    try reader.object(ref, "spec.source.decryption.secretRef", allowed: ["name"])["name"],
                    "spec.source.decryption.secretRef.name", required: true)
            }
            decryption = Decryption(provider: provider, secretRef: secret)
        }
        var credentials: String?
        if let ref = source["secretRef"] {
            credentials = try reader.string(
                try reader.object(ref, "spec.source.secretRef", allowed: ["name"])["name"],
                "spec.source.secretRef.name", required: true)
        }
        let chart = try reader.string(source["chart"], "spec.source.chart")
        if let chart, chart.isEmpty || chart.contains("/") {
            throw reader.error("spec.source.chart", "must be a chart name in the repository's index")
        }
        if chart != nil, repoURL.hasPrefix("oci://") {
            throw reader.error("spec.source.chart", "is not used with an oci:// repoURL, which names the chart itself")
        }
        self.source = Source(
            repoURL: repoURL,
            revision: try reader.string(source["revision"], "spec.source.revision") ?? (chart != nil || repoURL.hasPrefix("oci://") ? "*" : "main"),
            path: path, directory: directory, decryption: decryption, secretRef: credentials, chart: chart,
            helm: try source["helm"].map { value throws(ApplicationError) in try HelmOptions(value, reader: &reader) },
            kustomize: try source["kustomize"].map { value throws(ApplicationError) in try KustomizeOptions(value, reader: &reader) },
            postBuild: try source["postBuild"].map { value throws(ApplicationError) in try PostBuild(value, reader: &reader) })
        if self.source.chartRepository != nil {
            for field in ["kustomize", "postBuild"] where source[field] != nil {
                throw reader.error("spec.source." + field, "is not used with a chart source (\(chart == nil ? "an oci:// repoURL" : "chart"))")
            }
        }

        let destination = try reader.object(spec["destination"] ?? [:], "spec.destination", allowed: ["namespace", "cluster"])
        let target = try reader.string(destination["namespace"], "spec.destination.namespace") ?? "default"
        guard Application.isDNSLabel(target) else {
            throw reader.error("spec.destination.namespace", "must be a DNS label (lowercase letters, digits, '-', at most 63)")
        }
        let cluster = try reader.string(destination["cluster"], "spec.destination.cluster") ?? Destination.inCluster
        guard Application.isDNSLabel(cluster) else {
            throw reader.error("spec.destination.cluster", "must be a cluster name (lowercase letters, digits, '-', at most 63)")
        }
        self.destination = Destination(namespace: target, cluster: cluster)

        let policy = try reader.object(spec["syncPolicy"] ?? [:], "spec.syncPolicy", allowed: ["automated", "interval", "retry", "syncOptions"])
        var automated: Automated?
        if let value = policy["automated"] {
            let object = try reader.object(value, "spec.syncPolicy.automated", allowed: ["prune", "selfHeal", "allowEmpty"])
            automated = Automated(
                prune: try reader.bool(object["prune"], "spec.syncPolicy.automated.prune") ?? false,
                selfHeal: try reader.bool(object["selfHeal"], "spec.syncPolicy.automated.selfHeal") ?? false,
                allowEmpty: try reader.bool(object["allowEmpty"], "spec.syncPolicy.automated.allowEmpty") ?? false)
        }
        var retry = Retry()
        if let value = policy["retry"] {
            let object = try reader.object(value, "spec.syncPolicy.retry", allowed: ["limit", "backoff"])
            if let limit = object["limit"] {
                guard let n = limit.intValue, n >= 0, n <= 100 else {
                    throw reader.error("spec.syncPolicy.retry.limit", "must be a whole number from 0 to 100")
                }
                retry.limit = Int(n)
            }
            if let value = object["backoff"] {
                let backoff = try reader.object(value, "spec.syncPolicy.retry.backoff", allowed: ["duration", "factor", "maxDuration"])
                retry.backoff = try reader.duration(backoff["duration"], "spec.syncPolicy.retry.backoff.duration") ?? retry.backoff
                retry.maxBackoff = try reader.duration(backoff["maxDuration"], "spec.syncPolicy.retry.backoff.maxDuration") ?? retry.maxBackoff
                if let factor = backoff["factor"] {
                    guard let f = factor.doubleValue, f >= 1, f <= 10 else {
                        throw reader.error("spec.syncPolicy.retry.backoff.factor", "must be a number from 1 to 10")
                    }
                    retry.factor = f
                }
            }
        }
        let interval = try reader.duration(policy["interval"], "spec.syncPolicy.interval") ?? .seconds(180)
        guard interval >= .seconds(1) else { throw reader.error("spec.syncPolicy.interval", "must be at least 1s") }
        self.syncPolicy = SyncPolicy(
            automated: automated, interval: interval, retry: retry,
            syncOptions: try reader.strings(policy["syncOptions"], "spec.syncPolicy.syncOptions"))

        var dependsOn: [String] = []
        for (index, item) in (try reader.array(spec["dependsOn"], "spec.dependsOn")).enumerated() {
            let object = try reader.object(item, "spec.dependsOn[\(index)]", allowed: ["name", "namespace"])
            let name = try reader.string(object["name"], "spec.dependsOn[\(index)].name", required: true)
            let other = try reader.string(object["namespace"], "spec.dependsOn[\(index)].namespace") ?? namespace
            dependsOn.append("\(other)/\(name)")
        }
        self.dependsOn = dependsOn

        var ignore: [IgnoreDifference] = []
        for (index, item) in (try reader.array(spec["ignoreDifferences"], "spec.ignoreDifferences")).enumerated() {
            let field = "spec.ignoreDifferences[\(index)]"
            let object = try reader.object(item, field, allowed: ["group", "kind", "name", "namespace", "jsonPointers"])
            let pointers = try reader.strings(object["jsonPointers"], field + ".jsonPointers")
            for pointer in pointers where !pointer.hasPrefix("/") {
                throw reader.error(field + ".jsonPointers", "\"\(pointer)\" is not a JSON pointer (it must start with '/')")
            }
            ignore.append(
                IgnoreDifference(
                    group: try reader.string(object["group"], field + ".group") ?? "",
                    kind: try reader.string(object["kind"], field + ".kind", required: true),
                    name: try reader.string(object["name"], field + ".name"),
                    namespace: try reader.string(object["namespace"], field + ".namespace"), jsonPointers: pointers))
        }
        self.ignoreDifferences = ignore
        self.suspend = try reader.bool(spec["suspend"], "spec.suspend") ?? false
        let project = try reader.string(spec["project"], "spec.project") ?? "default"
        guard Application.isDNSLabel(project) else {
            throw reader.error("spec.project", "must be a DNS label (lowercase letters, digits, '-', at most 63)")
        }
        self.project = project
        if let limit = spec["revisionHistoryLimit"] {
            guard let n = limit.intValue, n >= 0, n <= 100 else {
                throw reader.error("spec.revisionHistoryLimit", "must be a whole number from 0 to 100")
            }
            self.revisionHistoryLimit = Int(n)
        }
        self.info = try Self.info(spec["info"], reader: &reader)
        if let account = try reader.string(spec["serviceAccountName"], "spec.serviceAccountName") {
            guard Application.isDNSSubdomain(account) else {
                throw reader.error("spec.serviceAccountName", "must be a DNS subdomain (lowercase letters, digits, '-', '.', at most 253)")
            }
            self.serviceAccountName = account
        }
    }
}

/// Typed reads of JSON fields that fail naming the field.
struct FieldReader {
    let application: String
    var kind = "Application"

    func error(_ field: String, _ message: String) -> ApplicationError {
        ApplicationError(application: application, field: field, message: message, kind: kind)
    }

    func object(_ value: JSONValue?, _ field: String, allowed: Set<String>) throws(ApplicationError) -> JSONObject {
        guard case .object(let object) = value ?? .object([:]) else { throw error(field, "must be an object") }
        for key in object.keys where !allowed.contains(key) {
            throw error(field + "." + key, "unknown field (known: \(allowed.sorted().joined(separator: ", ")))")
        }
        return object
    }

    func string(_ value: JSONValue?, _ field: String, required: Bool) throws(ApplicationError) -> String {
        guard let text = try string(value, field), !text.isEmpty else { throw error(field, "is required") }
        return text
    }

    func string(_ value: JSONValue?, _ field: String) throws(ApplicationError) -> String? {
        switch value {
        case nil, .null: return nil
        case .string(let s): return s
        default: throw error(field, "must be a string")
        }
    }

    func bool(_ value: JSONValue?, _ field: String) throws(ApplicationError) -> Bool? {
        switch value {
        case nil, .null: return nil
        case .bool(let b): return b
        default: throw error(field, "must be true or false")
        }
    }

    func array(_ value: JSONValue?, _ field: String) throws(ApplicationError) -> [JSONValue] {
        switch value {
        case nil, .null: return []
        case .array(let items): return items
        default: throw error(field, "must be a list")
        }
    }

    func strings(_ value: JSONValue?, _ field: String) throws(ApplicationError) -> [String] {
        var result: [String] = []
        for (index, item) in try array(value, field).enumerated() {
            guard let text = item.stringValue else { throw error("\(field)[\(index)]", "must be a string") }
            result.append(text)
        }
        return result
    }

    /// A map of strings, e.g. labels.
    func stringMap(_ value: JSONValue?, _ field: String) throws(ApplicationError) -> [String: String] {
        var result: [String: String] = [:]
        if value == nil || value == .null { return result }
        guard case .object(let object) = value else { throw error(field, "must be a map of strings") }
        for (key, item) in object {
            guard let text = item.stringValue else { throw error(field + "." + key, "must be a string") }
            result[key] = text
        }
        return result
    }

    func duration(_ value: JSONValue?, _ field: String) throws(ApplicationError) -> Duration? {
        guard let text = try string(value, field) else { return nil }
        guard let duration = GoDuration.parse(text), duration >= .zero else {
            throw error(field, "\"\(text)\" is not a duration such as 90s, 3m or 1h30m")
        }
        return duration
    }
}
