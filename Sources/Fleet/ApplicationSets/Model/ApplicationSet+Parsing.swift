import Manifests

extension ApplicationSet {
    /// The most generators (counting those inside matrix and merge) a set may have.
    public static let maximumGenerators = 20

    /// Reads and checks a Keelson or Argo CD ApplicationSet. Every field Keelson does not read is
    /// refused with its path, so no setting is silently dropped.
    public init(_ manifest: Manifest) throws(ObjectFieldError) {
        let reader = FieldReader(kind: "ApplicationSet", manifest: manifest)
        guard let api = API(rawValue: manifest.apiVersion), manifest.kind == "ApplicationSet" else {
            throw reader.error("apiVersion", "expected keelson.dev/v1alpha1 or argoproj.io/v1alpha1 ApplicationSet")
        }
        let spec = try reader.object(
            manifest.object["spec"], "spec",
            known: Set(
                ["generators", "template", "goTemplate", "goTemplateOptions", "syncPolicy", "strategy"] + (api == .keelson ? ["templateFormat"] : []))
        )
        self.api = api
        name = manifest.name
        namespace = reader.namespace
        uid = manifest.metadata["uid"]?.stringValue ?? ""
        goTemplate = try reader.bool(spec["goTemplate"], "spec.goTemplate") ?? false
        for (index, option) in try reader.array(spec["goTemplateOptions"], "spec.goTemplateOptions", maximum: 10).enumerated() {
            let field = "spec.goTemplateOptions[\(index)]"
            switch try reader.string(option, field) {
            case "missingkey=error": missingKeyIsError = true
            case "missingkey=default", "missingkey=invalid", "missingkey=zero": missingKeyIsError = false
            default: throw reader.error(field, "only missingkey=error, missingkey=default and missingkey=invalid are supported")
            }
        }
        let rawGenerators = try reader.array(spec["generators"], "spec.generators", maximum: Self.maximumGenerators)
        guard !rawGenerators.isEmpty else { throw reader.error("spec.generators", "needs at least one generator") }
        var count = 0
        generators = try rawGenerators.enumerated().map { index, value throws(ObjectFieldError) in
            try Generator.parse(value, field: "spec.generators[\(index)]", reader: reader, depth: 0, count: &count)
        }
        let template = try reader.object(spec["template"], "spec.template", known: ["metadata", "spec"])
        guard template["spec"] != nil else { throw reader.error("spec.template.spec", "is required") }
        _ = try reader.object(
            template["metadata"], "spec.template.metadata", known: ["name", "namespace", "labels", "annotations", "finalizers"])
        self.template = template
        if let policy = spec["syncPolicy"] {
            let object = try reader.object(
                policy, "spec.syncPolicy", known: ["applicationsSync", "preserveResourcesOnDeletion", "maxDeletionShare"])
            if let mode = try reader.choice(
                object["applicationsSync"], "spec.syncPolicy.applicationsSync", in: ApplicationsSync.allCases.map(\.rawValue))
            {
                syncPolicy.applicationsSync = ApplicationsSync(rawValue: mode) ?? .sync
            }
            syncPolicy.preserveResourcesOnDeletion =
                try reader.bool(object["preserveResourcesOnDeletion"], "spec.syncPolicy.preserveResourcesOnDeletion") ?? false
            if let share = try Share.parse(object["maxDeletionShare"], "spec.syncPolicy.maxDeletionShare", reader: reader) {
                syncPolicy.maxDeletionShare = share
            }
        }
        rollingSync = try Self.strategy(spec["strategy"], reader: reader)
        if let format = try reader.choice(spec["templateFormat"], "spec.templateFormat", in: TemplateFormat.allCases.map(\.rawValue)) {
            templateFormat = TemplateFormat(rawValue: format) ?? .keelson
        }
    }

    static func strategy(_ value: JSONValue?, reader: FieldReader) throws(ObjectFieldError) -> RollingSyncStrategy? {
        guard let value, !value.isNull else { return nil }
        let object = try reader.object(value, "spec.strategy", known: ["type", "rollingSync"])
        let type = try reader.choice(object["type"], "spec.strategy.type", in: ["AllAtOnce", "RollingSync"]) ?? "AllAtOnce"
        guard type == "RollingSync" else {
            if object["rollingSync"] != nil { throw reader.error("spec.strategy.rollingSync", "needs type RollingSync") }
            return nil
        }
        let rolling = try reader.object(object["rollingSync"], "spec.strategy.rollingSync", known: ["steps"])
        var steps: [RollingSyncStrategy.Step] = []
        for (index, item) in try reader.array(rolling["steps"], "spec.strategy.rollingSync.steps", maximum: 50).enumerated() {
            let field = "spec.strategy.rollingSync.steps[\(index)]"
            let step = try reader.object(item, field, known: ["matchExpressions", "maxUpdate"])
            let selector: LabelSelector
            do { selector = try LabelSelector(["matchExpressions": step["matchExpressions"] ?? .array([])]) } catch {
                throw reader.error(field + ".matchExpressions", error.message)
            }
            let maxUpdate = try Share.parse(step["maxUpdate"], field + ".maxUpdate", reader: reader) ?? .percent(100)
            steps.append(RollingSyncStrategy.Step(selector: selector, maxUpdate: maxUpdate))
        }
        guard !steps.isEmpty else { throw reader.error("spec.strategy.rollingSync.steps", "needs at least one step") }
        return RollingSyncStrategy(steps: steps)
    }
}
