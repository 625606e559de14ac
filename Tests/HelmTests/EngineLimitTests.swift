import GoTemplate
import Helm
import Testing

/// The engine's bounds on a render: total time, and Go's template call depth, each failing with a clear error.
@Suite struct EngineLimitTests {
    static var data: Value { .map(["Values": .map([:])]) }

    @Test func timeLimitStopsARunawayRender() {
        let engine = TemplateEngine(timeLimit: .milliseconds(50))
        let templates = ["c/templates/a.yaml": RenderableTemplate(text: "{{ range 100000000 }}x{{ end }}", data: Self.data, basePath: "c/templates")]
        let error = #expect(throws: TemplateRenderError.self) { try engine.render(templates) }
        #expect(error?.path == "c/templates/a.yaml")
        #expect(error?.message.hasSuffix("template execution exceeded its time limit") == true, "\(String(describing: error))")
    }

    @Test func depthLimitNamesTheLimit() {
        let engine = TemplateEngine(limits: ExecutionLimits(maxDepth: 300))
        let text = #"{{ template "r" . }}{{ define "r" }}{{ template "r" . }}{{ end }}"#
        let templates = ["c/templates/a.yaml": RenderableTemplate(text: text, data: Self.data, basePath: "c/templates")]
        let error = #expect(throws: TemplateRenderError.self) { try engine.render(templates) }
        #expect(
            error?.message == """
                c/templates/a.yaml:1:48
                  executing "r" at <{{template "r" .}}>:
                    exceeded maximum template depth (300)
                """)
    }
}
