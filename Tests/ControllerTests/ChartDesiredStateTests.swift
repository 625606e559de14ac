import Manifests
import Testing

@testable import Controller

/// What a rendered chart puts in the desired state under the Application's chart options.
@Suite struct ChartDesiredStateTests {
    let crd = Manifest(unchecked: [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "widgets.example.com"],
    ])
    let web = Manifest(unchecked: ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"], "spec": ["replicas": 1]])
    let test = Manifest(unchecked: [
        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web-test", "annotations": ["helm.sh/hook": "test"]],
    ])

    func options(_ change: (inout ApplicationSpec.HelmOptions) -> Void) -> ApplicationSpec.HelmOptions {
        var options = ApplicationSpec.HelmOptions()
        change(&options)
        return options
    }

    // crds: Apply keeps them as they are, Skip leaves them out, CreateOnly marks them create-only and never pruned.
    @Test(arguments: ApplicationSpec.CRDPolicy.allCases) func crdPolicy(_ policy: ApplicationSpec.CRDPolicy) throws {
        let desired = try ChartDesiredState.assemble(crds: [crd], objects: [web], helm: options { $0.crds = policy })
        switch policy {
        case .apply: #expect(desired.map(\.name) == ["widgets.example.com", "web"] && desired[0].annotations.isEmpty)
        case .skip: #expect(desired.map(\.name) == ["web"])
        case .createOnly:
            #expect(desired.map(\.name) == ["widgets.example.com", "web"])
            #expect(desired[0].annotations["keelson.dev/sync-options"] == "CreateOnly=true,Prune=false")
        }
    }

    // A CRD's own sync options are kept before CreateOnly's.
    @Test func createOnlyKeepsExistingOptions() {
        var crd = crd
        crd.setAnnotation("keelson.dev/sync-options", "Replace=true")
        #expect(ChartDesiredState.createOnly(crd).annotations["keelson.dev/sync-options"] == "Replace=true,CreateOnly=true,Prune=false")
    }

    // skipTests leaves test hooks out of the desired state.
    @Test func skipTests() throws {
        #expect(try ChartDesiredState.assemble(crds: [], objects: [web, test], helm: options { _ in }).count == 2)
        #expect(try ChartDesiredState.assemble(crds: [], objects: [web, test], helm: options { $0.skipTests = true }).map(\.name) == ["web"])
    }

    // postRenderer.patches: strategic merge and JSON 6902 patches with targets, over every rendered object.
    @Test func postRendererPatches() throws {
        let patches: [JSONValue] = [
            ["patch": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n"],
            ["patch": "- {op: add, path: /metadata/labels, value: {team: shop}}", "target": ["kind": "Deployment"]],
        ]
        let desired = try ChartDesiredState.assemble(crds: [], objects: [web], helm: options { $0.postRendererPatches = patches })
        #expect(desired.first?.object["spec"]?["replicas"]?.intValue == 3)
        #expect(desired.first?.labels["team"] == "shop")
        #expect(throws: (any Error).self) {
            try ChartDesiredState.assemble(crds: [], objects: [web], helm: options { $0.postRendererPatches = [["path": "p.yaml"]] })
        }
    }
}
