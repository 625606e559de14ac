import Manifests
import Testing

@testable import Kube

@Suite struct RequestBuildingTests {
    static let deployments = APIResource(
        groupVersionKind: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"), plural: "deployments", namespaced: true)
    static let namespaces = APIResource(
        groupVersionKind: GroupVersionKind(group: "", version: "v1", kind: "Namespace"), plural: "namespaces", namespaced: false)

    @Test(
        arguments: [
            // Namespaced object in a named group.
            (deployments, "web", "api", nil, "/apis/apps/v1/namespaces/web/deployments/api"),
            // Collection across all namespaces.
            (deployments, nil, nil, nil, "/apis/apps/v1/deployments"),
            // Subresource.
            (deployments, "web", "api", "status", "/apis/apps/v1/namespaces/web/deployments/api/status"),
            // Core group lives under /api; a namespace given for a cluster-scoped kind is ignored.
            (namespaces, "ignored", "prod", nil, "/api/v1/namespaces/prod"),
        ] as [(APIResource, String?, String?, String?, String)])
    func pathsFollowTheAPILayout(resource: APIResource, namespace: String?, name: String?, subresource: String?, expected: String) {
        #expect(ResourcePath.path(for: resource, namespace: namespace, name: name, subresource: subresource) == expected)
    }

    @Test(arguments: [
        // Equality, inequality, set-based and existence, in kubectl's syntax.
        (LabelSelector([.equals("app", "web"), .notEquals("tier", "db")]), "app=web,tier!=db"),
        (LabelSelector([.in("env", ["prod", "dev"]), .notIn("zone", ["b"])]), "env in (dev,prod),zone notin (b)"),
        (LabelSelector([.exists("app.keelson.dev/name"), .doesNotExist("skip")]), "app.keelson.dev/name,!skip"),
        (LabelSelector.matching(["b": "2", "a": "1"]), "a=1,b=2"),
    ])
    func labelSelectorsRender(selector: LabelSelector, expected: String) {
        #expect(selector.description == expected)
    }

    @Test func fieldSelectorEscapesSeparators() {
        let selector: FieldSelector = [.equals("metadata.name", "a,b=c\\d"), .notEquals("status.phase", "Running")]
        #expect(selector.description == #"metadata.name=a\,b\=c\\d,status.phase!=Running"#)
    }

    @Test func queryEncodingKeepsSelectorsIntact() {
        let options = ListOptions(
            labelSelector: [.in("env", ["a", "b"]), .exists("x")], fieldSelector: [.equals("metadata.name", "n")], limit: 50,
            continueToken: "tok/+=", resourceVersion: "12")
        let query = ResourcePath.query(options.queryItems)
        #expect(
            query == "?labelSelector=env%20in%20%28a%2Cb%29%2Cx&fieldSelector=metadata.name%3Dn&limit=50&continue=tok%2F%2B%3D&resourceVersion=12")
    }

    @Test(arguments: [
        // dryRun=All and the field manager for plain writes.
        (WriteOptions(dryRun: true, fieldManager: "keelson").queryItems.map { "\($0)=\($1)" }, ["dryRun=All", "fieldManager=keelson"]),
        // Apply always names its manager; force only when asked.
        (ApplyOptions(fieldManager: "keelson", force: true).queryItems.map { "\($0)=\($1)" }, ["fieldManager=keelson", "force=true"]),
        (ApplyOptions(fieldManager: "keelson", dryRun: true).queryItems.map { "\($0)=\($1)" }, ["dryRun=All", "fieldManager=keelson"]),
        (
            DeleteOptions(propagationPolicy: .foreground, dryRun: true).queryItems.map { "\($0)=\($1)" },
            ["dryRun=All", "propagationPolicy=Foreground"]
        ),
    ])
    func writeOptionsBecomeQueryItems(items: [String], expected: [String]) {
        #expect(items == expected)
    }

    @Test(arguments: [("apps/v1", "apps", "v1"), ("v1", "", "v1"), ("example.com/v1beta1", "example.com", "v1beta1")])
    func groupVersionKindSplitsAPIVersion(apiVersion: String, group: String, version: String) {
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: "K")
        #expect(gvk.group == group && gvk.version == version && gvk.apiVersion == apiVersion)
    }
}
