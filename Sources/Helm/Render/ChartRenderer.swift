import Foundation
import GoTemplate
import Manifests

/// Renders a chart as `helm template` (Helm 4.2.3) does: dependencies processed, values coalesced
/// and validated, every template of the tree executed with its scoped built-in objects, the output
/// split, classified and ordered.
///
/// ```swift
/// let chart = try ChartLoader.load(directory: root, path: "charts/web")
/// let rendered = try ChartRenderer(options: .init(release: ReleaseInfo(name: "web"))).render(chart, values: [:])
/// print(rendered.templateOutput())
/// ```
public struct ChartRenderer: Sendable {
    /// What a render is for, and the sources of everything a template may observe.
    public struct Options: Sendable {
        /// `.Release`.
        public var release: ReleaseInfo
        /// `.Capabilities`.
        public var capabilities: Capabilities
        /// Where `randAlphaNum`, `uuidv4`, `genCA`… draw their bytes.
        public var random: any RandomSource
        /// What `now` reads.
        public var clock: TemplateClock
        /// What `lookup` reads; nil: `lookup` finds nothing, as `helm template` without a cluster.
        public var lookup: (any LookupSource)?
        /// Helm's `--strict` rendering: a missing map key is an error.
        public var strict: Bool
        /// Depth and time limits of one render.
        public var limits: ExecutionLimits

        /// Creates options with Helm's defaults.
        public init(
            release: ReleaseInfo, capabilities: Capabilities = Capabilities(), random: any RandomSource = SystemRandomSource(),
            clock: TemplateClock = .system, lookup: (any LookupSource)? = nil, strict: Bool = false,
            limits: ExecutionLimits = ExecutionLimits()
        ) {
            self.release = release
            self.capabilities = capabilities
            self.random = random
            self.clock = clock
            self.lookup = lookup
            self.strict = strict
            self.limits = limits
        }
    }

    /// The options in force.
    public var options: Options

    /// Creates a renderer.
    public init(options: Options) { self.options = options }

    /// Renders `chart` with the user's values (`-f` files and `--set` flags already merged).
    public func render(_ chart: Chart, values: [String: Value]) throws(HelmError) -> RenderedChart {
        try Self.checkReleaseName(options.release.name)
        let prepared: ChartValues.Prepared
        do {
            prepared = try ChartValues.prepare(chart: chart, user: values, kubeVersion: options.capabilities.kubeVersion.version)
        } catch {
            throw HelmError(error)
        }
        var templates: [String: RenderableTemplate] = [:]
        // Helm copies the values before a render: a template's `set` reaches neither the chart nor the caller.
        let values = Value.map(GoMap(prepared.values, name: TemplateEngine.valuesType)).deepCopied()
        _ = collect(prepared.chart, fullPath: prepared.chart.name, values: values, isRoot: true, into: &templates)
        // Each file is split and its heads read on the thread that rendered it; NOTES.txt is set aside.
        let rendered: [String: Result<[ReleaseManifests.ScannedDocument], HelmError>?]
        do {
            let workers = options.random.dependsOnCallOrder ? 1 : LargeStack.processors
            rendered = try TemplateEngine(functions: functions(), strict: options.strict, limits: options.limits, workers: workers)
                .render(templates) { path, output in
                    path.hasSuffix("/NOTES.txt") ? nil : Result { () throws(HelmError) in try ReleaseManifests.scan(output, path: path) }
                }
        } catch {
            throw HelmError(.template, error.message, file: error.path)
        }
        var scanned: [String: [ReleaseManifests.ScannedDocument]] = [:]
        // Helm reads the files' heads in the order of their paths: the first error in that order counts.
        for path in rendered.keys.sorted() {
            if let documents = rendered[path]! { scanned[path] = try documents.get() }
        }
        let release = ReleaseManifests(scanned: scanned)
        let crds = prepared.chart.allCRDs().map { file in
            ReleaseDocument(source: file.name, content: file.text, kind: "CustomResourceDefinition", name: "", hook: nil, keep: false)
        }
        return RenderedChart(
            crds: crds, manifests: release.manifests, hooks: release.hooks,
            warnings: prepared.warnings + release.skippedHooks.map { "skipping unknown hooks \"\($0.annotation)\" in \($0.source)" })
    }

    /// Helm's release name rule: a DNS subdomain of at most 53 characters.
    static func checkReleaseName(_ name: String) throws(HelmError) {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            !name.isEmpty && name.count <= 53
            && labels.allSatisfy { label in
                guard let first = label.first, let last = label.last else { return false }
                let allowed = label.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
                return allowed && first != "-" && last != "-"
            }
        guard valid else {
            throw HelmError(
                .chart,
                "release name check failed: release name \"\(name)\": invalid release name, must match regex "
                    + "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53")
        }
    }

    /// Helm's `recAllTpls`: every template of `chart` and its subcharts with the objects it sees;
    /// returns this chart's top-level object (what its parent's `.Subcharts` holds).
    private func collect(
        _ chart: Chart, fullPath: String, values: Value, isRoot: Bool, into templates: inout [String: RenderableTemplate]
    ) -> Value {
        var subcharts: [String: Value] = [:]
        for child in chart.dependencies {
            // Helm's `Values.Table`: the parent's `.Values.child` itself (a change shows in both), or an empty map.
            var childValues = Value.map(GoMap(name: TemplateEngine.valuesType))
            if case .map(let table) = values, case .map(let scoped)? = table[child.name] {
                childValues = .map(scoped.named(TemplateEngine.valuesType))
            }
            subcharts[child.name] = collect(child, fullPath: fullPath + "/charts/" + child.name, values: childValues, isRoot: false, into: &templates)
        }
        let files = Files(Dictionary(chart.files.map { ($0.name, $0.data) }, uniquingKeysWith: { a, _ in a })) { value in
            (try? HelmSerialization.yaml(value)) ?? ""
        }
        let top: Value = .map([
            "Chart": chart.metadata.value(isRoot: isRoot), "Files": .object(files), "Release": options.release.value,
            "Capabilities": .object(options.capabilities), "Values": values, "Subcharts": .map(subcharts),
        ])
        for template in chart.templates where !chart.isLibrary || template.name.split(separator: "/").last?.hasPrefix("_") == true {
            templates[fullPath + "/" + template.name] = RenderableTemplate(text: template.text, data: top, basePath: fullPath + "/templates")
        }
        return top
    }

    /// Sprig's and Helm's functions, with this render's randomness, clock and lookup.
    private func functions() -> [String: GoFunction] {
        var functions = HelmFunctions.sprig(random: options.random, clock: options.clock)
        functions.merge(HelmSerialization.functions) { _, new in new }
        functions["lookup"] = lookupFunction()
        return functions
    }

    /// `lookup APIVERSION KIND NAMESPACE NAME`: an empty map without a cluster.
    private func lookupFunction() -> GoFunction {
        let source = options.lookup
        return GoFunction([.string, .string, .string, .string]) { arguments, _ in
            let strings = arguments.map { value -> String in
                if case .string(let text) = value { return text }
                return ""
            }
            guard let source else { return .map([:]) }
            do {
                return try source.lookup(apiVersion: strings[0], kind: strings[1], namespace: strings[2], name: strings[3])
            } catch {
                throw GoFunctionError("\(error)")
            }
        }
    }
}
