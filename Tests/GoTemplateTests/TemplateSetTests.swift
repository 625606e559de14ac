import GoTemplate
import Testing

/// The public API beyond what the observed tables cover: options, objects, function errors, limits.
@Suite struct TemplateSetTests {
    /// A struct-like object with one field and one method, as `.Release` or a semver version are.
    struct Release: GoObject {
        var goType: GoType { GoType("*chart.Release") }
        func field(_ name: String) -> Value? { name == "Name" ? .string("rel") : nil }
        func method(_ name: String) -> GoFunction? {
            guard name == "Greet" else { return nil }
            return GoFunction([.string]) { arguments, _ in .string("hi \(arguments[0].formatted)") }
        }
        var jsonValue: Value { .map(["name": .string("rel")]) }
        var formatted: String { "{rel}" }
    }

    func run(_ text: String, _ data: Value = .map([:]), missingKey: MissingKey = .invalid, functions: [String: GoFunction] = [:]) -> String {
        var set = TemplateSet(functions: functions)
        do {
            try set.parse(name: "t", text: text)
            return try set.execute(name: "t", data: data, missingKey: missingKey)
        } catch {
            return "ERROR: \(error)"
        }
    }

    @Test func missingKeyOptions() {
        let data: Value = .map(["m": .map(["a": .int(1)])])
        // default: no value at all, printed as such; a chain through it stays empty.
        #expect(run("{{ .m.x }}|{{ .m.x.y }}", data) == "<no value>|<no value>")
        // zero: nil interface{}, so a chain through it is a nil pointer.
        #expect(run("{{ .m.x }}", data, missingKey: .zero) == "<no value>")
        #expect(
            run("{{ .m.x.y }}", data, missingKey: .zero)
                == #"ERROR: template: t:1:5: executing "t" at <.m.x.y>: nil pointer evaluating interface {}.y"#)
        // zero of a typed map element is the element type's zero.
        #expect(run("[{{ .s.x }}]", .map(["s": .map([:], element: .string)]), missingKey: .zero) == "[]")
        // error: Go's message.
        #expect(run("{{ .m.x }}", data, missingKey: .error) == #"ERROR: template: t:1:5: executing "t" at <.m.x>: map has no entry for key "x""#)
        #expect(
            run("{{ $v := .m.x }}", data, missingKey: .error) == #"ERROR: template: t:1:11: executing "t" at <.m.x>: map has no entry for key "x""#)
    }

    @Test func objectsExposeFieldsAndMethods() {
        let data: Value = .map(["Release": .object(Release())])
        #expect(run(#"{{ .Release.Name }} {{ .Release.Greet "you" }} {{ "me" | .Release.Greet }} {{ .Release }}"#, data) == "rel hi you hi me {rel}")
        // Out of a map the object sits in an interface{}, which Go's message names; as dot it is its own type.
        #expect(
            run("{{ .Release.Nope }}", data)
                == #"ERROR: template: t:1:11: executing "t" at <.Release.Nope>: can't evaluate field Nope in type interface {}"#)
        #expect(
            run("{{ .Nope }}", .object(Release()))
                == #"ERROR: template: t:1:3: executing "t" at <.Nope>: can't evaluate field Nope in type *chart.Release"#)
        #expect(
            run("{{ .Release.Name 1 }}", data)
                == #"ERROR: template: t:1:11: executing "t" at <.Release.Name>: Name has arguments but cannot be invoked as function"#)
        #expect(
            run("{{ .Release.Greet }}", data)
                == #"ERROR: template: t:1:11: executing "t" at <.Release.Greet>: wrong number of args for Greet: want 1 got 0"#)
    }

    @Test func functionErrorsAndContext() {
        let functions: [String: GoFunction] = [
            "boom": GoFunction([.string]) { arguments, _ in throw GoFunctionError("bad \(arguments[0].formatted)") },
            "whoami": GoFunction([]) { _, context in .string(context.templateName) },
            "twice": GoFunction([.float64]) { arguments, _ in
                guard case .float(let value) = arguments[0] else { return .null }
                return .float(value * 2)
            },
            "inc": GoFunction([.int]) { arguments, _ in
                guard case .int(let value, _) = arguments[0] else { return .null }
                return .int(value + 1, .int)
            },
        ]
        #expect(run(#"{{ boom "x" }}"#, functions: functions) == #"ERROR: template: t:1:3: executing "t" at <boom "x">: error calling boom: bad x"#)
        #expect(run(#"{{ define "d" }}{{ whoami }}{{ end }}{{ whoami }}/{{ template "d" }}"#, functions: functions) == "t/d")
        // Untyped integer constants convert to float64 and int parameters; a float64 value does not become an int.
        #expect(run("{{ twice 2 }} {{ inc 2 }} {{ inc 1.0 }}", functions: functions) == "4 3 2")
        #expect(
            run("{{ inc .f }}", .map(["f": .float(1)]), functions: functions)
                == #"ERROR: template: t:1:7: executing "t" at <.f>: wrong type for value; expected int; got float64"#)
    }

    @Test func laterDefinitionsReplaceEarlierOnes() throws {
        var set = TemplateSet(functions: [:])
        try set.parse(name: "a", text: #"{{ define "x" }}first{{ end }}{{ template "x" }}"#)
        try set.parse(name: "b", text: #"{{ define "x" }}second{{ end }}"#)
        // An empty redefinition does not replace a non-empty one (Go's AddParseTree).
        try set.parse(name: "c", text: #"{{ define "x" }} {{ end }}"#)
        #expect(try set.execute(name: "a", data: .null) == "second")
        #expect(set.contains("x") && set.templateNames == ["a", "b", "c", "x"])
        #expect(throws: TemplateExecError.self) { try set.execute(name: "nope", data: .null) }
    }

    @Test func limitsStopExecution() throws {
        var set = TemplateSet(functions: [:], limits: ExecutionLimits(maxDepth: 50))
        try set.parse(name: "r", text: #"{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" . }}"#)
        let depthError = #expect(throws: TemplateExecError.self) { try set.execute(name: "r", data: .null) }
        #expect(depthError?.message == "exceeded maximum template depth (50)")

        set.limits = ExecutionLimits(deadline: .now - .seconds(1))
        try set.parse(name: "slow", text: "{{ range 1000000 }}{{ end }}")
        let deadlineError = #expect(throws: TemplateExecError.self) { try set.execute(name: "slow", data: .null) }
        #expect(deadlineError?.message == "template execution exceeded its time limit")
    }
}
