import Manifests

/// Runs a set's generators: each leaf through `sources`, matrix and merge combined, `values`
/// added and `selector` applied; the sets of all of `spec.generators` concatenated. Any failure
/// fails the whole run, so a caller never acts on part of the parameters.
public struct GeneratorRunner: Sendable {
    /// The set whose generators run.
    public var set: ApplicationSet
    /// Where generators read from.
    public var sources: any GeneratorSources
    /// The most parameter sets one run may produce (each becomes an Application).
    public var maximumParameterSets: Int

    /// Creates a runner.
    public init(set: ApplicationSet, sources: any GeneratorSources, maximumParameterSets: Int = 5000) {
        self.set = set
        self.sources = sources
        self.maximumParameterSets = maximumParameterSets
    }

    var renderer: TemplateRenderer { TemplateRenderer(goTemplate: set.goTemplate, missingKeyIsError: set.missingKeyIsError) }

    /// Every parameter set of `spec.generators`, in order.
    public func run() async throws(ApplicationSetError) -> [Parameters] {
        var all: [Parameters] = []
        for generator in set.generators {
            all += try await generate(generator)
            try checkCount(all.count, field: generator.field)
        }
        return all
    }

    func checkCount(_ count: Int, field: String) throws(ApplicationSetError) {
        guard count <= maximumParameterSets else {
            throw ApplicationSetError(.generator, field: field, "more than \(maximumParameterSets) parameter sets")
        }
    }

    /// One generator's parameter sets, filtered by its selector.
    func generate(_ generator: Generator) async throws(ApplicationSetError) -> [Parameters] {
        let goTemplate = set.goTemplate
        var result: [Parameters]
        switch generator.source {
        case .list(let list):
            result = try list.parameters(goTemplate: goTemplate, field: generator.field + ".list")
        case .git(let git):
            let field = generator.field + ".git"
            result = try await sources.withRepository(git, namespace: set.namespace) { tree throws(ApplicationSetError) in
                try git.parameters(tree, goTemplate: goTemplate, field: field)
            }
            result = try addValues(git.values, to: result, field: field + ".values")
        case .clusters(let clusters):
            result = clusters.parameters(try await sources.clusters(), goTemplate: goTemplate)
            result = try addValues(clusters.values, to: result, field: generator.field + ".clusters.values")
        case .pullRequest(let pullRequest):
            result = pullRequest.parameters(try await sources.pullRequests(pullRequest, namespace: set.namespace), goTemplate: goTemplate)
            result = try addValues(pullRequest.values, to: result, field: generator.field + ".pullRequest.values")
        case .matrix(let children):
            result = try await matrix(children, field: generator.field + ".matrix")
        case .merge(let keys, let children):
            result = try await merge(children, keys: keys, field: generator.field + ".merge")
        }
        try checkCount(result.count, field: generator.field)
        if let selector = generator.selector {
            result = result.filter { selector.matches(ParameterText.labels($0)) }
        }
        return result
    }

    /// `values`, each rendered with the parameters it joins: `values.<key>`, or `.values.<key>`.
    func addValues(_ values: JSONObject, to sets: [Parameters], field: String) throws(ApplicationSetError) -> [Parameters] {
        guard !values.isEmpty else { return sets }
        let renderer = renderer
        var out: [Parameters] = []
        for var parameters in sets {
            var rendered = JSONObject()
            for (key, value) in values {
                rendered[key] = .string(try renderer.string(value.stringValue ?? "", parameters, field: field + "." + key))
            }
            if set.goTemplate {
                parameters["values"] = .object(rendered)
            } else {
                for (key, value) in rendered { parameters["values." + key] = value }
            }
            out.append(parameters)
        }
        return out
    }

    /// Every combination of the two children's sets; the second child is rendered with each of
    /// the first's sets when its spec holds a template.
    func matrix(_ children: [Generator], field: String) async throws(ApplicationSetError) -> [Parameters] {
        let first = try await generate(children[0])
        let second = children[1]
        let dependent = JSONWriter.compact(.object(second.raw)).contains("{{")
        let fixed = dependent ? [] : try await generate(second)
        var result: [Parameters] = []
        for parameters in first {
            var others = fixed
            if dependent {
                let rendered = try renderer.render(.object(second.raw), parameters, field: second.field)
                var count = 0
                let reader = FieldReader(
                    kind: "ApplicationSet",
                    manifest: Manifest(unchecked: ["metadata": ["name": .string(set.name), "namespace": .string(set.namespace)]]))
                let child: Generator
                do { child = try Generator.parse(rendered, field: second.field, reader: reader, depth: 1, count: &count) } catch {
                    throw ApplicationSetError(
                        .invalidSpec, field: second.field, "after rendering with the first generator's parameters: \(error.message)")
                }
                others = try await generate(child)
            }
            for other in others {
                result.append(try combine(parameters, other, field: field))
                try checkCount(result.count, field: field)
            }
        }
        return result
    }

    /// Two sets as one: with goTemplate a deep merge (the second wins); otherwise a union in
    /// which the same key with two values is an error, as Argo CD's matrix reports it.
    func combine(_ first: Parameters, _ second: Parameters, field: String) throws(ApplicationSetError) -> Parameters {
        if set.goTemplate { return Self.deepMerged(first, second) }
        var out = first
        for (key, value) in second {
            if let existing = out[key], existing != value {
                throw ApplicationSetError(
                    .generator, field: field, "both generators give parameter \(key), with different values; rename one (pathParamPrefix, values)")
            }
            out[key] = value
        }
        return out
    }

    static func deepMerged(_ base: JSONObject, _ over: JSONObject) -> JSONObject {
        var out = base
        for (key, value) in over {
            if case .object(let inner) = value, case .object(let existing)? = out[key] {
                out[key] = .object(deepMerged(existing, inner))
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// The first child's sets, each overridden by the later children's sets with the same
    /// values of `keys`; sets of later children matching none are dropped, as Argo CD does.
    func merge(_ children: [Generator], keys: [String], field: String) async throws(ApplicationSetError) -> [Parameters] {
        var base = try await generate(children[0])
        let baseIndex = try index(base, keys: keys, field: children[0].field)
        for child in children.dropFirst() {
            let others = try index(try await generate(child), keys: keys, field: child.field)
            for (position, parameters) in base.enumerated() {
                guard let key = baseIndex.keys[position], let other = others.byKey[key] else { continue }
                if set.goTemplate {
                    base[position] = Self.deepMerged(parameters, other)
                } else {
                    var merged = parameters
                    for (name, value) in other { merged[name] = value }
                    base[position] = merged
                }
            }
        }
        return base
    }

    /// Sets by the values of `keys` (nil for a set lacking one); two sets with the same values are an error.
    func index(_ sets: [Parameters], keys: [String], field: String) throws(ApplicationSetError) -> (keys: [String?], byKey: [String: Parameters]) {
        var positions: [String?] = []
        var byKey: [String: Parameters] = [:]
        for parameters in sets {
            let labels = ParameterText.labels(parameters)
            let values = keys.map { labels[$0] }
            guard values.allSatisfy({ $0 != nil }) else {
                positions.append(nil)
                continue
            }
            let key = values.map { $0 ?? "" }.joined(separator: "\u{1F}")
            if byKey[key] != nil {
                throw ApplicationSetError(.generator, field: field, "two parameter sets have the same merge keys (\(keys.joined(separator: ", ")))")
            }
            byKey[key] = parameters
            positions.append(key)
        }
        return (positions, byKey)
    }
}
