import Fleet
import Manifests
import Testing

/// Templates in both modes, and the Applications built from them.
@Suite struct TemplateTests {
    /// fasttemplate fills every string, keys included; unknown tags stay as they are.
    @Test func fastTemplate() throws {
        let renderer = TemplateRenderer(goTemplate: false)
        let out = try renderer.render(
            ["name": "app-{{ path.basename }}", "labels": ["{{key}}": "{{unknown}}"]], ["path.basename": "web", "key": "tier"], field: "t")
        #expect(out["name"] == "app-web")
        #expect(out["labels"]?["tier"] == "{{unknown}}")
    }

    /// goTemplate with Sprig's functions; missingkey=error fails on a missing parameter.
    @Test func goTemplate() throws {
        let renderer = TemplateRenderer(goTemplate: true, missingKeyIsError: true)
        let parameters: Parameters = ["path": ["basename": "Web_App"], "number": "7"]
        #expect(try renderer.string("{{ .path.basename | lower | replace \"_\" \"-\" }}-{{ .number }}", parameters, field: "t") == "web-app-7")
        #expect(throws: ApplicationSetError.self) { try renderer.string("{{ .missing }}", parameters, field: "t") }
        #expect(try TemplateRenderer(goTemplate: true).string("{{ .missing }}", parameters, field: "t") == "<no value>")
    }

    /// Tenants' templates are bounded: a function that would build a huge string is refused.
    @Test func boundedOutput() {
        let renderer = TemplateRenderer(goTemplate: true)
        #expect(throws: ApplicationSetError.self) { try renderer.string("{{ repeat 100000000 \"x\" }}", [:], field: "t") }
    }

    static let set = """
        apiVersion: keelson.dev/v1alpha1
        kind: ApplicationSet
        metadata: {name: fleet, namespace: team, uid: u-1}
        spec:
          generators: [{list: {elements: [{name: a}, {name: b}]}}]
          template:
            metadata: {name: '{{name}}', labels: {app: '{{name}}'}, finalizers: [example.com/keep]}
            spec: {source: {repoURL: 'https://git.example.com/r.git', path: '{{name}}'}, destination: {namespace: '{{name}}'}}
        """

    /// Generated Applications: in the set's namespace, labelled, owned (controller), with the
    /// resources finalizer unless preserveResourcesOnDeletion.
    @Test func builtApplications() throws {
        let set = try applicationSet(Self.set)
        let apps = try ApplicationBuilder().applications(for: set, parameters: [["name": "a"], ["name": "b"]])
        #expect(apps.map(\.name) == ["a", "b"])
        #expect(apps[0].namespace == "team")
        #expect(apps[0].labels[ApplicationSet.setLabel] == "fleet" && apps[0].labels["app"] == "a")
        #expect(apps[0].metadata["finalizers"] == ["example.com/keep", .string(ApplicationSet.resourcesFinalizer)])
        #expect(ApplicationBuilder.isOwned(apps[0], by: set))
        var preserving = set
        preserving.syncPolicy.preserveResourcesOnDeletion = true
        let kept = try ApplicationBuilder().applications(for: preserving, parameters: [["name": "a"]])
        #expect(kept[0].metadata["finalizers"] == ["example.com/keep"])
    }

    /// Refusals that fail the whole generation: another namespace, a duplicate or invalid name,
    /// an invalid Application spec, an Argo CD set without a translation.
    @Test func refusals() throws {
        let set = try applicationSet(Self.set)
        let builder = ApplicationBuilder()
        #expect(throws: ApplicationSetError.self) { try builder.applications(for: set, parameters: [["name": "a"], ["name": "a"]]) }
        #expect(throws: ApplicationSetError.self) { try builder.applications(for: set, parameters: [["name": "Not_A_Name"]]) }
        var elsewhere = set
        elsewhere.template["metadata"] = ["name": "x", "namespace": "other"]
        #expect(throws: ApplicationSetError.self) { try builder.applications(for: elsewhere, parameters: [[:]]) }
        var invalid = set
        invalid.template["spec"] = ["source": ["path": "x"]]
        #expect(throws: ApplicationSetError.self) { try builder.applications(for: invalid, parameters: [["name": "a"]]) }
        var argo = set
        argo.api = .argo
        #expect(throws: ApplicationSetError.self) { try builder.applications(for: argo, parameters: [["name": "a"]]) }
    }

    /// An Argo CD set's rendered Applications go through the translation hook.
    @Test func argoTranslation() throws {
        var set = try applicationSet(Self.set)
        set.api = .argo
        set.template = ["metadata": ["name": "{{name}}"], "spec": ["project": "default", "source": ["repoURL": "r", "path": "{{name}}"]]]
        let builder = ApplicationBuilder { argo in
            var out = argo
            out.object["apiVersion"] = "keelson.dev/v1alpha1"
            out.object["spec"] = [
                "source": ["repoURL": argo.object["spec"]?["source"]?["repoURL"] ?? "", "path": argo.object["spec"]?["source"]?["path"] ?? "."],
                "destination": ["namespace": "default"],
            ]
            return out
        }
        let apps = try builder.applications(for: set, parameters: [["name": "a"]])
        #expect(apps[0].object["spec"]?["source"]?["path"] == "a")
        #expect(apps[0].metadata["ownerReferences"]?.arrayValue?.first?["apiVersion"] == "argoproj.io/v1alpha1")
    }
}
