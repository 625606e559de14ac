import Helm
import Manifests

extension ApplicationSpec {
    /// `spec.source.helm`: how a chart is rendered. A source is a chart when it names one (`chart`,
    /// from an HTTP or OCI repository) or when its Git path holds a `Chart.yaml`.
    public struct HelmOptions: Sendable, Hashable {
        /// `releaseName` (default: the Application's name).
        public var releaseName: String?
        /// `valueFiles`: values files, relative to the chart, applied in order (`-f`).
        public var valueFiles: [String] = []
        /// `values`: inline values, an object or YAML text, applied after the files.
        public var values: JSONValue?
        /// `valuesFrom`: values read from ConfigMaps and Secrets of the Application's namespace, as Flux reads them.
        public var valuesFrom: [ValuesReference] = []
        /// `parameters`: single values, as `--set` (or `--set-string` with `forceString`), applied last.
        public var parameters: [Parameter] = []
        /// `kubeVersion`: the Kubernetes version templates see (default: the cluster's).
        public var kubeVersion: String?
        /// `apiVersions`: API versions templates see, added to the cluster's.
        public var apiVersions: [String] = []
        /// `skipCrds`: leave out the chart's `crds/` folder (same as `crds: Skip`).
        public var skipCrds = false
        /// `skipTests`: leave out test hooks.
        public var skipTests = false
        /// `crds`: how the chart's `crds/` objects are applied.
        public var crds: CRDPolicy = .apply
        /// `lookup`: whether templates may read the destination cluster (read-only, the destination
        /// namespace and cluster-scoped kinds; Secrets only with `lookupSecrets`).
        public var lookup = false
        /// `lookupSecrets`: whether `lookup` may read Secrets.
        public var lookupSecrets = false
        /// `postRenderer.patches`: Kustomize patches applied to the rendered objects.
        public var postRendererPatches: [JSONValue] = []

        /// Creates default options.
        public init() {}
    }

    /// `spec.source.helm.crds`.
    public enum CRDPolicy: String, Sendable, Hashable, CaseIterable {
        /// Created and updated like any object.
        case apply = "Apply"
        /// Created when missing, never updated or pruned (what `helm install` does with `crds/`).
        case createOnly = "CreateOnly"
        /// Left out.
        case skip = "Skip"
    }

    /// One `spec.source.helm.valuesFrom` entry.
    public struct ValuesReference: Sendable, Hashable {
        /// `ConfigMap` or `Secret`.
        public var kind: String
        /// The object's name, in the Application's namespace.
        public var name: String
        /// The data key holding YAML values (default `values.yaml`).
        public var valuesKey: String = "values.yaml"
        /// `targetPath`: when set, the key's text is set at this dotted path as one value.
        public var targetPath: String?
        /// `optional`: a missing object or key is skipped instead of failing.
        public var optional = false
    }

    /// One `spec.source.helm.parameters` entry.
    public struct Parameter: Sendable, Hashable {
        /// The `--set` path.
        public var name: String
        /// The value, typed as `--set` types it unless `forceString`.
        public var value: String
        /// `forceString`: set as a string (`--set-string`).
        public var forceString = false
    }
}

extension ApplicationSpec.HelmOptions {
    /// Reads `spec.source.helm`.
    init(_ value: JSONValue, reader: inout FieldReader) throws(ApplicationError) {
        let field = "spec.source.helm"
        let object = try reader.object(
            value, field,
            allowed: [
                "releaseName", "valueFiles", "values", "valuesFrom", "parameters", "kubeVersion", "apiVersions", "skipCrds", "skipTests",
                "crds", "lookup", "lookupSecrets", "postRenderer",
            ])
        self.init()
        if let name = try reader.string(object["releaseName"], field + ".releaseName") {
            guard Application.isDNSSubdomain(name), name.count <= 53 else {
                throw reader.error(field + ".releaseName", "must be a DNS subdomain of at most 53 characters, as Helm requires")
            }
            releaseName = name
        }
        valueFiles = try reader.strings(object["valueFiles"], field + ".valueFiles")
        for file in valueFiles where file.hasPrefix("/") || file.split(separator: "/").contains("..") {
            throw reader.error(field + ".valueFiles", "\"\(file)\" must be relative to the chart, without '..'")
        }
        switch object["values"] {
        case nil, .null: values = nil
        case .object, .string: values = object["values"]
        default: throw reader.error(field + ".values", "must be an object or YAML text")
        }
        for (index, item) in try reader.array(object["valuesFrom"], field + ".valuesFrom").enumerated() {
            let at = "\(field).valuesFrom[\(index)]"
            let entry = try reader.object(item, at, allowed: ["kind", "name", "valuesKey", "targetPath", "optional"])
            let kind = try reader.string(entry["kind"], at + ".kind", required: true)
            guard kind == "ConfigMap" || kind == "Secret" else { throw reader.error(at + ".kind", "must be ConfigMap or Secret") }
            valuesFrom.append(
                ApplicationSpec.ValuesReference(
                    kind: kind, name: try reader.string(entry["name"], at + ".name", required: true),
                    valuesKey: try reader.string(entry["valuesKey"], at + ".valuesKey") ?? "values.yaml",
                    targetPath: try reader.string(entry["targetPath"], at + ".targetPath"),
                    optional: try reader.bool(entry["optional"], at + ".optional") ?? false))
        }
        for (index, item) in try reader.array(object["parameters"], field + ".parameters").enumerated() {
            let at = "\(field).parameters[\(index)]"
            let entry = try reader.object(item, at, allowed: ["name", "value", "forceString"])
            parameters.append(
                ApplicationSpec.Parameter(
                    name: try reader.string(entry["name"], at + ".name", required: true),
                    value: try reader.string(entry["value"], at + ".value") ?? "",
                    forceString: try reader.bool(entry["forceString"], at + ".forceString") ?? false))
        }
        kubeVersion = try reader.string(object["kubeVersion"], field + ".kubeVersion")
        if let version = kubeVersion, KubeVersion(parsing: version) == nil {
            throw reader.error(field + ".kubeVersion", "\"\(version)\" is not a Kubernetes version such as 1.29 or v1.29.3")
        }
        apiVersions = try reader.strings(object["apiVersions"], field + ".apiVersions")
        skipCrds = try reader.bool(object["skipCrds"], field + ".skipCrds") ?? false
        skipTests = try reader.bool(object["skipTests"], field + ".skipTests") ?? false
        if let text = try reader.string(object["crds"], field + ".crds") {
            guard let policy = ApplicationSpec.CRDPolicy(rawValue: text) else {
                throw reader.error(field + ".crds", "must be one of \(ApplicationSpec.CRDPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            crds = policy
        }
        if skipCrds { crds = .skip }
        lookup = try reader.bool(object["lookup"], field + ".lookup") ?? false
        lookupSecrets = try reader.bool(object["lookupSecrets"], field + ".lookupSecrets") ?? false
        if let renderer = object["postRenderer"] {
            let postRenderer = try reader.object(renderer, field + ".postRenderer", allowed: ["patches"])
            postRendererPatches = try reader.array(postRenderer["patches"], field + ".postRenderer.patches")
        }
    }
}
