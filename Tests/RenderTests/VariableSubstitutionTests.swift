import Manifests
import Testing

@testable import Render

/// Flux's post-build substitution: the expressions of its envsubst fork, and how objects are
/// rewritten (re-read as YAML, skipped when disabled, values without newlines).
@Suite struct VariableSubstitutionTests {
    static let variables = ["NAME": "web-app", "EMPTY": "", "HOST": "api.example.com", "MIXED": "Hello", "B": "inner", "PATH_V": "a/b/c"]

    @Test(arguments: [
        // Only braced variables expand; `$var` stays as written (shell scripts in ConfigMaps survive).
        ("${NAME}", "web-app"), ("$NAME", "$NAME"), ("a$NAME-${NAME}", "a$NAME-web-app"),
        // `$$` is one `$`, so `$${NAME}` is the literal `${NAME}`.
        ("$${NAME}", "${NAME}"), ("cost: $$5", "cost: $5"), ("$$$${NAME}", "$${NAME}"),
        // An unset variable is empty (Flux's default, non-strict mode).
        ("x${UNSET}y", "xy"),
        // Defaults apply when the value is empty, whatever the operator.
        ("${UNSET:=fallback}", "fallback"), ("${NAME:=fallback}", "web-app"), ("${EMPTY:=fallback}", "fallback"),
        ("${UNSET:-dash}", "dash"), ("${EMPTY=equals}", "equals"), ("${UNSET:=${B}-x}", "inner-x"),
        // bash string functions.
        ("${#NAME}", "7"), ("${MIXED^^}", "HELLO"), ("${MIXED,,}", "hello"), ("${NAME^}", "Web-app"), ("${MIXED,}", "hello"),
        ("${NAME:4}", "app"), ("${NAME:0:3}", "web"), ("${NAME:1:-1}", "eb-ap"), ("${NAME:20}", ""),
        // `:-` is always the default operator, never a negative offset.
        ("${NAME:-3}", "web-app"), ("${NAME: -3}", "web-app"),
        ("${HOST#*.}", "example.com"), ("${HOST##*.}", "com"), ("${HOST%.*}", "api.example"), ("${HOST%%.*}", "api"),
        ("${NAME/-/_}", "web_app"), ("${HOST//./-}", "api-example-com"), ("${NAME/#web/www}", "www-app"),
        // Patterns of `/` are literal; only `\/` and `\\` are escapes in them.
        ("${NAME/%app/svc}", "web-svc"), ("${NAME/web/}", "-app"), ("${PATH_V//\\//-}", "a-b-c"), ("${HOST/\\./:}", "api.example.com"),
    ])
    func expands(_ text: String, _ expected: String) throws {
        #expect(try VariableSubstitution.Expansion.expand(text, variables: Self.variables) == expected)
    }

    @Test(arguments: [
        // Malformed expressions fail the render, with envsubst's own reasons.
        ("${NAME", "missing closing brace"), ("${}", "unable to parse variable name"), ("${NAME-x}", "missing closing brace"),
        ("${NAME:=x", "unable to parse substitution within function"), ("${NAME/a}", "bad substitution"),
    ])
    func refuses(_ text: String, _ reason: String) {
        #expect(throws: VariableSubstitution.Expansion.Failure.self) {
            try VariableSubstitution.Expansion.expand(text, variables: Self.variables)
        }
        do { _ = try VariableSubstitution.Expansion.expand(text, variables: Self.variables) } catch {
            #expect(error.message == reason)
        }
    }

    static func manifest(_ yaml: String) throws -> Manifest {
        try #require(try Manifest.objects(from: YAMLDecoder().decode(yaml, file: "test.yaml")).first)
    }

    // The substituted text is read as YAML again, so a number stays a number (as Flux does).
    @Test func rereadsTheObjectAsYAML() throws {
        let deployment = try Self.manifest(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {cluster: "${CLUSTER}"}}
            spec: {replicas: "${REPLICAS:=1}"}
            """)
        let result = try VariableSubstitution(variables: ["CLUSTER": "prod", "REPLICAS": "3"]).apply(to: [deployment])
        #expect(result[0].value[path: ["spec", "replicas"]] == 3)
        #expect(result[0].value[path: ["metadata", "labels", "cluster"]] == "prod")
    }

    // `kustomize.toolkit.fluxcd.io/substitute: disabled` as a label or an annotation leaves the object alone.
    @Test(arguments: ["labels", "annotations"])
    func disabledObjectsAreSkipped(_ field: String) throws {
        let object = try Self.manifest(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: script, \(field): {kustomize.toolkit.fluxcd.io/substitute: disabled}}
            data: {run.sh: "echo ${HOME}"}
            """)
        #expect(try VariableSubstitution(variables: ["HOME": "/root"]).apply(to: [object]) == [object])
    }

    // With no variables at all, Flux does not run the substitution: `${x}` stays.
    @Test func noVariablesChangesNothing() throws {
        let object = try Self.manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '${X}'}\n")
        #expect(try VariableSubstitution(variables: [:]).apply(to: [object]) == [object])
    }

    // Flux drops the newlines of every value.
    @Test func valuesLoseTheirNewlines() throws {
        let object = try Self.manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '${X}'}\n")
        let result = try VariableSubstitution(variables: ["X": "one\ntwo\n"]).apply(to: [object])
        #expect(result[0].value[path: ["data", "a"]] == "onetwo")
    }

    // Variable names follow Flux's rule; a bad one fails naming it.
    @Test func refusesBadVariableNames() throws {
        let object = try Self.manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
        #expect(VariableSubstitution.isValidName("_a1") && VariableSubstitution.isValidName("CLUSTER_NAME"))
        #expect(!VariableSubstitution.isValidName("1a") && !VariableSubstitution.isValidName("a-b") && !VariableSubstitution.isValidName(""))
        #expect(throws: RenderError.self) { try VariableSubstitution(variables: ["my.var": "x"]).apply(to: [object]) }
    }

    // A value that breaks the YAML fails naming the object, never quoting the value; so does a value too large.
    @Test func errorsNameTheObjectNotTheValue() throws {
        let object = try Self.manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\ndata:\n  a: ${X}\n")
        let secret = "s3cr3t: [unclosed"
        do {
            _ = try VariableSubstitution(variables: ["X": secret]).apply(to: [object])
            Issue.record("a broken object was accepted")
        } catch {
            #expect(error.message.contains("ConfigMap/n/c") && !error.message.contains("s3cr3t"), "\(error.message)")
        }
        #expect(throws: RenderError.self) {
            try VariableSubstitution(variables: ["X": String(repeating: "x", count: 2048)], maximumObjectBytes: 1024).apply(to: [object])
        }
    }
}
