import GoTemplate
import Testing

@testable import Helm

/// `--set` and its siblings, merged as `helm template` merges them (expectations printed by the real
/// helm 4.2.3 with `{{ toJson .Values }}` on an empty chart).
@Suite struct ValuesStrvalsTests {
    static let file = "/values/f.txt"

    static func merged(_ options: HelmValueOptions) throws -> String {
        let values = try options.merged { path in
            guard path == file else { throw FileError(path: path) }
            return "hello\nworld\n"
        }
        return try GoJSON.encode(.map(values))
    }

    struct FileError: Error, CustomStringConvertible {
        var path: String
        var description: String { "open \(path): no such file or directory" }
    }

    // Each case pins one rule of Helm's strvals parser or of the flags' order.
    @Test(arguments: [
        // Typing: true/false any case, null, int64 unless a leading zero, everything else a string.
        (
            HelmValueOptions(set: ["a=1,b=true,c=null,d=0,e=007,f=-5,g=TRUE,h=1.5,i=hello world,j=,k=+3"]),
            #"{"a":1,"b":true,"c":null,"d":0,"e":"007","f":-5,"g":true,"h":"1.5","i":"hello world","j":"","k":3}"#
        ),
        // Dotted names build maps, across flags.
        (HelmValueOptions(set: ["a.b.c=1", "a.b.d=x"]), #"{"a":{"b":{"c":1,"d":"x"}}}"#),
        // Indexes grow lists with nulls.
        (HelmValueOptions(set: ["a[0].b=1,a[2]=x"]), #"{"a":[{"b":1},null,"x"]}"#),
        // Backslash escapes separators.
        (HelmValueOptions(set: [#"a\.b=1,c\,d=2,e=f\,g"#]), #"{"a.b":1,"c,d":2,"e":"f,g"}"#),
        // Braces make lists; an empty pair holds one empty string.
        (HelmValueOptions(set: ["a={x,y,1},b={}"]), #"{"a":["x","y",1],"b":[""]}"#),
        (HelmValueOptions(set: ["a[1][0]=z"]), #"{"a":[null,["z"]]}"#),
        // --set-string comes after --set.
        (HelmValueOptions(set: ["a=1"], setString: ["a=1,b=true"]), #"{"a":"1","b":"true"}"#),
        // --set-json: JSON values, empty is null, a whole object merges.
        (
            HelmValueOptions(setJSON: [#"a={"x":[1,2.5,"s"]},b=null,c="#, #"{"d":{"e":1}}"#]),
            #"{"a":{"x":[1,2.5,"s"]},"b":null,"c":null,"d":{"e":1}}"#
        ),
        // --set-literal takes the rest of the line verbatim.
        (HelmValueOptions(setLiteral: [#"a=1,b={x},c.d\=e"#]), #"{"a":"1,b={x},c.d\\=e"}"#),
        (HelmValueOptions(setFile: ["a=/values/f.txt"]), #"{"a":"hello\nworld\n"}"#),
        (HelmValueOptions(set: ["a[0]"]), #"{"a":[]}"#),
        (HelmValueOptions(set: ["a=b=c"]), #"{"a":"b=c"}"#),
        (HelmValueOptions(set: ["=1"]), "{}"),
        (HelmValueOptions(set: ["a.b[1].c=1,a.b[0]=x"]), #"{"a":{"b":["x",{"c":1}]}}"#),
        (HelmValueOptions(set: ["x=9223372036854775808,y=123456789012"]), #"{"x":"9223372036854775808","y":123456789012}"#),
        (HelmValueOptions(set: ["a= spaced "]), #"{"a":" spaced "}"#),
    ])
    func merges(_ options: HelmValueOptions, _ expected: String) throws {
        #expect(try Self.merged(options) == expected)
    }

    @Test(arguments: [
        (HelmValueOptions(set: ["a"]), #"failed parsing --set data: key "a" has no value"#),
        (HelmValueOptions(set: ["a,b=1"]), #"failed parsing --set data: key "a" has no value (cannot end with ,)"#),
        (HelmValueOptions(set: ["a.=1"]), #"failed parsing --set data: key map "a" has no value"#),
        (HelmValueOptions(set: ["a[x]=1"]), #"failed parsing --set data: error parsing index: strconv.Atoi: parsing "x": invalid syntax"#),
        (HelmValueOptions(set: ["a[-1]=1"]), "failed parsing --set data: negative -1 index not allowed"),
        (HelmValueOptions(set: ["a[70000]=1"]), "failed parsing --set data: index of 70000 is greater than maximum supported index of 65536"),
        (
            HelmValueOptions(set: ["a=1", "a.b=2"]),
            "failed parsing --set data: unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
        ),
        (
            HelmValueOptions(set: ["a.b=1", "a[0]=2"]),
            "failed parsing --set data: unable to parse key: interface conversion: interface {} is map[string]interface {}, not []interface {}"
        ),
        (HelmValueOptions(set: ["a[0]x=1"]), "failed parsing --set data: unexpected data at end of array index: ['x']"),
        (HelmValueOptions(set: ["a={1,2"]), "failed parsing --set data: list must terminate with '}'"),
        (HelmValueOptions(setJSON: ["a={"]), "failed parsing --set-json data a={"),
        (HelmValueOptions(setJSON: ["{bad"]), "failed parsing --set-json data JSON: {bad"),
        (HelmValueOptions(setFile: ["a=/nonexistent"]), "failed parsing --set-file data: open /nonexistent: no such file or directory"),
    ])
    func failsAsHelm(_ options: HelmValueOptions, _ message: String) {
        #expect(throws: HelmValuesError.self) { try Self.merged(options) }
        do {
            _ = try Self.merged(options)
        } catch let error as HelmValuesError {
            #expect(error.message == message)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
