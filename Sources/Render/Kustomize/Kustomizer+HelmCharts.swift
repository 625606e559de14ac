import GoTemplate
import Helm
import Manifests

/// Where `helmCharts` templates draw randomness (`randAlphaNum`, `uuidv4`, `genCA`…) and the time (`now`)
/// from: the system by default; a controller passes a per-Application seed so renders repeat.
public struct KustomizeHelmOptions: Sendable {
    /// The source of template randomness.
    public var random: any RandomSource
    /// What `now` reads.
    public var clock: TemplateClock

    /// Creates options; by default the system's randomness and clock, as `helm template` has.
    public init(random: any RandomSource = SystemRandomSource(), clock: TemplateClock = .system) {
        self.random = random
        self.clock = clock
    }
}

/// `helmCharts` (and the legacy `helmChartInflationGenerator`): charts vendored under the chart home,
/// rendered by Keelson's own Helm engine as `kustomize build --enable-helm` renders them with `helm
/// template`, the objects then going through the kustomization's transformers like any resource.
/// Nothing is pulled: a chart missing from the chart home is an error.
extension Build {
    /// Renders every chart of `kustomization` into `set`. A chart without a namespace is released into
    /// `namespace` (the nearest enclosing kustomization's); the objects are marked so no namespace
    /// transformer moves them, as in kustomize v5.8.
    mutating func inflateHelmCharts(_ kustomization: Kustomization, into set: inout ResourceSet, namespace: String) throws(RenderError) {
        let (home, charts) = try kustomization.helmCharts()
        for chart in charts {
            var resources = try inflate(chart, home: home, namespace: namespace, kustomization: kustomization)
            let origin = kustomization.origin(generator: "HelmChartInflationGenerator")
            for index in resources.indices { resources[index].origin = origin }
            try set.append(contentsOf: resources)
        }
    }

    private mutating func inflate(
        _ args: HelmChartArgs, home: String, namespace: String, kustomization: Kustomization
    ) throws(RenderError) -> [KResource] {
        let field = args.label
        if home.hasPrefix("/") {
            throw kustomization.error("helmGlobals", "chartHome '\(home)' is absolute; it must be a path inside the kustomization's directory")
        }
        // Where `helm pull --untar` puts a chart kustomize pulled: under NAME-VERSION when both are known.
        let directory = args.version.isEmpty || args.repo.isEmpty ? home + "/" + args.name : "\(home)/\(args.name)-\(args.version)/\(args.name)"
        let chartPath = normalize(kustomization.path(directory))
        var exists = true
        do { exists = try root.isDirectory(chartPath) } catch { exists = error.code != .notFound }
        guard exists else {
            if args.repo.isEmpty {
                throw kustomization.error(field, "no repo specified for pull, no chart found at '\(chartPath)'", code: .read)
            }
            throw kustomization.error(
                field, "no chart found at '\(chartPath)': Keelson does not pull charts from '\(args.repo)'; vendor the chart there",
                code: .unsupported)
        }
        try checkInside(chartPath, kustomization: kustomization, field: "helmGlobals.chartHome")
        let values = try values(args, chartDirectory: directory, kustomization: kustomization)
        let chart: Chart
        do {
            let files = try ChartLoader.files(directory: root, path: chartPath)
            self.files += files.map { chartPath + "/" + $0.name }
            chart = try ChartLoader.load(files: files)
        } catch {
            throw kustomization.error(field, error.message, code: .helm)
        }
        var capabilities = Capabilities()
        if !args.kubeVersion.isEmpty {
            do {
                capabilities.kubeVersion = try KubeVersion.parse(args.kubeVersion)
            } catch {
                throw kustomization.error(field, "invalid kube version '\(args.kubeVersion)': \(error)", code: .helm)
            }
        }
        capabilities.apiVersions += args.apiVersions
        let namespace = args.namespace.isEmpty ? namespace : args.namespace
        let release = ReleaseInfo(name: try releaseName(args, kustomization: kustomization), namespace: namespace.isEmpty ? "default" : namespace)
        let rendered: RenderedChart
        do {
            let options = ChartRenderer.Options(release: release, capabilities: capabilities, random: helm.random, clock: helm.clock)
            rendered = try ChartRenderer(options: options).render(chart, values: values)
        } catch {
            throw kustomization.error(field, error.message, code: .helm)
        }
        var documents = args.includeCRDs ? rendered.crds : []
        documents += rendered.manifests
        if !args.skipHooks {
            documents += rendered.hooks.filter { !(args.skipTests && $0.hook?.events.contains(.test) == true) }
        }
        // `# Source:` paths start at the chart's name; the files sit in the chart home.
        let parent = chartPath.split(separator: "/").dropLast().joined(separator: "/")
        var resources: [KResource] = []
        for document in documents {
            resources += try objects(Array(document.content.utf8), file: parent.isEmpty ? document.source : parent + "/" + document.source)
        }
        return resources
    }

    /// Helm's release name: `nameTemplate` rendered with Sprig, else `releaseName`, else `release-name`
    /// (what `helm template --generate-name` prints).
    private func releaseName(_ args: HelmChartArgs, kustomization: Kustomization) throws(RenderError) -> String {
        guard !args.nameTemplate.isEmpty else { return args.releaseName.isEmpty ? "release-name" : args.releaseName }
        guard args.releaseName.isEmpty else {
            throw kustomization.error(args.label, "cannot set --name-template and also specify a name", code: .helm)
        }
        let template = RenderableTemplate(text: args.nameTemplate, data: .null, basePath: "")
        do {
            return try TemplateEngine(functions: HelmFunctions.sprig(random: helm.random, clock: helm.clock)).render(["name-template": template])[
                "name-template"] ?? ""
        } catch {
            throw kustomization.error(args.label, error.message, code: .helm)
        }
    }

    /// The user values `helm template` gets from kustomize: the values file (the chart's `values.yaml`
    /// unless `valuesFile` names another), combined with `valuesInline` as `valuesMerge` says, then each
    /// of `additionalValuesFiles`; every file relative to the kustomization and inside its directory.
    private mutating func values(_ args: HelmChartArgs, chartDirectory: String, kustomization: Kustomization) throws(RenderError) -> [String: Value] {
        let field = args.label
        let valuesFile = args.valuesFile.isEmpty ? chartDirectory + "/values.yaml" : args.valuesFile
        var texts: [(name: String, text: String)] = []
        if args.valuesInline.isEmpty {
            texts.append((valuesFile, String(decoding: try read(valuesFile, for: kustomization, field: field), as: UTF8.self)))
        } else {
            var merged = args.valuesInline
            if args.valuesMerge != .replace {
                let bytes = try read(valuesFile, for: kustomization, field: field)
                let path = kustomization.path(valuesFile)
                let documents: [YAMLDocument]
                do { documents = try decoder.decode(bytes, file: path, budget: &budget) } catch { throw RenderError(error) }
                // kustomize parses the file into a kyaml node first: an empty file has none.
                guard let base = documents.first?.value else {
                    throw kustomization.error(field, "could not parse values file into rnode: EOF", code: .helm)
                }
                guard base.isNull || base.objectValue != nil else {
                    throw kustomization.error(field, "\(path): the values file must be a mapping, found \(base.typeName)")
                }
                let file = base.objectValue ?? [:]
                do {
                    merged = args.valuesMerge == .override ? try Self.mergeValues(merged, into: file) : try Self.mergeValues(file, into: merged)
                } catch {
                    throw kustomization.error(field, "could not merge values: \(error.message)", code: .helm)
                }
            }
            // kustomize writes the result to a file helm reads back: JSON is YAML Helm reads the same way.
            texts.append(("valuesInline", JSONWriter.compact(.object(merged))))
        }
        for file in args.additionalValuesFiles {
            texts.append((file, String(decoding: try read(file, for: kustomization, field: field), as: UTF8.self)))
        }
        let contents = Dictionary(texts.enumerated().map { ("\($0.offset)", $0.element.text) }) { first, _ in first }
        do {
            return try HelmValueOptions(files: texts.indices.map { "\($0)" }).merged { index in contents[index] ?? "" }
        } catch {
            let name = Int(error.source).map { texts[$0].name } ?? error.source
            throw kustomization.error(field, error.message.replacingOccurrences(of: "parse \(error.source):", with: "parse \(name):"), code: .helm)
        }
    }

    /// kyaml's merge as kustomize uses it on values: `source` wins; mappings merge key by key, lists and
    /// scalars are replaced, a null in `source` removes the key; a mapping against a non-mapping fails.
    static func mergeValues(_ source: JSONObject, into destination: JSONObject) throws(RenderError) -> JSONObject {
        var result = destination
        for (key, value) in source {
            let existing = result[key] ?? .null
            switch (value, existing) {
            case (.null, _):
                result[key] = nil
            case (.object(let inner), .object(let current)):
                result[key] = .object(try mergeValues(inner, into: current))
            case (.object, _) where !existing.isNull, (_, .object):
                let (expected, found) = value.objectValue == nil ? ("ScalarNode", "MappingNode") : ("MappingNode", "ScalarNode")
                throw RenderError(.helm, "wrong node kind at '\(key)': expected \(expected) but got \(found)")
            default:
                result[key] = value
            }
        }
        return result
    }
}
