import GoTemplate
import Synchronization

/// One template file to render: its text, the data it sees as dot, and its chart's `templates` folder.
public struct RenderableTemplate: Sendable {
    /// The template text.
    public var text: String
    /// The top-level data (`Values`, `Chart`, `Release`, `Capabilities`, `Files`…); `Template` is added per file.
    public var data: Value
    /// `.Template.BasePath`: the chart's templates folder (`mychart/templates`, `mychart/charts/sub/templates`).
    public var basePath: String

    /// Creates a renderable template.
    public init(text: String, data: Value, basePath: String) {
        self.text = text
        self.data = data
        self.basePath = basePath
    }
}

/// Helm's template engine (`pkg/engine`): parses every file of a chart and its subcharts into one template
/// set and executes each non-partial file, with Helm's `include`, `tpl`, `required` and `fail`.
///
/// ```swift
/// let engine = TemplateEngine(functions: sprigFunctions)
/// let rendered = try engine.render(["mychart/templates/a.yaml": RenderableTemplate(text: "a: {{ .Values.a }}", data: data, basePath: "mychart/templates")])
/// ```
public struct TemplateEngine: Sendable {
    /// Helm's limit on how many times one name may be nested in `include` calls.
    public static let includeRecursionLimit = 1000

    /// Functions besides Go's builtins and the engine's own (Sprig's, `toYaml`…); the engine's win on a clash.
    public var functions: [String: GoFunction]
    /// `--strict`: a missing map key is an error instead of empty output.
    public var strict: Bool
    /// Limits on each execution.
    public var limits: ExecutionLimits
    /// How long one `render` may take in all, `include`s and `tpl`s included; nil for no limit.
    public var timeLimit: Duration?
    /// How many threads execute files at once. One executes them in Helm's order, which a source of
    /// randomness that counts its calls needs to give the same bytes every time.
    public var workers: Int

    /// Creates an engine.
    public init(
        functions: [String: GoFunction] = [:], strict: Bool = false, limits: ExecutionLimits = ExecutionLimits(), timeLimit: Duration? = nil,
        workers: Int = 1
    ) {
        self.functions = functions
        self.strict = strict
        self.limits = limits
        self.timeLimit = timeLimit
        self.workers = workers
    }

    /// Helm's parse order: deeper paths first, then reverse lexical order, so that a later (shallower,
    /// lexically smaller) file's `define` replaces an earlier one's.
    public static func parseOrder(_ paths: some Sequence<String>) -> [String] {
        // Each path's depth counted once, not at every comparison.
        paths.map { (path: $0, depth: $0.utf8.count { $0 == UInt8(ascii: "/") }) }.sorted { a, b in
            if a.depth != b.depth { return a.depth > b.depth }
            return b.path.utf8.lexicographicallyPrecedes(a.path.utf8)
        }.map(\.path)
    }

    /// Renders every template whose file name does not start with `_`, keyed by path; `NOTES.txt` files are
    /// rendered too (an error in them fails the render, as in Helm) and left for the caller to set aside.
    public func render(_ templates: [String: RenderableTemplate]) throws(TemplateRenderError) -> [String: String] {
        try render(templates) { _, output in output }
    }

    /// Renders as `render(_:)` does, handing each file's output to `finishing` on the thread that
    /// rendered it. Files run on up to `workers` threads, longest text first so that the threads
    /// end together; the error reported is the one Helm's order meets first.
    public func render<Finished: Sendable>(
        _ templates: [String: RenderableTemplate], finishing: @escaping @Sendable (_ path: String, _ output: String) -> Finished
    ) throws(TemplateRenderError) -> [String: Finished] {
        var limits = limits
        if let timeLimit { limits.deadline = .now + timeLimit }
        let order = Self.parseOrder(templates.keys)
        let (functions, strict, limitsInForce) = (functions, strict, limits)
        let empty = TemplateSet(
            name: "gotpl", functions: functions.merging(HelmFunctions.engine(strict: strict)) { _, engine in engine }, limits: limitsInForce)
        // Files parse on every thread; they join the set in Helm's order, which also picks the error reported.
        let parsed = LargeStack.map(count: order.count, workers: workers) {
            { index -> Result<TemplateSet.ParsedFile, TemplateRenderError> in
                let path = order[index]
                do throws(TemplateParseError) {
                    return .success(try empty.parsed(name: path, text: templates[path]!.text))
                } catch {
                    return .failure(TemplateRenderError.parse(path: path, error))
                }
            }
        }
        var set = empty
        for file in parsed { set.add(try file.get()) }
        // Helm's execution order.
        let paths = order.filter { !(($0.split(separator: "/").last.map(String.init) ?? $0).hasPrefix("_")) }
        if workers > 1 {
            // Threads share the data, frozen: a file that changes it (`set .Values …`) stops the
            // threads, and the files run again on one thread, where Helm's order decides what each sees.
            let freeze = MapFreeze()
            let tops = Self.topMaps(templates)
            // What one thread would leave in each chart's `.Template` (its last file's, run before
            // any parent file, which may read it through `.Subcharts`); each file gets its own copy.
            for path in paths {
                guard let template = templates[path], case .map(let top) = template.data else { continue }
                try? top.set("Template", Self.templateObject(path, template))
            }
            for top in tops { top.freeze(freeze) }
            let attempt = Result { () throws(TemplateRenderError) in
                try execute(set, templates, paths, workers: workers, freeze: freeze, finishing: finishing)
            }
            for top in tops { top.freeze(nil) }
            if !freeze.wasChangeAttempted { return try attempt.get() }
        }
        return try execute(set, templates, paths, workers: 1, freeze: nil, finishing: finishing)
    }

    /// `.Template` while `path` runs.
    private static func templateObject(_ path: String, _ template: RenderableTemplate) -> Value {
        .map(GoMap(["Name": .string(path), "BasePath": .string(template.basePath)], name: valuesType))
    }

    /// The name Helm 4 gives dot and `.Values` (`typeOf .` prints it).
    public static let valuesType = GoType("common.Values")

    /// The distinct top-level maps the templates see (one per chart).
    private static func topMaps(_ templates: [String: RenderableTemplate]) -> [GoMap] {
        var tops: [GoMap] = []
        for template in templates.values {
            guard case .map(let top) = template.data, !tops.contains(where: { $0.isSame(as: top) }) else { continue }
            tops.append(top)
        }
        return tops
    }

    /// Executes `paths` on `workers` threads: several take the longest files first, so that they
    /// end together; one keeps Helm's order and sets `.Template` in the chart's own top-level map,
    /// as Helm does, while several give each file a frozen copy of it.
    private func execute<Finished: Sendable>(
        _ complete: TemplateSet, _ templates: [String: RenderableTemplate], _ paths: [String], workers: Int, freeze: MapFreeze?,
        finishing: @escaping @Sendable (_ path: String, _ output: String) -> Finished
    ) throws(TemplateRenderError) -> [String: Finished] {
        let strict = strict
        let taking =
            workers > 1
            ? paths.indices.sorted { templates[paths[$0]]!.text.utf8.count > templates[paths[$1]]!.text.utf8.count } : Array(paths.indices)
        let firstFailure = FirstFailure()
        let outputs = LargeStack.map(count: paths.count, workers: workers) {
            // Each thread counts its own `include` nesting, as one render of Helm's does.
            var worker = complete
            worker.functions.merge(HelmFunctions.engine(strict: strict)) { _, engine in engine }
            return { taken -> Result<Finished, TemplateRenderError>? in
                let index = taking[taken]
                // A file after one that failed would not run in Helm.
                guard index < firstFailure.position else { return nil }
                // A file changed the shared data: the threads' work is thrown away; stop early.
                if let freeze, freeze.wasChangeAttempted { return nil }
                let path = paths[index]
                let template = templates[path]!
                var data = template.data
                if case .map(let top) = data {
                    let current = Self.templateObject(path, template)
                    if let freeze {
                        var entries = top.entries
                        entries["Template"] = current
                        let copy = GoMap(entries, element: top.element, name: Self.valuesType)
                        copy.freeze(freeze)
                        data = .map(copy)
                    } else {
                        // One thread: `.Template` goes into the chart's own map before each file, as in Helm.
                        try? top.set("Template", current)
                        data = .map(top.named(Self.valuesType))
                    }
                }
                do throws(TemplateExecError) {
                    let output = try worker.execute(name: path, data: data, missingKey: strict ? .error : .zero)
                    return .success(finishing(path, HelmFunctions.replacingBytes(output, "<no value>", "")))
                } catch {
                    firstFailure.failed(at: index)
                    return .failure(TemplateRenderError.execution(path: path, error))
                }
            }
        }
        var results = [Result<Finished, TemplateRenderError>?](repeating: nil, count: paths.count)
        for (index, output) in zip(taking, outputs) { results[index] = output }
        var rendered: [String: Finished] = [:]
        for (path, result) in zip(paths, results) {
            // Every file before the first failure ran.
            guard let result else { break }
            rendered[path] = try result.get()
        }
        return rendered
    }
}

/// The earliest position, in Helm's order, of a file that failed.
private final class FirstFailure: Sendable {
    private let earliest = Atomic<Int>(.max)

    var position: Int { earliest.load(ordering: .acquiring) }

    func failed(at index: Int) { earliest.min(index, ordering: .acquiringAndReleasing) }
}
