import GoTemplate
import Synchronization
import Testing

@testable import Helm

/// Files executed on several threads: the same output as one thread in Helm's order, and the error
/// Helm's order meets first.
@Suite struct EngineWorkersTests {
    static var data: Value { .map(["Values": .map(["n": .int(3, .int)])]) }

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

    /// A chart's files as Helm gives them: one top-level map shared by every file.
    static func sharing(_ texts: [String: String]) -> [String: RenderableTemplate] {
        let top = data
        return texts.reduce(into: [:]) { templates, file in
            templates["c/templates/\(file.key)"] = RenderableTemplate(text: file.value, data: top, basePath: "c/templates")
        }
    }

    // Go maps are references: what b.yaml sets in .Values, a.yaml (run after it in Helm's order) reads,
    // however many threads render; dot is `common.Values` and keeps the last file's `.Template`.
    @Test func aChangeToSharedValuesIsSeenByTheFilesAfterIt() throws {
        var texts = [
            "b.yaml": #"{{ $_ := set .Values "fromB" "yes" }}{{ $_ := set . "dotB" 1 }}b"#,
            "a.yaml": #"a {{ .Values.fromB }} {{ .dotB }} {{ typeOf . }} {{ typeOf .Values }} {{ .Template.Name }}"#,
        ]
        for index in 0..<20 { texts["f\(index).yaml"] = "filler \(index)" }
        for workers in [1, 4] {
            let templates = Self.sharing(texts)
            let rendered = try Self.engine(workers: workers).render(templates)
            #expect(rendered["c/templates/a.yaml"] == "a yes 1 common.Values map[string]interface {} c/templates/a.yaml", "\(workers) workers")
            // The caller's map holds the change too, as Helm's does.
            #expect(templates["c/templates/a.yaml"]!.data.mapEntries?["Values"]?.mapEntries?["fromB"] != nil)
        }
    }

    // Changing a map the file made itself (a `dict`) keeps the threads: no file runs twice.
    @Test func aFileChangingItsOwnDictRunsOnce() throws {
        let calls = Mutex(0)
        var engine = Self.engine(workers: 4)
        engine.functions["record"] = GoFunction([]) { _, _ in
            calls.withLock { $0 += 1 }
            return .string("")
        }
        var texts: [String: String] = [:]
        for index in 0..<20 { texts["f\(index).yaml"] = #"{{ record }}{{ $d := dict "n" .Values.n }}{{ $_ := set $d "m" 1 }}{{ $d.m }}"# }
        let rendered = try engine.render(Self.sharing(texts))
        #expect(rendered.values.allSatisfy { $0 == "1" })
        #expect(calls.withLock { $0 } == 20)
    }

    // A map that holds itself ends every walk: Go's printers recurse until the stack is gone and
    // mergo too; Keelson prints a mark and merge fails, so one chart cannot stop the controller.
    @Test func aMapThatHoldsItselfEndsEveryWalk() throws {
        let texts = [
            "a.yaml": #"{{ $d := dict "a" 1 "b" 2 }}{{ $_ := set $d "x" $d }}{{ $_ := set $d "y" (list $d) }}"#
                + #"{{ $d }}|{{ printf "%v %#v" $d $d }}|{{ toJson $d }}|{{ has $d (list 1 $d) }}|{{ toToml $d }}"#,
            "b.yaml": #"{{ $d := dict }}{{ $_ := set $d "x" $d }}{{ merge (dict) $d }}"#,
        ]
        for workers in [1, 4] {
            var engine = Self.engine(workers: workers)
            engine.functions.merge(HelmSerialization.functions) { _, serialization in serialization }
            let error = #expect(throws: TemplateRenderError.self) { try engine.render(Self.sharing(texts)) }
            #expect(error?.path == "c/templates/b.yaml" && "\(error!)".contains("holds itself"), "\(String(describing: error))")
            var onlyA = texts
            onlyA["b.yaml"] = nil
            let rendered = try engine.render(Self.sharing(onlyA))
            let mark = "<a map that holds itself>"
            #expect(rendered["c/templates/a.yaml"] == "\(mark)|\(mark) \(mark)||true|toml: cannot encode a map that holds itself")
        }
    }

    @Test func resultsComeInIndexOrder() {
        let squares = LargeStack.map(count: 100, workers: 3) { { $0 * $0 } }
        #expect(squares == (0..<100).map { $0 * $0 })
    }
}
