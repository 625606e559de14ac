import Manifests
import Testing

/// The one table of list merge keys that kustomize's strategic merge, the sandbox's apply and
/// patch, and drift detection all read.
@Suite struct ListSemanticsTests {
    static let pod = ["spec", "template", "spec"]

    /// Each case pins one `patchMergeKey` / `listMapKey`s pair of the Kubernetes API.
    @Test(arguments: [
        ("Deployment", pod + ["containers"], "name", ["name"]),
        ("Deployment", pod + ["initContainers"], "name", ["name"]),
        ("Deployment", pod + ["containers", "ports"], "containerPort", ["containerPort", "protocol"]),
        ("Deployment", pod + ["containers", "env"], "name", ["name"]),
        ("Deployment", pod + ["containers", "volumeMounts"], "mountPath", ["mountPath"]),
        ("Deployment", pod + ["containers", "volumeDevices"], "devicePath", ["devicePath"]),
        ("Deployment", pod + ["volumes"], "name", ["name"]),
        ("Deployment", pod + ["imagePullSecrets"], "name", ["name"]),
        ("Deployment", pod + ["hostAliases"], "ip", ["ip"]),
        ("Deployment", pod + ["topologySpreadConstraints"], "topologyKey", ["topologyKey", "whenUnsatisfiable"]),
        ("Pod", ["spec", "containers"], "name", ["name"]),
        ("CronJob", ["spec", "jobTemplate", "spec", "template", "spec", "containers"], "name", ["name"]),
        ("Service", ["spec", "ports"], "port", ["port", "protocol"]),
        ("ServiceAccount", ["secrets"], "name", ["name"]),
        ("ValidatingWebhookConfiguration", ["webhooks"], "name", ["name"]),
        ("Deployment", ["status", "conditions"], "type", ["type"]),
        ("Widget", ["metadata", "ownerReferences"], "uid", ["uid"]),
    ])
    func builtInListsMergeByKey(kind: String, path: [String], mergeKey: String, mapKeys: [String]) throws {
        let rule = try #require(ListSemantics.rule(kind: kind, path: path))
        #expect(rule.mergeKey == mergeKey)
        #expect(rule.mapKeys == mapKeys)
    }

    /// Lists the API leaves atomic are replaced whole: a custom kind's lists, `resizePolicy`,
    /// a ServiceAccount's `imagePullSecrets`, a container's `args`.
    @Test(arguments: [
        ("Widget", ["spec", "template", "spec", "containers"]),
        ("Deployment", pod + ["containers", "resizePolicy"]),
        ("ServiceAccount", ["imagePullSecrets"]),
        ("Deployment", pod + ["containers", "args"]),
    ])
    func otherListsAreAtomic(kind: String, path: [String]) {
        #expect(ListSemantics.rule(kind: kind, path: path) == nil)
    }

    @Test func finalizersAreASet() {
        #expect(ListSemantics.isSet(path: ["metadata", "finalizers"]))
        #expect(ListSemantics.isSet(path: Array(Self.pod.dropLast()) + ["metadata", "finalizers"]))
        #expect(ListSemantics.isSet(field: "finalizers"))
        #expect(!ListSemantics.isSet(path: ["spec", "finalizers"]))
    }

    /// Without the kind, a field's rules are told apart by the key its items carry.
    @Test func aFieldAloneChoosesByTheItemsKeys() {
        #expect(ListSemantics.rule(field: "ports", items: [["containerPort": 80]])?.mapKeys == ["containerPort", "protocol"])
        #expect(ListSemantics.rule(field: "ports", items: [["port": 80]])?.mapKeys == ["port", "protocol"])
        #expect(ListSemantics.rule(field: "ports", items: [["name": "http"]]) == nil)
        #expect(ListSemantics.rule(field: "args", items: ["a"]) == nil)
        #expect(ListSemantics.mergeKeys.first == "name")
    }
}
