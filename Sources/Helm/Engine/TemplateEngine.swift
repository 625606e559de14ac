import GoTemplate

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

    /// Creates an engine.
    public init(
        functions: [String: GoFunction] = [:], strict: Bool = false, limits: ExecutionLimits = ExecutionLimits(), timeLimit: Duration? = nil
    ) {
        self.functions = functions
        self.strict = strict
        self.limits = limits
        self.timeLimit = timeLimit
    }

    /// Helm's parse order: deeper paths first, then reverse lexical order, so that a later (shallower,
    /// lexically smaller) file's `define` replaces an earlier one's.
    public static func parseOrder(_ paths: some Sequence<String>) -> [String] {
        paths.sorted { a, b in
            let depthA = a.utf8.count { $0 == UInt8(ascii: "/") }
            let depthB = b.utf8.count { $0 == UInt8(ascii: "/") }
            if depthA != depthB { return depthA > depthB }
            return b.utf8.lexicographicallyPrecedes(a.utf8)
        }
    }

    /// Renders every template whose file name does not start with `_`, keyed by path; `NOTES.txt` files are
    /// rendered too (an error in them fails the render, as in Helm) and left for the caller to set aside.
    public func render(_ templates: [String: RenderableTemplate]) throws(TemplateRenderError) -> [String: String] {
        let result = LargeStack.run { () -> Result<[String: String], TemplateRenderError> in
            do throws(TemplateRenderError) {
                return .success(try renderOnCurrentThread(templates))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func renderOnCurrentThread(_ templates: [String: RenderableTemplate]) throws(TemplateRenderError) -> [String: String] {
        var limits = limits
        if let timeLimit { limits.deadline = .now + timeLimit }
        var set = TemplateSet(name: "gotpl", functions: [:], limits: limits)
        set.functions = functions.merging(HelmFunctions.engine(strict: strict)) { _, engine in engine }
        let order = Self.parseOrder(templates.keys)
        for path in order {
            do {
                try set.parse(name: path, text: templates[path]!.text)
            } catch {
                throw TemplateRenderError.parse(path: path, error)
            }
        }
        var rendered: [String: String] = [:]
        for path in order {
            let base = path.split(separator: "/").last.map(String.init) ?? path
            if base.hasPrefix("_") { continue }
            let template = templates[path]!
            var data = template.data
            if case .map(var entries, let element) = data {
                entries["Template"] = .map(["Name": .string(path), "BasePath": .string(template.basePath)])
                data = .map(entries, element: element)
            }
            do {
                let output = try set.execute(name: path, data: data, missingKey: strict ? .error : .zero)
                rendered[path] = output.replacingAll("<no value>", with: "")
            } catch {
                throw TemplateRenderError.execution(path: path, error)
            }
        }
        return rendered
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
