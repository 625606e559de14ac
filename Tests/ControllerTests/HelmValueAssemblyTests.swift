import GoTemplate
import Manifests
import Testing

@testable import Controller

/// Chart values in Helm's order: value files < inline values < valuesFrom < parameters.
@Suite struct HelmValueAssemblyTests {
    func text(_ values: [String: Value], _ key: String) -> String? {
        values[key].map(\.formatted)
    }

    // Later layers win key by key; maps merge; numbers read as Helm reads YAML numbers (float64).
    @Test func layersMergeInOrder() throws {
        let values = try HelmValueAssembly.merge([
            .document(text: "replicas: 1\nimage: {repository: web, tag: v1}\nbig: 1000000\n", source: "values-prod.yaml", sensitive: false),
            .object(["image": ["tag": "v2"], "ratio": 2], source: "spec.source.helm.values"),
            .document(text: "image: {pullPolicy: Always}\n", source: "ConfigMap keelson/extra[values.yaml]", sensitive: false),
            .text(path: "auth.password", value: "s3cret: yes", source: "Secret keelson/db[password]", sensitive: true),
            .parameter(ApplicationSpec.Parameter(name: "replicas", value: "3")),
            .parameter(ApplicationSpec.Parameter(name: "image.tag", value: "007", forceString: true)),
        ])
        #expect(text(values, "replicas") == "3")
        #expect(text(values, "image") == "map[pullPolicy:Always repository:web tag:007]")
        #expect(text(values, "big") == "1e+06", "values file numbers are float64")
        guard case .float = values["ratio"] else {
            Issue.record("an inline number is not a float64: \(String(describing: values["ratio"]))")
            return
        }
        #expect(text(values, "auth") == "map[password:s3cret: yes]", "targetPath sets the text as one string")
    }

    // --set types what it reads; --set-string keeps text; --set runs before --set-string as in Helm.
    @Test func parametersAreSetFlags() throws {
        let values = try HelmValueAssembly.merge([
            .parameter(ApplicationSpec.Parameter(name: "a", value: "true")),
            .parameter(ApplicationSpec.Parameter(name: "b", value: "true", forceString: true)),
            .parameter(ApplicationSpec.Parameter(name: "list[1]", value: "x")),
        ])
        guard case .bool(true) = values["a"], case .string("true") = values["b"] else {
            Issue.record("typing: \(values)")
            return
        }
        #expect(text(values, "list") == "[<nil> x]")
    }

    // A Secret's text that is not valid YAML is reported by name, never quoted.
    @Test func aBrokenSecretIsNamedNotQuoted() {
        do {
            _ = try HelmValueAssembly.merge([.document(text: "password: [hunter2\n", source: "Secret keelson/db[values.yaml]", sensitive: true)])
            Issue.record("a broken document was accepted")
        } catch {
            #expect(error.description.contains("Secret keelson/db[values.yaml]"))
            #expect(!error.description.contains("hunter2"))
        }
    }

    // A broken values file is reported with its name and Helm's message.
    @Test func aBrokenFileIsNamed() {
        #expect(throws: HelmValueAssembly.Invalid.self) {
            try HelmValueAssembly.merge([.document(text: "a: [1\n", source: "chart/values-prod.yaml", sensitive: false)])
        }
    }
}
