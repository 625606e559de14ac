import Manifests

extension RolloutSpec {
    /// The most steps a canary may have.
    public static let maximumSteps = 100

    /// Reads a `keelson.dev/v1alpha1` Rollout, naming the field of every mistake.
    public init(_ manifest: Manifest) throws(ObjectFieldError) {
        let reader = FieldReader(kind: RolloutAPI.rolloutKind, manifest: manifest)
        let spec = try reader.object(manifest.object["spec"], "spec")
        let targetRef = try reader.object(spec["targetRef"], "spec.targetRef")
        if let kind = try reader.string(targetRef["kind"], "spec.targetRef.kind"), kind != "Deployment" {
            throw reader.error("spec.targetRef.kind", "must be Deployment (got \(kind))")
        }
        guard let target = try reader.string(targetRef["name"], "spec.targetRef.name"), !target.isEmpty else {
            throw reader.error("spec.targetRef.name", "is required")
        }
        var service: ServiceReference?
        if let value = spec["service"], !value.isNull {
            let object = try reader.object(value, "spec.service")
            guard let name = try reader.string(object["name"], "spec.service.name"), !name.isEmpty else {
                throw reader.error("spec.service.name", "is required")
            }
            service = ServiceReference(name: name, port: try reader.integer(object["port"], "spec.service.port", in: 1...65535))
        }
        let strategy = try reader.object(spec["strategy"], "spec.strategy")
        let parsed: Strategy
        switch (strategy["canary"], strategy["blueGreen"]) {
        case (let canary?, nil): parsed = .canary(try Self.canary(canary, reader))
        case (nil, let blueGreen?): parsed = .blueGreen(try Self.blueGreen(blueGreen, reader))
        default: throw reader.error("spec.strategy", "must set exactly one of canary and blueGreen")
        }
        self.init(namespace: reader.namespace, name: manifest.name, target: target, service: service, strategy: parsed)
        if let deadline = try reader.duration(spec["progressDeadline"], "spec.progressDeadline") { progressDeadline = deadline }
        if let window = try reader.integer(spec["rollbackWindow"], "spec.rollbackWindow", in: 0...20) { rollbackWindow = window }
        if let delay = try reader.duration(spec["abortScaleDownDelay"], "spec.abortScaleDownDelay", in: .zero...(.seconds(3600))) {
            abortScaleDownDelay = delay
        }
        if let health = try reader.string(spec["abortedHealth"], "spec.abortedHealth") {
            guard let value = AbortedHealth(rawValue: health) else { throw reader.error("spec.abortedHealth", "must be Healthy or Degraded") }
            abortedHealth = value
        }
        do {
            webhooks = try Webhook.parseList(spec["webhooks"], path: "spec.webhooks")
        } catch {
            throw reader.error(error.path, error.message)
        }
        if let threshold = try reader.integer(spec["threshold"], "spec.threshold", in: 1...100) { self.threshold = threshold }
        if case .blueGreen = parsed, service == nil { throw reader.error("spec.service", "is required for blueGreen") }
        if case .canary(let canary) = parsed, canary.traffic.routed, service == nil {
            throw reader.error("spec.service", "is required when a router moves traffic")
        }
    }

    static func canary(_ value: JSONValue, _ reader: FieldReader) throws(ObjectFieldError) -> Canary {
        let object = try reader.object(value, "spec.strategy.canary")
        var steps: [Step] = []
        if object["stepWeights"] != nil {
            // Flagger's shorthand: each weight, then a pause of one interval.
            guard object["steps"] == nil else { throw reader.error("spec.strategy.canary", "sets both steps and stepWeights") }
            guard let interval = try reader.duration(object["interval"], "spec.strategy.canary.interval") else {
                throw reader.error("spec.strategy.canary.interval", "is required with stepWeights")
            }
            for (index, item) in try reader.array(object["stepWeights"], "spec.strategy.canary.stepWeights", maximum: maximumSteps / 2).enumerated() {
                steps.append(.setWeight(try weight(item, "spec.strategy.canary.stepWeights[\(index)]", reader)))
                steps.append(.pause(interval))
            }
        } else {
            for (index, item) in try reader.array(object["steps"], "spec.strategy.canary.steps", maximum: maximumSteps).enumerated() {
                steps.append(try step(item, "spec.strategy.canary.steps[\(index)]", reader))
            }
        }
        var canary = Canary(steps: steps)
        if let analysis = object["analysis"], !analysis.isNull {
            let field = "spec.strategy.canary.analysis"
            let startingStep = try reader.integer(try reader.object(analysis, field)["startingStep"], field + ".startingStep", in: 0...maximumSteps)
            canary.background = BackgroundAnalysis(analysis: try reference(analysis, field, reader), startingStep: startingStep ?? 0)
        }
        if let traffic = object["traffic"], !traffic.isNull { canary.traffic = try routing(traffic, reader) }
        return canary
    }

    static func step(_ value: JSONValue, _ field: String, _ reader: FieldReader) throws(ObjectFieldError) -> Step {
        let object = try reader.object(value, field)
        guard object.count == 1, let key = object.keys.first else {
            throw reader.error(field, "must set exactly one of setWeight, pause and analysis")
        }
        switch key {
        case "setWeight": return .setWeight(try weight(object[key], field + ".setWeight", reader))
        case "pause":
            let pause = try reader.object(object[key], field + ".pause")
            return .pause(try reader.duration(pause["duration"], field + ".pause.duration"))
        case "analysis": return .analysis(try reference(object[key], field + ".analysis", reader))
        default: throw reader.error(field + "." + key, "is not a step (setWeight, pause or analysis)")
        }
    }

    static func weight(_ value: JSONValue?, _ field: String, _ reader: FieldReader) throws(ObjectFieldError) -> Int {
        guard let weight = try reader.integer(value, field, in: 0...100) else { throw reader.error(field, "is required") }
        return weight
    }

    static func reference(_ value: JSONValue?, _ field: String, _ reader: FieldReader) throws(ObjectFieldError) -> AnalysisReference {
        let object = try reader.object(value, field)
        var templates: [String] = []
        for (index, item) in try reader.array(object["templates"], field + ".templates", maximum: 16).enumerated() {
            let name = try reader.string(try reader.object(item, field + ".templates[\(index)]")["name"], field + ".templates[\(index)].name")
            guard let name, !name.isEmpty else { throw reader.error(field + ".templates[\(index)].name", "is required") }
            templates.append(name)
        }
        guard !templates.isEmpty else { throw reader.error(field + ".templates", "names no AnalysisTemplate") }
        var args: [String: String] = [:]
        for (index, item) in try reader.array(object["args"], field + ".args", maximum: 64).enumerated() {
            let arg = try reader.object(item, field + ".args[\(index)]")
            guard let name = try reader.string(arg["name"], field + ".args[\(index)].name"), !name.isEmpty else {
                throw reader.error(field + ".args[\(index)].name", "is required")
            }
            args[name] = try reader.string(arg["value"], field + ".args[\(index)].value") ?? ""
        }
        return AnalysisReference(templates: templates, args: args)
    }

    static func routing(_ value: JSONValue, _ reader: FieldReader) throws(ObjectFieldError) -> TrafficRouting {
        let field = "spec.strategy.canary.traffic"
        let object = try reader.object(value, field)
        guard object.count == 1, let key = object.keys.first, let body = object[key] else {
            throw reader.error(field, "must set exactly one of replicas, gatewayAPI, nginx and patch")
        }
        let settings = try reader.object(body, field + "." + key)
        func name(_ key: String, _ path: String) throws(ObjectFieldError) -> String {
            guard let value = try reader.string(settings[key], path), !value.isEmpty else { throw reader.error(path, "is required") }
            return value
        }
        switch key {
        case "replicas": return .replicas
        case "gatewayAPI":
            return .gatewayAPI(
                httpRoute: try name("httpRoute", field + ".gatewayAPI.httpRoute"),
                rule: try reader.integer(settings["rule"], field + ".gatewayAPI.rule", in: 0...63))
        case "nginx":
            return .nginx(
                ingress: try name("ingress", field + ".nginx.ingress"),
                annotationPrefix: try reader.string(settings["annotationPrefix"], field + ".nginx.annotationPrefix") ?? "nginx.ingress.kubernetes.io")
        case "patch":
            let target = try reader.object(settings["target"], field + ".patch.target")
            func pointer(_ key: String) throws(ObjectFieldError) -> String {
                let path = field + ".patch." + key
                let text = try name(key, path)
                guard text.hasPrefix("/") else { throw reader.error(path, "must be a JSON pointer such as /spec/http/0/route/0/weight") }
                return text
            }
            return .patch(
                PatchTarget(
                    apiVersion: try reader.string(target["apiVersion"], field + ".patch.target.apiVersion") ?? "",
                    kind: try reader.string(target["kind"], field + ".patch.target.kind") ?? "",
                    name: try reader.string(target["name"], field + ".patch.target.name") ?? "",
                    stableWeight: try pointer("stableWeight"), canaryWeight: try pointer("canaryWeight")))
        default: throw reader.error(field + "." + key, "is not a router (replicas, gatewayAPI, nginx or patch)")
        }
    }

    static func blueGreen(_ value: JSONValue, _ reader: FieldReader) throws(ObjectFieldError) -> BlueGreen {
        let field = "spec.strategy.blueGreen"
        let object = try reader.object(value, field)
        var blueGreen = BlueGreen()
        blueGreen.previewService = try reader.string(object["previewService"], field + ".previewService")
        blueGreen.autoPromotion = try reader.bool(object["autoPromotion"], field + ".autoPromotion") ?? false
        for (key, path) in [("prePromotionAnalysis", \BlueGreen.prePromotionAnalysis), ("postPromotionAnalysis", \.postPromotionAnalysis)] {
            if let analysis = object[key], !analysis.isNull { blueGreen[keyPath: path] = try reference(analysis, field + "." + key, reader) }
        }
        if let delay = try reader.duration(object["scaleDownDelay"], field + ".scaleDownDelay", in: .zero...(.seconds(3600))) {
            blueGreen.scaleDownDelay = delay
        }
        return blueGreen
    }
}
