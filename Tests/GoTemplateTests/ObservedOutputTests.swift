import GoTemplate
import Testing

/// Template outputs observed from real `helm template` (Helm 4.2.3, Go 1.26) by running each case as an
/// `include`d template over the values in `HelmObserved.values`; Go's builtins only.
@Suite struct ObservedOutputTests {
    static let cases: [(template: String, output: String)] = [
        (#"a {{- " b " -}} c"#, #"a b c"#),
        (#"a  {{- /* comment */ -}}  b"#, #"ab"#),
        (#"{{/* comment */}}x"#, #"x"#),
        (#"{{ "\t\u00e9\x41" }}|{{ `raw\n` }}|{{ 'a' }}|{{ '\n' }}"#, #"\#téA|raw\n|97|10"#),
        (
            #"{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ 1e3 }} {{ 1.5e-3 }} {{ -7 }} {{ +3 }} {{ 0x1p4 }} {{ 1.0 }}"#,
            #"31 15 15 5 1000 1000 0.0015 -7 3 16 1"#
        ),
        (
            #"{{ 1e6 }} {{ 123456789.0 }} {{ 0.000012 }} {{ 100000.0 }} {{ .Values.f }} {{ .Values.i }}"#,
            #"1e+06 1.23456789e+08 1.2e-05 100000 1.5 3"#
        ),
        (#"{{ $x := 1 }}{{ $x }}{{ $x = 2 }}{{ $x }}"#, #"12"#),
        (#"{{ $x := "a" }}{{ if true }}{{ $x = "b" }}{{ $y := "c" }}{{ $y }}{{ end }}{{ $x }}"#, #"cb"#),
        (#"{{ with .Values.m }}{{ .a }}{{ else }}none{{ end }}|{{ with .Values.em }}x{{ else }}empty{{ end }}"#, #"1|empty"#),
        (#"{{ with .Values.missing }}x{{ else with .Values.s }}{{ . }}{{ end }}"#, #"hello"#),
        (#"{{ if .Values.e }}a{{ else if .Values.n }}b{{ else if .Values.i }}c{{ else }}d{{ end }}"#, #"c"#),
        (#"{{ range .Values.l }}[{{ . }}]{{ end }}"#, #"[a][b][c]"#),
        (#"{{ range $i, $v := .Values.l }}{{ $i }}:{{ $v }} {{ end }}"#, #"0:a 1:b 2:c "#),
        (#"{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}"#, #"a=1;b=2;c=map[d:x];"#),
        (#"{{ range $v := .Values.m }}{{ $v }};{{ end }}"#, #"1;2;map[d:x];"#),
        (#"{{ range .Values.el }}x{{ else }}empty{{ end }}|{{ range .Values.missing }}x{{ else }}none{{ end }}"#, #"empty|none"#),
        (#"{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}zero{{ end }}"#, #"012|01|zero"#),
        (
            #"{{ range .Values.l }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ . }}{{ end }}|{{ range .Values.l }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }}"#,
            #"ac|a"#
        ),
        (#"{{ $out := "" }}{{ range $i, $e := .Values.l }}{{ $out = print $out $i $e }}{{ end }}{{ $out }}"#, #"0a1b2c"#),
        (#"{{ block "b" .Values.s }}<{{ . }}>{{ end }}"#, #"<hello>"#),
        (#"{{ (print "a" "b") }} {{ (.Values.m).a }} {{ (index .Values.m "c").d }} {{ $.Values.s }}"#, #"ab 1 x hello"#),
        (#"{{ or 1 .Values.missing.deep }} {{ and 0 .Values.missing.deep }}"#, #"1 0"#),
        (#"{{ len .Values.l }} {{ len .Values.m }} {{ len .Values.s }} {{ len "héllo" }} {{ len .Values.el }}"#, #"3 3 5 6 0"#),
        (
            #"{{ index .Values.l 1 }} {{ index .Values.m "a" }} {{ index .Values.m "c" "d" }} {{ index "abc" 1 }} {{ index .Values.m "zz" }}"#,
            #"b 1 x 98 <no value>"#
        ),
        (
            #"{{ print "a" "b" 1 2 "c" 3 true nil }}|{{ print 1 2 }}|{{ print .Values.missing }}|{{ print .Values.l .Values.m }}"#,
            #"ab1 2c3 true <nil>|1 2|<nil>|[a b c] map[a:1 b:2 c:map[d:x]]"#
        ),
        (#"{{ println "a" 1 "b" }}|"#, #"a 1 b\#n|"#),
        (
            #"{{ html "<a href='x'>&\"" }} {{ js "a'b\"c<d>\\e&=" }} {{ urlquery "a b&c=d/é" }}"#,
            #"&lt;a href=&#39;x&#39;&gt;&amp;&#34; a\'b\"c\u003Cd\u003E\\e\u0026\u003D a+b%26c%3Dd%2F%C3%A9"#
        ),
        (
            #"{{ eq 1 1 }} {{ eq 1 2 3 1 }} {{ eq "a" "a" }} {{ eq .Values.i 3.0 }} {{ eq .Values.n nil }} {{ eq .Values.missing nil }} {{ eq "a" nil }} {{ ne 1 2 }} {{ eq true true }}"#,
            #"true true true true true true false true true"#
        ),
        (#"{{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }} {{ lt .Values.f 2.0 }}"#, #"true true true false true"#),
        (
            #"{{ printf "%v|%+v|%d|%s|%q|%x|%X|%o|%b|%e|%f|%g|%t|%T|%c|%U|%%" 42 42 42 "s" "q" 255 255 8 5 1234.5678 3.14159 0.00001 true 1.5 97 9731 }}"#,
            #"42|42|42|s|"q"|ff|FF|10|101|1.234568e+03|3.141590|1e-05|true|float64|a|U+2603|%"#
        ),
        (
            #"{{ printf "%5d|%-5d|%05d|%+d|% d|%.3d|%8.3f|%-8.2f|%08.3f|%+.1e|%x|%#x|%#o|%O|%#b" 42 42 42 42 42 7 3.14159 2.5 -3.14159 12345.0 -255 255 8 8 5 }}"#,
            #"   42|42   |00042|+42| 42|007|   3.142|2.50    |-003.142|+1.2e+04|-ff|0xff|010|0o10|0b101"#
        ),
        (
            #"{{ printf "%s|%10s|%-10s|%.2s|%q|%+q|%#q|%x|% x|%X|%05s" "abc" "abc" "abc" "abc" "é\n" "é" "a`b" "hi" "hi" "hi" "ab" }}"#,
            #"abc|       abc|abc       |ab|"é\n"|"\u00e9"|"a`b"|6869|68 69|6869|000ab"#
        ),
        (
            #"{{ printf "%d|%s|%t|%d|%s|%v|%d" "x" 1 1 1.5 nil nil .Values.l }}"#,
            #"%!d(string=x)|%!s(int=1)|%!t(int=1)|%!d(float64=1.5)|%!s(<nil>)|<nil>|[%!d(string=a) %!d(string=b) %!d(string=c)]"#
        ),
        (
            #"{{ printf "%v %v %v %v" .Values.l .Values.m .Values.nl .Values.t }}|{{ printf "%s %d" .Values.l .Values.nl }}"#,
            #"[a b c] map[a:1 b:2 c:map[d:x]] [1 2] true|[a b c] [%!d(float64=1) %!d(float64=2)]"#
        ),
        (
            #"{{ printf "%d %d" 1 }}|{{ printf "%d" 1 2 "x" nil }}|{{ printf "%" }}|{{ printf "%!" }}|{{ printf "%z" 1 }}"#,
            #"1 %!d(MISSING)|1%!(EXTRA int=2, string=x, <nil>)|%!(NOVERB)|%!!(MISSING)|%!z(int=1)"#
        ),
        (#"{{ printf "%[2]d %[1]d" 1 2 }}|{{ printf "%*d|%-*d|%.*f" 5 1 4 2 2 3.14159 }}"#, #"2 1|    1|2   |3.14"#),
        (
            #"{{ printf "%g %g %g %G %.3g %.10g %e %E" 1e21 1e-7 123456.0 1e-7 3.14159 1.0 0.0 1e100 }}"#,
            #"1e+21 1e-07 123456 1E-07 3.14 1 0.000000e+00 1.000000E+100"#
        ),
        (#"{{ printf "%v %v %v" 1e20 1e21 -0.0 }} {{ 1e20 }} {{ 1e21 }}"#, #"1e+20 1e+21 -0 1e+20 1e+21"#),
        (#"{{ printf "%6.2f|%-8v|%8v|%3c|%-4q" 3.14159 "ab" 1.5 65 66 }}"#, #"  3.14|ab      |     1.5|  A|'B' "#),
        (
            #"{{ printf "%T %T %T %T %T %T %T" .Values.s .Values.l .Values.m nil 1 "x" true }}"#,
            #"string []interface {} map[string]interface {} <nil> int string bool"#
        ),
        (#"{{ "a" | printf "%s-%s" "b" }} {{ .Values.s | len }} {{ 3 | printf "%d" }}"#, #"b-a 5 3"#),
        (#"{{- $a := 1 -}}\#n{{- $b := 2 -}}\#n{{ $a }}{{ $b }}"#, #"12"#),
        (#"{{ if and .Values.s (eq .Values.s "hello") }}yes{{ end }}"#, #"yes"#),
        (#"{{ .Values.m.c.d }} {{ $.Values.m.a }} {{ $m := .Values.m }}{{ $m.c.d }}"#, #"x 1 x"#),
        (#"{{ define "v" }}{{ $x := 2 }}{{ $x }}{{ end }}\#n%%%\#n{{ $x := 1 }}{{ template "v" }}{{ $x }}"#, #"21"#),
        (#"{{ define "blk" }}override{{ end }}\#n%%%\#n{{ block "blk" . }}default{{ end }}"#, #"default"#),
        (#"{{ if .Values.t }}\#n  yes\#n{{- end }}"#, #"\#n  yes"#),
        (#"{{ "a" }}   {{- "b" -}}   {{ "c" }}\#n{{- /* x */}}"#, #"abc"#),
        (#"{{ range $i, $e := .Values.nl }}{{ if $i }},{{ end }}{{ $e }}{{ end }}"#, #"1,2"#),
        (#"{{ range .Values.l -}}\#n{{ . }}\#n{{ end -}}"#, #"a\#nb\#nc\#n"#),
        (#"{{ with $v := .Values.m.c }}{{ $v.d }}{{ .d }}{{ end }}"#, #"xx"#),
        (#"{{ $i := 0 }}{{ range .Values.l }}{{ $i = len (print $i .) }}{{ end }}{{ $i }}"#, #"2"#),
        (#"{{ range $i := .Values.l }}{{ $i }}{{ end }}"#, #"abc"#),
        (#"{{ range .Values.m }}{{ . }}{{ end }}"#, #"12map[d:x]"#),
        (#"{{ range $k, $v := .Values.em }}x{{ else }}none{{ end }}"#, #"none"#),
        (#"{{ if and (eq .Values.s "hello") (not .Values.e) (or .Values.n .Values.i) }}ok{{ end }}"#, #"ok"#),
        (#"{{ .Values.i | printf "%v-%T" .Values.s }}"#, #"hello-float64"#),
        (
            #"{{ printf "%s" .Values.t }} {{ printf "%v" .Values.n }} {{ printf "%q" .Values.l }} {{ printf "%x" .Values.l }}"#,
            #"%!s(bool=true) <nil> ["a" "b" "c"] [61 62 63]"#
        ),
        (#"{{ printf "%.1f %.0f %.0f %.0f %5.1f%%" 0.05 0.5 1.5 2.5 99.44 }}"#, #"0.1 0 2 2  99.4%"#),
        (#"{{ printf "%e %.2e %g %g %g" 1.0 0.000123 1e-5 1e-4 123456789.0 }}"#, #"1.000000e+00 1.23e-04 1e-05 0.0001 1.23456789e+08"#),
        (#"{{ printf "%08.2f|%-08d|%+08d|%x|%X" -1.5 5 5 3.5 -1 }}"#, #"-0001.50|5       |+0000005|0x1.cp+01|-1"#),
        (#"{{ printf "%v %d" 'x' 'x' }} {{ printf "%c%c" 0x48 105 }} {{ printf "%U %#U" 0x1F600 0x1F600 }}"#, #"120 120 Hi U+1F600 U+1F600 '😀'"#),
        (#"{{ printf "%5t|%-6v|%q" true false true }}"#, #" true|false |%!q(bool=true)"#),
        (#"{{ printf "%s %v" nil .Values.missing }}"#, #"%!s(<nil>) <nil>"#),
        (#"{{ print 1.0 2.5 "x" 3 }} {{ print "a" 1 }} {{ print 1 "a" }} {{ print nil nil }}"#, #"1 2.5x3 a1 1a <nil> <nil>"#),
        (#"{{ println }}|{{ println nil 1 }}|"#, #"\#n|<nil> 1\#n|"#),
        (#"{{ len (print 1 2) }} {{ index (print "ab") 0 }} {{ not (len .Values.el) }}"#, #"3 97 true"#),
        (
            #"{{ eq 2 2 }} {{ eq .Values.l nil }} {{ ne .Values.s "x" }} {{ eq .Values.n .Values.missing }} {{ eq nil nil }}"#,
            #"true false true true true"#
        ),
        (#"{{ lt "a" "b" }} {{ lt "B" "a" }} {{ le 1.5 1.5 }} {{ gt 3 2 }} {{ ge 2 3 }} {{ lt -1 0 }}"#, #"true true true true false true"#),
        (
            #"{{ index .Values.m "c" | printf "%v" }} {{ index .Values }}"#,
            #"map[d:x] map[e: el:[] em:map[] f:1.5 i:3 l:[a b c] m:map[a:1 b:2 c:map[d:x]] nl:[1 2] s:hello t:true]"#
        ),
        (#"{{- $x := "outer" }}{{ with .Values.m }}{{ $x = "inner" }}{{ end }}{{ $x }}"#, #"inner"#),
        (
            #"{{ range $i, $v := .Values.l }}{{ if eq $i 1 }}{{ break }}{{ end }}{{ $v }}{{ end }}{{ range $i, $v := .Values.l }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $v }}{{ end }}"#,
            #"aac"#
        ),
        (#"{{ range .Values.l }}{{ range $.Values.nl }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}{{ . }}{{ end }}"#, #"1a1b1c"#),
        (#"{{ 'a' }} {{ '\'' }} {{ '\x41' }} {{ '\u00e9' }} {{ "\"q\"" }} {{ "\101" }}"#, #"97 39 65 233 "q" A"#),
        (
            #"{{ 1e3 | printf "%v %T" }} {{ 0x10 | printf "%v %T" }} {{ 1.0 | printf "%v %T" }} {{ 'a' | printf "%v %T" }} {{ -0 }}"#,
            #"1000 %!T(MISSING) 16 %!T(MISSING) 1 %!T(MISSING) 97 %!T(MISSING) 0"#
        ),
        (#"{{ and 1 "" | printf "%q" }} {{ or "" 0 | printf "%v" }} {{ and .Values.missing 1 | printf "%v" }}"#, #""" 0 <nil>"#),
        (#"{{ html 1 2 }} {{ js 1 "x" }} {{ urlquery }} {{ html }}"#, #"1 2 1x  "#),
        (#"{{ (.Values.m.c).d }} {{ (.Values).s }} {{ $m := .Values.m }}{{ ($m).a }}"#, #"x hello 1"#),
        (#"x\#n{{- /* trimmed\#n   comment */ -}}\#ny"#, #"xy"#),
        (#"{{- if false }}\#na\#n{{- else if true -}}\#n  b\#n{{- end }}"#, #"b"#),
        (#"{{-3}}|{{ -3 }}|{{3 -}} x|{{- 4}}"#, #"-3|-3|3x|4"#),
        (#"{{.Values.s}}|{{.Values.s -}}  !|{{print\#n  1\#n  2}}"#, #"hello|hello!|1 2"#),
        (#"{{ $x := 1 }}{{ $x := 2 }}{{ $x }}"#, #"2"#),
        (#"{{ print "a" | printf "%s!" }}"#, #"a!"#),
        (#"{{ `multi\#nline` }}"#, #"multi\#nline"#),
        (#"a  {{- /* c */}}  b  {{/* c */ -}}  c"#, #"a  b  c"#),
        (#"{{ if false }}{{ else }}{{ if true }}in{{ end }}{{ end }}"#, #"in"#),
        (#"{{ range $i, $v := .Values.l }}{{ else }}empty{{ end }}{{ $.Values.s }}"#, #"hello"#),
        (#"{{ with .Values.e }}x{{ else with .Values.el }}y{{ else }}z{{ end }}"#, #"z"#),
        (#"{{ index . "Values" | len }}"#, #"10"#),
        (#"{{ 1.5 }} {{ -1.5e3 }} {{ 0.1 }} {{ 1e-7 }} {{ 5e20 }} {{ 0x_1F }} {{ 0b_1 }}"#, #"1.5 -1500 0.1 1e-07 5e+20 31 1"#),
        (
            #"{{ printf "%v" 1e-320 }} {{ printf "%.3f" 2.0005 }} {{ printf "%.2f" 1.005 }} {{ printf "%g" 0.1 }} {{ printf "%v" 3.0 }}"#,
            #"1e-320 2.001 1.00 0.1 3"#
        ),
        (#"{{ printf "%3.1s|%-3q|%03d|%+.2e|%#v" "abc" "a" -5 0.0 "s" }}"#, #"  a|"a"|-05|+0.00e+00|"s""#),
        (#"{{ printf "%d %d" .Values.nl }}|{{ printf "%v %v" "a" }}"#, #"[%!d(float64=1) %!d(float64=2)] %!d(MISSING)|a %!v(MISSING)"#),
        (#"{{ printf "%s" (list "a" 1 .Values.m) }}"#, #"[a %!s(int=1) map[a:%!s(float64=1) b:%!s(float64=2) c:map[d:x]]]"#),
        (#"{{ print (list) }} {{ print (dict) }} {{ len (list 1 2) }}"#, #"[] map[] 2"#),
        (#"{{ "a" }}{{/* x */}}{{ "b" }}"#, #"ab"#),
        (#"{{ range .Values.nl }}{{ . }}{{ end }}|{{ range .Values.nl }}{{ printf "%T" . }}{{ end }}"#, #"12|float64float64"#),
        (
            #"{{ printf "%#v|%#v|%#v|%#v|%#v|%#v" "s" 1 1.0 1.5 .Values.l .Values.m }}|{{ printf "%#v" nil }}|{{ printf "%#v %#v" true 1e21 }}"#,
            #""s"|1|1|1.5|[]interface {}{"a", "b", "c"}|map[string]interface {}{"a":1, "b":2, "c":map[string]interface {}{"d":"x"}}|<nil>|true 1e+21"#
        ),
        (#"a{{- "x" -}}\#nb"#, #"axb"#),
        (#"{{ "é" }}{{ $é := 1 }}{{ $é }}"#, #"é1"#),
        (#"{{- " a " }}\#t{{- "b" }}"#, #" a b"#),
        (#"{{ "a" -}}\#n\#t\#n  {{ "b" }}"#, #"ab"#),
        (#"{{ print 1 | print 2 | print 3 }}"#, #"321"#),
        (#"{{ if not .Values.missing }}none{{ end }}{{ if not (eq .Values.s "x") }}!{{ end }}"#, #"none!"#),
        (#"{{ range $i, $v := .Values.m.c }}{{ $i }}{{ $v }}{{ end }}"#, #"dx"#),
        (#"{{ with .Values.m }}{{ with .c }}{{ .d }}{{ $.Values.s }}{{ end }}{{ end }}"#, #"xhello"#),
        (#"{{ $a := .Values.l }}{{ range $a }}{{ $a = "z" }}{{ . }}{{ end }}{{ $a }}"#, #"abcz"#),
        (#"{{ range $i, $v := .Values.l }}{{ $i = 5 }}{{ $i }}{{ end }}"#, #"555"#),
        (#"{{ printf "%v" (index .Values.l 0 | len) }} {{ (len .Values.l) | printf "%03d" }}"#, #"1 003"#),
        (#"{{ printf "%s %s" "a" (print 1 2) }}{{ printf "%5.1f%%" 12.34 }}"#, #"a 1 2 12.3%"#),
        (#"{{ or .Values.missing .Values.e "fallback" }} {{ and .Values.s .Values.i }}"#, #"fallback 3"#),
    ]

    @Test(arguments: cases)
    func rendersAsHelm(_ example: (template: String, output: String)) {
        #expect(HelmObserved.render(example.template) == example.output)
    }
}
