import Manifests

/// `generators` and `transformers` entries that configure kustomize's builtin plugins
/// (`apiVersion: builtin`, `kind: PatchTransformer`, `LabelTransformer`, `ConfigMapGenerator`...).
/// A builtin runs no code of the repository: it is the same transformer a kustomization field
/// runs, configured in full. So each config runs as a kustomization holding the one field it
/// stands for, declared where the entry is (its paths are read from there), with the config's own
/// `fieldSpecs` in place of kustomize's default field table. Exec, container and Go plugins stay
/// refused, as `kustomize build` refuses them without its plugin flags.
extension Build {
    /// The builtin generators, each with the kustomization field it stands for.
    static let generatorPlugins: [String: String] = [
        "ConfigMapGenerator": "configMapGenerator", "SecretGenerator": "secretGenerator",
        "HelmChartInflationGenerator": "helmCharts",
    ]

    /// The builtin transformers, each with the kustomization field it stands for.
    static let transformerPlugins: [String: String] = [
        "PatchTransformer": "patches", "PatchStrategicMergeTransformer": "patchesStrategicMerge",
        "PatchJson6902Transformer": "patchesJson6902", "ReplacementTransformer": "replacements",
        "LabelTransformer": "commonLabels", "AnnotationsTransformer": "commonAnnotations",
        "PrefixSuffixTransformer": "namePrefix", "PrefixTransformer": "namePrefix", "SuffixTransformer": "nameSuffix",
        "NamespaceTransformer": "namespace", "ImageTagTransformer": "images", "ReplicaCountTransformer": "replicas",
    ]

    /// Runs the generator configs of `kustomization`, after its generator fields, as kustomize does.
    mutating func runGeneratorPlugins(
        _ kustomization: Kustomization, into set: inout ResourceSet, namespace: String, depth: Int
    ) throws(RenderError) {
        for config in try pluginConfigs(kustomization, field: "generators", depth: depth) {
            let plugin = try BuiltinPlugin(config, field: "generators", known: Self.generatorPlugins, declaredIn: kustomization)
            switch plugin.kind {
            case "HelmChartInflationGenerator":
                try inflateHelmCharts(plugin.helmChartKustomization(), into: &set, namespace: namespace)
            default:
                // The kustomization's generatorOptions are for its own generator fields: a config carries its own.
                let kind = plugin.kind == "ConfigMapGenerator" ? "ConfigMap" : "Secret"
                let generated = try generate(kind, plugin.generatorArgs(), global: nil, kustomization: plugin.kustomization, field: plugin.field)
                try set.absorb(generated, field: "\(config.source): \(plugin.kind)")
            }
        }
    }

    /// Runs the transformer configs of `kustomization`, after its transformer fields, as kustomize does.
    mutating func runTransformerPlugins(_ kustomization: Kustomization, on set: inout ResourceSet, depth: Int) throws(RenderError) {
        for config in try pluginConfigs(kustomization, field: "transformers", depth: depth) {
            let plugin = try BuiltinPlugin(config, field: "transformers", known: Self.transformerPlugins, declaredIn: kustomization)
            let target = plugin.kustomization
            switch plugin.kind {
            case "PatchTransformer": try applyPatches(target, to: &set)
            case "PatchStrategicMergeTransformer": try applyStrategicMergePatches(target, to: &set)
            case "PatchJson6902Transformer": try applyJSON6902Patches(target, to: &set)
            case "ReplacementTransformer": try applyReplacements(target, to: &set)
            case "LabelTransformer":
                try plugin.withFieldSpecs(at: \.commonLabels, in: &set) { set throws(RenderError) in try applyLabels(target, to: &set) }
            case "AnnotationsTransformer":
                try plugin.withFieldSpecs(at: \.commonAnnotations, in: &set) { set throws(RenderError) in
                    try applyAnnotations(target, to: &set)
                }
            case "NamespaceTransformer":
                let options = try plugin.namespaceOptions()
                try plugin.withFieldSpecs(at: \.namespace, in: &set) { set throws(RenderError) in
                    try applyNamespace(target, to: &set, options: options)
                }
            case "ImageTagTransformer":
                try plugin.withFieldSpecs(at: \.images, in: &set) { set throws(RenderError) in try applyImages(target, to: &set) }
            case "ReplicaCountTransformer":
                try plugin.withFieldSpecs(at: \.replicas, in: &set) { set throws(RenderError) in try applyReplicas(target, to: &set) }
            default:
                // kustomize refuses a prefix or suffix config without field specs rather than renaming nothing.
                guard let specs = plugin.config["fieldSpecs"], !specs.isNull else {
                    throw plugin.error("fieldSpecs is not expected to be nil")
                }
                try plugin.withFieldSpecs(at: \.namePrefix, in: &set) { set throws(RenderError) in try applyPrefixSuffix(target, to: &set) }
            }
        }
    }

    /// The configs a `generators` or `transformers` list names, in kustomize's order: inline YAML
    /// entries first, then files and kustomization directories (whose output are the configs),
    /// read inside the declaring kustomization's directory like `resources`.
    private mutating func pluginConfigs(_ kustomization: Kustomization, field: String, depth: Int) throws(RenderError) -> [KResource] {
        var configs = ResourceSet()
        var paths: [String] = []
        for entry in try kustomization.strings(field) {
            let bytes = Array(entry.utf8)
            // kustomize tries every entry as YAML objects first; what does not read as objects is a path.
            let inline = try? decoder.decode(bytes, file: "\(kustomization.file): \(field)")
            if let inline, !inline.isEmpty, inline.allSatisfy({ $0.value.objectValue != nil }) {
                try configs.append(contentsOf: try objects(bytes, file: "\(kustomization.file): \(field)"))
            } else {
                paths.append(entry)
            }
        }
        for path in paths {
            try accumulateResource(path, of: kustomization, field: field, into: &configs, depth: depth, namespace: "")
        }
        return configs.resources
    }
}

/// One builtin plugin config, read as the kustomization field it stands for.
struct BuiltinPlugin {
    /// The plugin kind (`PatchTransformer`...).
    let kind: String
    /// The config object.
    let config: JSONObject
    /// Where the config came from, for errors.
    let source: String
    /// The list that named it: `generators` or `transformers`.
    let field: String
    /// The config as a kustomization holding only the field it stands for, declared where the
    /// entry is, so its paths read from there.
    private(set) var kustomization: Kustomization

    init(_ resource: KResource, field: String, known: [String: String], declaredIn declaring: Kustomization) throws(RenderError) {
        kind = resource.kind
        config = resource.object
        source = resource.source
        self.field = field
        let apiVersion = config["apiVersion"]?.stringValue ?? ""
        kustomization = Kustomization(plugin: source, name: resource.name, declaredIn: declaring)
        guard apiVersion == "builtin" else {
            throw error(
                "external plugin '\(kind)' (apiVersion '\(apiVersion)') is not run: only kustomize's builtin plugins (apiVersion: builtin) work",
                code: .unsupported)
        }
        guard let kustomizationField = known[kind] else {
            let other = field == "generators" ? Build.transformerPlugins[kind] : Build.generatorPlugins[kind]
            throw error(
                other != nil ? "plugin \(kind) is not a \(field.dropLast())" : "builtin plugin \(kind) is not supported",
                code: other != nil ? .kustomization : .unsupported)
        }
        kustomization.fields = try Self.fields(kind: kind, field: kustomizationField, config: config)
    }

    /// The kustomization field a config stands for, with its value.
    private static func fields(kind: String, field: String, config: JSONObject) throws(RenderError) -> JSONObject {
        func value(_ key: String) -> JSONValue { config[key] ?? .null }
        switch kind {
        case "PatchTransformer":
            return [field: .array([.object(only(["path", "patch", "target", "options"], of: config))])]
        case "PatchStrategicMergeTransformer":
            var entries = value("paths").arrayValue ?? []
            if let inline = config["patches"]?.stringValue, !inline.isEmpty { entries.append(.string(inline)) }
            return [field: .array(entries)]
        case "PatchJson6902Transformer":
            var entry = only(["path", "target"], of: config)
            entry["patch"] = config["jsonOp"]
            return [field: .array([.object(entry)])]
        case "ReplacementTransformer": return [field: value("replacements")]
        case "LabelTransformer": return [field: value("labels")]
        case "AnnotationsTransformer": return [field: value("annotations")]
        case "PrefixSuffixTransformer", "PrefixTransformer", "SuffixTransformer":
            return ["namePrefix": value("prefix"), "nameSuffix": value("suffix")]
        case "NamespaceTransformer": return [field: config["metadata"]?["namespace"] ?? .null]
        case "ImageTagTransformer": return [field: .array([value("imageTag")])]
        case "ReplicaCountTransformer": return [field: .array([value("replica")])]
        default: return [:]
        }
    }

    /// The entries of `object` under `keys`.
    private static func only(_ keys: Set<String>, of object: JSONObject) -> JSONObject {
        JSONObject(object.entries.filter { keys.contains($0.key) })
    }

    /// An error naming the config (its file, or the kustomization and list holding it inline).
    func error(_ message: String, code: RenderError.Code = .kustomization) -> RenderError {
        RenderError(code, "\(source): \(kind): \(message)")
    }

    /// The arguments of a ConfigMap or Secret generator config, as a `configMapGenerator` entry:
    /// its name and namespace come from its metadata.
    func generatorArgs() -> JSONObject {
        var args = JSONObject(config.entries.filter { !["apiVersion", "kind", "metadata"].contains($0.key) })
        args["name"] = config["metadata"]?["name"]
        args["namespace"] = config["metadata"]?["namespace"]
        return args
    }

    /// A HelmChartInflationGenerator config as a kustomization with one `helmCharts` entry and its
    /// `chartHome` as `helmGlobals`.
    func helmChartKustomization() -> Kustomization {
        let chart = JSONObject(
            config.entries.filter { !["apiVersion", "kind", "metadata", "chartHome", "configHome"].contains($0.key) && !$0.value.isNull })
        var target = kustomization
        target.fields = ["helmCharts": .array([.object(chart)])]
        if let home = config["chartHome"] { target.fields["helmGlobals"] = .object(["chartHome": home]) }
        return target
    }

    /// `unsetOnly` and `setRoleBindingSubjects` of a NamespaceTransformer config.
    func namespaceOptions() throws(RenderError) -> NamespaceOptions {
        let mode = config["setRoleBindingSubjects"]?.stringValue ?? ""
        guard let subjects = mode.isEmpty ? .defaultOnly : NamespaceOptions.Subjects(rawValue: mode) else {
            throw error(
                "invalid value \"\(mode)\" for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\"")
        }
        return NamespaceOptions(unsetOnly: config["unsetOnly"]?.boolValue == true, subjects: subjects)
    }

    /// Runs `transform` with the config's `fieldSpecs` as the field table at `table`, then puts
    /// the kustomization's table back.
    func withFieldSpecs(
        at table: WritableKeyPath<TransformerConfig, [FieldSpec]>, in set: inout ResourceSet,
        _ transform: (inout ResourceSet) throws(RenderError) -> Void
    ) throws(RenderError) {
        let specs = try TransformerConfig.specs(config["fieldSpecs"] ?? .array([]), file: source, table: "fieldSpecs")
        let saved = set.config
        set.config[keyPath: table] = specs
        defer { set.config = saved }
        try transform(&set)
    }
}

/// How a namespace transformer treats objects and role binding subjects.
struct NamespaceOptions: Sendable {
    /// Which RoleBinding and ClusterRoleBinding subjects get the namespace.
    enum Subjects: String, Sendable {
        /// Subjects named `default` (the kustomization field's behaviour).
        case defaultOnly
        /// Subjects of kind ServiceAccount.
        case allServiceAccounts
        /// None.
        case none
    }

    /// Only objects and fields without a namespace get one.
    var unsetOnly = false
    var subjects = Subjects.defaultOnly
}

extension NamespaceOptions.Subjects {
    /// Whether `subject` (an entry of a binding's `subjects`) gets the namespace.
    func covers(_ subject: JSONValue) -> Bool {
        switch self {
        case .defaultOnly: subject["name"]?.stringValue == "default"
        case .allServiceAccounts: subject["kind"]?.stringValue == "ServiceAccount"
        case .none: false
        }
    }
}
