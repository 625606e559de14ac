import Manifests

/// A parsed `kustomization.yaml` (or `Kustomization`, `kind: Component`): the fields Keelson
/// reads, each checked for its type, with errors naming the file and the field.
struct Kustomization: Sendable {
    /// The file, relative to the render root.
    var file: String
    /// The directory holding the file, relative to the render root ("." for the root).
    var directory: String
    /// Whether this is a `kind: Component`.
    var isComponent: Bool
    /// The whole document.
    var fields: JSONObject
    /// The file's text, for fields kustomize reads with go-yaml's YAML 1.1 rules (`valuesInline`).
    var text = ""
    /// For a builtin plugin config run as a kustomization: the file of the kustomization that
    /// declared it, and the config's name.
    var plugin: (declaredIn: String, name: String)?

    /// File names kustomize recognises, in the order it looks for them.
    static let fileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// Fields kustomize knows; anything else is an error, as in kustomize's strict decoding.
    static let knownFields: Set<String> = [
        "apiVersion", "kind", "metadata", "resources", "bases", "components", "crds", "namespace",
        "namePrefix", "nameSuffix", "commonLabels", "labels", "commonAnnotations", "images", "imageTags",
        "replicas", "configMapGenerator", "secretGenerator", "generatorOptions", "patches",
        "patchesStrategicMerge", "patchesJson6902", "replacements", "vars", "configurations", "openapi",
        "sortOptions", "helmCharts", "helmGlobals", "helmChartInflationGenerator", "generators",
        "transformers", "validators", "buildMetadata",
    ]

    /// The known fields by their lowercased names.
    static let foldedFields = Dictionary(uniqueKeysWithValues: knownFields.map { ($0.lowercased(), $0) })

    /// Fields that would run code or reach the network, refused with the reason. (`generators` and
    /// `transformers` run kustomize's builtin plugins; other plugins are refused where they are read.)
    static let refusedFields: [(field: String, reason: String)] = [
        ("validators", "validator plugins (exec/KRM functions) are not run")
    ]

    init(file: String, directory: String, value: JSONValue) throws(RenderError) {
        self.file = file
        self.directory = directory
        guard let given = value.objectValue else {
            throw RenderError(.kustomization, "\(file): a kustomization must be a mapping, found \(value.typeName)")
        }
        // Go's JSON decoding, which kustomize's goes through, matches a key to a field whatever its
        // case when no field has it exactly (`nameprefix:`); of two keys for one field, the later wins.
        var object = JSONObject()
        for (key, value) in given {
            guard let field = Self.knownFields.contains(key) ? key : Self.foldedFields[key.lowercased()] else {
                throw RenderError(.kustomization, "\(file): \(key): unknown field")
            }
            object.entries[field] = value
        }
        fields = object
        let kind = object["kind"]?.stringValue ?? "Kustomization"
        guard kind == "Kustomization" || kind == "Component" else {
            throw RenderError(.kustomization, "\(file): kind: unknown kind \(kind); expected Kustomization or Component")
        }
        isComponent = kind == "Component"
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty {
            let expected = isComponent ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1"
            guard apiVersion == expected else {
                throw RenderError(.kustomization, "\(file): apiVersion for \(kind) should be \(expected)")
            }
        }
        for (field, reason) in Self.refusedFields {
            if let value = object[field], !Self.isEmpty(value) {
                throw RenderError(.unsupported, "\(file): \(field): \(reason)")
            }
        }
    }

    /// A builtin plugin config from `file`, run as a kustomization declared where `declaring` is:
    /// its paths read from that directory. The caller gives its fields.
    init(plugin file: String, name: String, declaredIn declaring: Kustomization) {
        self.file = file
        directory = declaring.directory
        isComponent = false
        fields = [:]
        plugin = (declaring.file, name)
    }

    /// The origin of what a generator `kind` of this kustomization (or plugin config) makes.
    func origin(generator kind: String) -> Origin {
        .generator(kind: kind, configuredIn: plugin?.declaredIn ?? file, name: plugin?.name)
    }

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .array(let items): items.isEmpty
        case .object(let object): object.isEmpty
        case .string(let s): s.isEmpty
        default: false
        }
    }

    /// An error naming this file and `field`.
    func error(
        _ field: String, _ message: String, code: RenderError.Code = .kustomization, cause: (any Error & Sendable)? = nil
    ) -> RenderError {
        RenderError(code, "\(file): \(field): \(message)", cause: cause)
    }

    /// A path relative to this kustomization's directory, as a root-relative path.
    func path(_ relative: String) -> String {
        directory == "." ? relative : directory + "/" + relative
    }

    // MARK: Typed accessors

    func string(_ field: String) throws(RenderError) -> String {
        guard let value = fields[field], !value.isNull else { return "" }
        guard let s = Self.scalarString(value) else { throw error(field, "expected a string, found \(value.typeName)") }
        return s
    }

    func strings(_ field: String) throws(RenderError) -> [String] {
        try list(field, of: "strings", Self.scalarString)
    }

    func objects(_ field: String) throws(RenderError) -> [JSONObject] {
        try list(field, of: "mappings", \.objectValue)
    }

    /// List field `field`, each item converted by `convert`; an item it refuses is not one of `what`.
    private func list<Item>(_ field: String, of what: String, _ convert: (JSONValue) -> Item?) throws(RenderError) -> [Item] {
        guard let value = fields[field], !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw error(field, "expected a list of \(what), found \(value.typeName)") }
        var result: [Item] = []
        for item in items {
            guard let converted = convert(item) else { throw error(field, "expected a list of \(what), found \(item.typeName) in it") }
            result.append(converted)
        }
        return result
    }

    func stringMap(_ field: String) throws(RenderError) -> [(String, String)] {
        try Self.stringMap(fields[field], field: field, in: self)
    }

    static func stringMap(_ value: JSONValue?, field: String, in kustomization: Kustomization) throws(RenderError) -> [(String, String)] {
        guard let value, !value.isNull else { return [] }
        guard let object = value.objectValue else { throw kustomization.error(field, "expected a map of strings, found \(value.typeName)") }
        var result: [(String, String)] = []
        for (key, item) in object {
            guard let s = scalarString(item) else { throw kustomization.error(field, "\(key): expected a string, found \(item.typeName)") }
            result.append((key, s))
        }
        return result
    }

    /// A value as Go's JSON decoding reads it into a string field: a string, null as empty; a
    /// number or a boolean is refused (`cannot unmarshal number into ... of type string`).
    static func scalarString(_ value: JSONValue) -> String? {
        switch value {
        case .null: ""
        case .string(let text): text
        default: nil
        }
    }

    /// `resources` plus the deprecated `bases`, as kustomize's FixKustomization merges them.
    func resourcePaths() throws(RenderError) -> [String] {
        try strings("resources") + strings("bases")
    }
}
