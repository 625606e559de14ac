import GoTemplate
import Testing

/// Parse and execution error texts observed from real `helm template` (Helm 4.2.3, Go 1.26): Go's own
/// text, or for parse errors the location and the last part Helm keeps of it.
@Suite struct ObservedErrorTests {
    static let cases: [(template: String, error: HelmObserved.ExpectedError)] = [
        (
            #"{{ .Values.missing.x }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:10: executing "chart/templates/out.yaml" at <.Values.missing.x>: nil pointer evaluating interface {}.x"#
            )
        ),
        (
            #"{{ .Values.s.x }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:10: executing "chart/templates/out.yaml" at <.Values.s.x>: can't evaluate field x in type interface {}"#
            )
        ),
        (
            #"{{ $x := 1 }}{{ $x.foo }}"#,
            .exec(#"template: chart/templates/out.yaml:1:18: executing "chart/templates/out.yaml" at <$x.foo>: can't evaluate field foo in type int"#)
        ),
        (
            #"{{ range .Values.l }}{{ .x }}{{ end }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:24: executing "chart/templates/out.yaml" at <.x>: can't evaluate field x in type interface {}"#
            )
        ),
        (
            #"{{ len .Values.missing }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <len .Values.missing>: error calling len: len of nil pointer"#
            )
        ),
        (
            #"{{ len 3 }}"#,
            .exec(#"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <len 3>: error calling len: len of type int"#)
        ),
        (
            #"{{ index .Values.l 5 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <index .Values.l 5>: error calling index: index out of range: 5"#
            )
        ),
        (
            #"{{ index .Values.l "a" }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <index .Values.l "a">: error calling index: cannot index slice/array with type string"#
            )
        ),
        (
            #"{{ index .Values.missing "a" }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <index .Values.missing "a">: error calling index: index of untyped nil"#
            )
        ),
        (
            #"{{ index .Values.m 1 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <index .Values.m 1>: error calling index: value has type int; should be string"#
            )
        ),
        (
            #"{{ index 3 1 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <index 3 1>: error calling index: can't index item of type int"#
            )
        ),
        (
            #"{{ eq 1 1.5 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <eq 1 1.5>: error calling eq: incompatible types for comparison: int and float64"#
            )
        ),
        (
            #"{{ eq .Values.i 3 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <eq .Values.i 3>: error calling eq: incompatible types for comparison: float64 and int"#
            )
        ),
        (
            #"{{ eq "a" 1 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <eq "a" 1>: error calling eq: incompatible types for comparison: string and int"#
            )
        ),
        (
            #"{{ eq .Values.l .Values.l }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <eq .Values.l .Values.l>: error calling eq: non-comparable type [a b c]: []interface {}"#
            )
        ),
        (
            #"{{ eq .Values.m .Values.m }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <eq .Values.m .Values.m>: error calling eq: non-comparable type map[a:%!s(float64=1) b:%!s(float64=2) c:map[d:x]]: map[string]interface {}"#
            )
        ),
        (
            #"{{ lt true false }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <lt true false>: error calling lt: invalid type for comparison"#
            )
        ),
        (
            #"{{ lt nil 1 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <lt nil 1>: error calling lt: invalid type for comparison"#
            )
        ),
        (
            #"{{ lt 1 "a" }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <lt 1 "a">: error calling lt: incompatible types for comparison: int and string"#
            )
        ),
        (
            #"{{ eq 1 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <eq 1>: error calling eq: missing argument for comparison"#
            )
        ),
        (
            #"{{ ne 1 2 3 }}"#,
            .exec(#"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <ne>: wrong number of args for ne: want 2 got 3"#)
        ),
        (
            #"{{ not 1 2 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <not>: wrong number of args for not: want 1 got 2"#)
        ),
        (#"{{ nosuch 1 }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"function "nosuch" not defined"#)),
        (#"{{ $nope }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"undefined variable "$nope""#)),
        (#"{{ if }}{{ end }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"missing value for if"#)),
        (#"{{ if 1 }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unexpected EOF"#)),
        (#"{{ end }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unexpected {{end}}"#)),
        (#"{{ else }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unexpected {{else}}"#)),
        (#"{{ range .Values.l }}{{ end }}{{ break }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"{{break}} outside {{range}}"#)),
        (#"{{ "unterminated }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unterminated quoted string"#)),
        (#"{{ .Values.s"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unclosed action"#)),
        (#"{{ 1 | 2 }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"non executable command in pipeline stage 2"#)),
        (#"{{ 3x }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #""3x""#)),
        (#"{{ 08 }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #""08""#)),
        (#"{{ 99999999999999999999 }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #""99999999999999999999""#)),
        (#"{{ .Values.s | "x" }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"non executable command in pipeline stage 2"#)),
        (#"{{ nil }}"#, .exec(#"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <nil>: nil is not a command"#)),
        (
            #"{{ 1 2 }}"#,
            .exec(#"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <1>: can't give argument to non-function 1"#)
        ),
        (
            #"{{ template "nope" }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:12: executing "chart/templates/out.yaml" at <{{template "nope"}}>: template "nope" not defined"#
            )
        ),
        (#"{{ template .x }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unexpected ".x" in template clause"#)),
        (
            #"{{ (1).x }}"#,
            .exec(#"template: chart/templates/out.yaml:1:4: executing "chart/templates/out.yaml" at <1>: can't evaluate field x in type int"#)
        ),
        (
            #"{{ range 3.5 }}{{ end }}"#,
            .exec(#"template: chart/templates/out.yaml:1:9: executing "chart/templates/out.yaml" at <3.5>: range can't iterate over 3.5"#)
        ),
        (
            #"{{ range $i, $v := 3 }}{{ end }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:19: executing "chart/templates/out.yaml" at <3>: can't use 3 to iterate over more than one variable"#
            )
        ),
        (
            #"{{ printf }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <printf>: wrong number of args for printf: want at least 1 got 0"#
            )
        ),
        (
            #"{{ printf 1 }}"#,
            .exec(#"template: chart/templates/out.yaml:1:10: executing "chart/templates/out.yaml" at <1>: expected string; found 1"#)
        ),
        (
            #"{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}"#,
            .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"multiple definition of template "a""#)
        ),
        (
            #"{{ .Values.m.a 1 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:10: executing "chart/templates/out.yaml" at <.Values.m.a>: a is not a method but has arguments"#
            )
        ),
        (#"{{ $x := }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"missing value for command"#)),
        (#"{{ $x, $y := 1 }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"too many declarations in command"#)),
        (
            #"{{ range $a, $b, $c := .Values.l }}{{ end }}"#,
            .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"too many declarations in range"#)
        ),
        (#"{{ with $x := 1 }}{{ end }}{{ $x }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"undefined variable "$x""#)),
        (
            #"{{ .Values.s.x.y }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:10: executing "chart/templates/out.yaml" at <.Values.s.x.y>: can't evaluate field x in type interface {}"#
            )
        ),
        (
            #"{{ "a" .Values.s }}"#,
            .exec(#"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <"a">: can't give argument to non-function "a""#)
        ),
        (#"{{ /* bad comment */ }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unexpected "/" in command"#)),
        (#"{{/* unclosed"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unclosed comment"#)),
        (#"{{ ( 1 }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unclosed left paren"#)),
        (#"{{ ) }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"unexpected right paren"#)),
        (#"{{ # }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: ##"unexpected "#" in command"##)),
        (#"{{ 'ab' }}"#, .parse(location: #"chart/templates/out.yaml:1"#, suffix: #"'ab'"#)),
        (
            #"{{ print (index .Values.l 1 2) }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:10: executing "chart/templates/out.yaml" at <index .Values.l 1 2>: error calling index: index out of range: 2"#
            )
        ),
        (
            #"{{ repeat .Values.i "a" }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:17: executing "chart/templates/out.yaml" at <.Values.i>: wrong type for value; expected int; got float64"#
            )
        ),
        (
            #"{{ repeat 2.5 "a" }}"#,
            .exec(#"template: chart/templates/out.yaml:1:10: executing "chart/templates/out.yaml" at <2.5>: expected integer; found 2.5"#)
        ),
        (
            #"{{ repeat 2 3 }}"#,
            .exec(#"template: chart/templates/out.yaml:1:12: executing "chart/templates/out.yaml" at <3>: expected string; found 3"#)
        ),
        (
            #"{{ repeat "2" "a" }}"#,
            .exec(#"template: chart/templates/out.yaml:1:10: executing "chart/templates/out.yaml" at <"2">: expected integer; found "2""#)
        ),
        (
            #"{{ repeat 2 .Values.missing }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:19: executing "chart/templates/out.yaml" at <.Values.missing>: wrong type for value; expected string; got interface {}"#
            )
        ),
        (
            #"{{ $x := .Values.missing }}{{ repeat 2 $x }}"#,
            .exec(#"template: chart/templates/out.yaml:1:39: executing "chart/templates/out.yaml" at <$x>: invalid value; expected string"#)
        ),
        (
            #"{{ repeat 2 nil }}"#,
            .exec(#"template: chart/templates/out.yaml:1:12: executing "chart/templates/out.yaml" at <nil>: cannot assign nil to string"#)
        ),
        (
            #"{{ repeat 2 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <repeat>: wrong number of args for repeat: want 2 got 1"#
            )
        ),
        (
            #"{{ "a" | repeat 2 "b" }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:9: executing "chart/templates/out.yaml" at <repeat>: wrong number of args for repeat: want 2 got 3"#
            )
        ),
        (
            #"{{ 3 | repeat "x" }}"#,
            .exec(#"template: chart/templates/out.yaml:1:14: executing "chart/templates/out.yaml" at <"x">: expected integer; found "x""#)
        ),
        (#"{{ upper 1 }}"#, .exec(#"template: chart/templates/out.yaml:1:9: executing "chart/templates/out.yaml" at <1>: expected string; found 1"#)),
        (
            #"{{ upper .Values.l }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:16: executing "chart/templates/out.yaml" at <.Values.l>: wrong type for value; expected string; got []interface {}"#
            )
        ),
        (
            #"{{ upper (list 1) }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:15: executing "chart/templates/out.yaml" at <1>: wrong type for value; expected string; got []interface {}"#
            )
        ),
        (
            #"{{ first 1 2 }}"#,
            .exec(
                #"template: chart/templates/out.yaml:1:3: executing "chart/templates/out.yaml" at <first>: wrong number of args for first: want 1 got 2"#
            )
        ),
    ]

    @Test(arguments: cases)
    func failsAsHelm(_ example: (template: String, error: HelmObserved.ExpectedError)) {
        let text = HelmObserved.render(example.template)
        switch example.error {
        case .exec(let message): #expect(text == "ERROR: " + message)
        case .parse(let location, let suffix):
            #expect(text.hasPrefix("ERROR: template: \(location): ") && text.hasSuffix(suffix), "\(text)")
        }
    }
}
