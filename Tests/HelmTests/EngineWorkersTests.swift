import GoTemplate
import Synchronization
import Testing

@testable import Helm

/// Files executed on several threads: the same output as one thread in Helm's order, and the error
/// Helm's order meets first.
@Suite struct EngineWorkersTests {
    static let data: Value = .map(["Values": .map(["n": .int(3, .int)])])

    /// Forty files that each include a shared helper, and one helper that includes itself deeply.
    static func templates(failing: [Int] = []) -> [String: RenderableTemplate] {
        var templates: [String: RenderableTemplate] = [
            "c/templates/_helpers.tpl": RenderableTemplate(
                text: #"{{ define "row" }}{{ . }}:{{ if gt . 0 }}{{ include "row" (sub . 1) }}{{ end }}{{ end }}"#, data: data,
                basePath: "c/templates")
        ]
        for index in 0..<40 {
            let body = failing.contains(index) ? #"{{ fail "file \#(index)" }}"# : #"f\#(index) {{ include "row" (add .Values.n \#(index)) }}"#
            templates["c/templates/f\(index).yaml"] = RenderableTemplate(text: body, data: data, basePath: "c/templates")
        }
        return templates
    }

    static func engine(workers: Int) -> TemplateEngine {
        TemplateEngine(functions: HelmFunctions.sprig(random: SystemRandomSource(), clock: .system), workers: workers)
    }

    @Test func severalThreadsRenderWhatOneRenders() throws {
        let one = try Self.engine(workers: 1).render(Self.templates())
        let four = try Self.engine(workers: 4).render(Self.templates())
        #expect(one.count == 40)
        #expect(four == one)
        #expect(one["c/templates/f2.yaml"] == "f2 5:4:3:2:1:0:")
    }

    @Test func theFirstErrorInHelmsOrderIsReported() {
        // Helm's order is reverse lexical within a depth: f9 runs before f10 and f30.
        for workers in [1, 4] {
            let error = #expect(throws: TemplateRenderError.self) { try Self.engine(workers: workers).render(Self.templates(failing: [10, 30, 9])) }
            #expect(error?.path == "c/templates/f9.yaml", "\(workers) workers")
        }
    }

    @Test func theFirstParseErrorInHelmsOrderIsReported() {
        for workers in [1, 4] {
            var templates = Self.templates()
            for index in [10, 30, 9] {
                templates["c/templates/f\(index).yaml"] = RenderableTemplate(text: "{{ if }}", data: Self.data, basePath: "c/templates")
            }
            let error = #expect(throws: TemplateRenderError.self) { try Self.engine(workers: workers).render(templates) }
            #expect(error?.path == "c/templates/f9.yaml", "\(workers) workers")
        }
    }

    // A helper defined twice: the file Helm parses last wins, whichever thread parsed it.
    @Test func laterDefinitionsWinOnEveryThread() throws {
        for workers in [1, 4] {
            var templates = Self.templates()
            for (index, name) in ["a", "b", "sub/c"].enumerated() {
                let text = #"{{ define "row" }}\#(name){{ end }}"# + String(repeating: " ", count: 100 * index)
                templates["c/templates/_\(name).tpl"] = RenderableTemplate(text: text, data: Self.data, basePath: "c/templates")
            }
            let rendered = try Self.engine(workers: workers).render(templates)
            // Deeper files come first, then reverse lexical order: _a.tpl is parsed last.
            #expect(rendered["c/templates/f2.yaml"] == "f2 a", "\(workers) workers")
        }
    }

    // A seeded render's random bytes depend on the order of calls: one thread runs the files in Helm's order.
    @Test func oneThreadRunsTheFilesInHelmsOrder() throws {
        let calls = Mutex<[String]>([])
        var engine = Self.engine(workers: 1)
        engine.functions["record"] = GoFunction([]) { _, context in
            calls.withLock { $0.append(context.templateName) }
            return .string("")
        }
        var templates: [String: RenderableTemplate] = [:]
        for (name, padding) in [("a", 30), ("b", 1), ("sub/c", 10), ("d", 20)] {
            let text = "{{ record }}" + String(repeating: "x", count: padding)
            templates["c/templates/\(name).yaml"] = RenderableTemplate(text: text, data: Self.data, basePath: "c/templates")
        }
        _ = try engine.render(templates)
        #expect(calls.withLock { $0 } == TemplateEngine.parseOrder(templates.keys))
        #expect(calls.withLock { $0 }.first == "c/templates/sub/c.yaml")
    }

    @Test func resultsComeInIndexOrder() {
        let squares = LargeStack.map(count: 100, workers: 3) { { $0 * $0 } }
        #expect(squares == (0..<100).map { $0 * $0 })
    }
}
