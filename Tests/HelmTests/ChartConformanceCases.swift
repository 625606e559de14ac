import Testing

/// One `helm template` run of a fixture chart that Keelson must reproduce: the same objects in the
/// same order, or the same error.
struct ChartCase: Sendable, CustomTestStringConvertible {
    /// A short name shown by the test runner.
    var name: String
    /// The chart, relative to `Fixtures/charts` (a directory or a `.tgz`).
    var chart: String
    /// The release name.
    var release = "rel"
    /// `helm template` flags; paths in them are relative to `Fixtures/charts`.
    var arguments: [String] = []
    /// Whether Helm fails on this case (then Keelson must fail with the same message).
    var fails = false

    var testDescription: String { name }

    /// A case that renders.
    static func renders(_ name: String, _ chart: String, _ arguments: [String] = [], release: String = "rel") -> ChartCase {
        ChartCase(name: name, chart: chart, release: release, arguments: arguments, fails: false)
    }

    /// A case where Helm fails.
    static func fails(_ name: String, _ chart: String, _ arguments: [String] = [], release: String = "rel") -> ChartCase {
        ChartCase(name: name, chart: chart, release: release, arguments: arguments, fails: true)
    }
}

/// The conformance corpus: every chart under `Fixtures/charts` with the flags that exercise it.
enum ChartCases {
    static let all: [ChartCase] = values + engine + files + sharedMaps + hooks + umbrella + legacy + errors + badFlags

    /// Helm's YAML typing of values files, `-f` precedence and every `--set` flavour.
    static let values: [ChartCase] = [
        .renders("values: defaults (floats, y/n/on/off keys, anchors, toYaml/toJson/fromYaml)", "values-typing"),
        .renders("values: one -f file (null deletes a default, lists replace)", "values-typing", ["-f", "values-typing/overrides/prod.yaml"]),
        .renders(
            "values: two -f files, the later wins", "values-typing",
            ["-f", "values-typing/overrides/prod.yaml", "-f", "values-typing/overrides/second.yaml"]),
        .renders(
            "values: two -f files, reversed", "values-typing",
            ["-f", "values-typing/overrides/second.yaml", "-f", "values-typing/overrides/prod.yaml"]),
        .renders(
            "values: every --set flavour with indexes and escapes", "values-typing",
            [
                "--set", #"set.a=1,set.b=true,set.c=null,set.d=0x10,set.e=1e6,set.f=007,set.g=abc,set.list[0]=x,set.list[2]=z"#,
                "--set", #"set.esc=a\,b,set.dot\.key=v,set.eq=a=b"#, "--set-string", "set.s1=123,set.s2=true",
                "--set-json", #"set.j={"a":[1,2.5,{"b":null}],"c":"d"}"#, "--set-json", "set.jl=[1,2]",
                "--set-literal", #"set.lit=a,b=c\d{e}"#, "--set-file", "set.file=values-typing/overrides/note.txt",
                "--set", "set.objs[0].name=first,set.objs[0].port=80,set.objs[1].name=second",
            ]),
        .renders(
            "values: --set typing (ints, big ints, floats, empty, {lists}, nested indexes)", "values-typing",
            [
                "--set",
                "set.big=1000000,set.neg=-5,set.float=1.5,set.empty=,set.list={a,b,3},set.emptyList={},set.t=TRUE,set.f=false,"
                    + "set.zero=0,set.long=12345678901234567890,set.path[1][0]=deep,set.sp=a b",
            ]),
        .renders("values: --set null deletes defaults", "values-typing", ["--set", "replicas=null,deleteMe.keep=null,deleteMe.nested=null"]),
        .renders(
            "values: flavour precedence (json < set < string < file < literal) and repeats", "values-typing",
            [
                "--set", "set.over=1", "--set", "set.over=2", "--set-string", "set.over2=5", "--set", "set.over2=6",
                "--set-json", "set.over3=7", "--set", "set.over3=8", "--set-literal", "set.over4=lit", "--set-file",
                "set.over4=values-typing/overrides/note.txt", "--set", "set.over4=plain",
            ]),
        .renders("values: --set an index of a list from values.yaml", "values-typing", ["--set", "list[1].port=1"]),
        .renders("values: --set-json merges into a map", "values-typing", ["--set-json", #"deleteMe={"extra":1,"keep":null}"#]),
        .renders(
            "values: -f and --set together", "values-typing",
            ["-f", "values-typing/overrides/prod.yaml", "--set", "extra.count=30,set.x=1", "-f", "values-typing/overrides/second.yaml"]),
    ]

    /// Template semantics, built-in objects, partials and NOTES.txt.
    static let engine: [ChartCase] = [
        .renders("engine: defaults (builtins, control flow, printf, tpl, block, lookup)", "engine"),
        .renders(
            "engine: namespace, upgrade, --kube-version and --api-versions", "engine",
            ["-n", "team", "--is-upgrade", "--kube-version", "1.29.3", "-a", "example.invalid/v1/Widget", "--api-versions", "other.invalid/v2"]),
        .renders("engine: --kube-version without a patch keeps its text in .Version", "engine", ["--kube-version", "1.30"]),
        .renders("engine: --kube-version with pre-release and build parts", "engine", ["--kube-version", "v1.29.3-gke.1"]),
        .fails("engine: --kube-version needs a minor", "engine", ["--kube-version", "1"]),
        .renders("engine: another release name", "engine", release: "second.release-1"),
        .fails("engine: kubeVersion constraint not met", "engine", ["--kube-version", "v1.19.4"]),
        .fails("engine: NOTES.txt is rendered, so its fail fails", "engine", ["--set", "notesFail=true"]),
        .fails("engine: invalid release name", "engine", release: "Bad_Name"),
        .fails("engine: release name longer than 53", "engine", release: String(repeating: "a", count: 54)),
    ]

    /// `.Files` and `.helmignore`.
    static let files: [ChartCase] = [
        .renders("files: Get, GetBytes, Glob, Lines, AsConfig, AsSecrets and .helmignore", "files"),
        .fails("files: a byte that is not UTF-8, printed as text, is not YAML", "files", ["--set", "printLatin1=true"]),
    ]

    /// Go maps are references: `set`, `unset` and `merge` change a map for every holder, across
    /// files (in Helm's order), partials, subcharts and `.Subcharts`; `deepCopy` does not share.
    static let sharedMaps: [ChartCase] = [
        .renders("engine: maps are shared (set across files, partials and subcharts; merge, deepCopy; common.Values)", "shared-maps")
    ]

    /// Hooks, tests, CRDs and the install order.
    static let hooks: [ChartCase] = [
        .renders("hooks: defaults (install order, hooks after objects, unknown events dropped)", "hooks"),
        .renders("hooks: --include-crds", "hooks", ["--include-crds"]),
        .renders("hooks: --skip-tests", "hooks", ["--skip-tests"]),
        .renders("hooks: --no-hooks", "hooks", ["--no-hooks"]),
        .renders("hooks: --is-upgrade --include-crds --skip-tests", "hooks", ["--is-upgrade", "--include-crds", "--skip-tests"]),
        .renders("hooks: --no-hooks --include-crds", "hooks", ["--no-hooks", "--include-crds"]),
        .renders("hooks: a test hook and an unknown event from values", "hooks", ["--set", "events={pre-install,test,crash}"]),
    ]

    /// Dependencies: library, aliases, conditions, tags, archives, import-values, globals, schemas.
    static let umbrella: [ChartCase] = [
        .renders("umbrella: defaults (library, two aliases, .tgz, import-values, globals)", "umbrella"),
        .renders("umbrella: a tag disables the archived subchart", "umbrella", ["--set", "tags.storage=false"]),
        .renders("umbrella: one tag of two still true", "umbrella", ["--set", "tags.optional=false"]),
        .renders(
            "umbrella: conditions enable and disable", "umbrella", ["--set", "metrics.enabled=true", "--set", "api.enabled=false"]
        ),
        .renders(
            "umbrella: the second condition path decides", "umbrella", ["--set", "worker.enabled=null", "--set", "global.workers=false"]),
        .renders(
            "umbrella: globals and subchart values from the parent", "umbrella",
            ["--set", "global.env=dev,api.replicas=4,api.global.extra=x,worker.leaf.color=red", "-n", "other"]),
        .renders("umbrella: the packaged subchart rendered alone", "umbrella/charts/cache-0.2.0.tgz"),
        .fails("umbrella: parent schema violated", "umbrella", ["--set", "replicas=20"]),
        .fails("umbrella: subchart schema violated", "umbrella", ["--set", "api.role=db"]),
        .fails("umbrella: parent and subchart schemas violated", "umbrella", ["--set", "name=ab,api.role=db"]),
        .fails("umbrella: --set 2.5 is a string to a subchart schema", "umbrella", ["--set", "api.replicas=2.5"]),
        .fails("umbrella: a required property deleted with null", "umbrella", ["--set", "api.image=null"]),
        .fails("umbrella: an enum in globals", "umbrella", ["--set", "global.env=qa"]),
        .fails("umbrella: kubeVersion constraint not met", "umbrella", ["--kube-version", "1.21.0"]),
        .fails("umbrella: a library chart is not installable", "umbrella/charts/common"),
    ]

    /// Chart.yaml v1 with requirements.yaml.
    static let legacy: [ChartCase] = [
        .renders("legacy: v1 chart, requirements.yaml, condition and import-values", "legacy"),
        .renders("legacy: condition unset, the false tag disables", "legacy", ["--set", "db.enabled=null"]),
        .renders("legacy: condition unset, the true tag enables", "legacy", ["--set", "tags.database=true,db.enabled=null"]),
        .fails("legacy: kubeVersion range not met", "legacy", ["--kube-version", "1.18.5"]),
    ]

    /// Templates and charts that fail, each in its own way.
    static let errors: [ChartCase] =
        [.renders("errors: no mode renders", "errors")]
        + ["required", "fail", "compare", "nil", "include", "tpl", "index", "call", "deep"].map { mode in
            .fails("errors: \(mode)", "errors", ["--set", "mode=\(mode)"])
        } + [
            .fails("errors: unknown function (parse error with its line)", "broken-template"),
            .fails("errors: unclosed range", "broken-unclosed"),
            .fails("errors: rendered YAML does not parse", "broken-yaml"),
            .fails("errors: a YAML error at the end of a document counts the lines Helm keeps", "broken-yaml-eof"),
            .fails("errors: values.yaml does not parse", "broken-values"),
            .fails("errors: Chart.yaml does not parse", "broken-chartyaml"),
            .fails("errors: a dependency missing from charts/", "missing-dep"),
        ]

    /// Flags Helm refuses.
    static let badFlags: [ChartCase] = [
        .fails("flags: --set index not a number", "values-typing", ["--set", "a[x]=1"]),
        .fails("flags: --set key without value", "values-typing", ["--set", "a"]),
        .fails("flags: --set negative index", "values-typing", ["--set", "a[-1]=1"]),
        .fails("flags: --set index too large", "values-typing", ["--set", "a[100000]=1"]),
        .fails("flags: --set list then map", "values-typing", ["--set", "a[0].b=1,a.c=2"]),
        .fails("flags: --set-json not JSON", "values-typing", ["--set-json", "a={bad"]),
        .fails("flags: --set-string key without value", "values-typing", ["--set-string", "x=1,y"]),
    ]
}
