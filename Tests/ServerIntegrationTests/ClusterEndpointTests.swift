import Controller
import Foundation
import KeelsonTesting
import Kube
import Manifests
import Server
import Testing

/// A registered cluster that does not answer shows in `GET /api/v1/clusters` and on the
/// dashboard's list page (admins only, never a credential) and in `keelson_cluster_reachable`,
/// and its Application is Unknown.
@Suite struct ClusterEndpointTests {
    @Test func anUnreachableClusterShowsInTheAPIAndTheMetrics() async throws {
        let closed = try Ports.free()  // nothing listens there
        let gone = """
            apiVersion: keelson.dev/v1alpha1
            kind: Application
            metadata: {name: far, namespace: keelson}
            spec:
              source: {repoURL: REPO, revision: main, path: app}
              destination: {namespace: default, cluster: gone}
              syncPolicy: {automated: {prune: true}, interval: 1s}
            """
        try await ServerHarness.with(
            files: ["app/a.yaml": ServerHarness.configMap("a", "1")], apps: ["far": gone], namespaces: ["keelson"],
            routes: [try Dashboard.serverRoutes()]
        ) { h in
            let secret = try ClusterDefinition.secret(
                name: "gone", configuration: KubeConfiguration(server: "http://127.0.0.1:\(closed)", credentials: .token("token-never-shown")),
                namespace: "keelson")
            _ = try await h.client.create(secret, options: WriteOptions())
            try await h.eventually("the cluster is found unreachable") {
                let items = try await h.call(.GET, "/api/v1/clusters", record: false).json["items"]?.arrayValue ?? []
                return items.first?["reachable"] == false
            }
            let reply = try await h.call(.GET, "/api/v1/clusters")
            let item = try #require(reply.json["items"]?.arrayValue?.first)
            #expect(item["name"] == "gone" && item["server"] == .string("http://127.0.0.1:\(closed)") && item["applications"] == 1)
            #expect(!reply.body.contains("token-never-shown"))
            #expect(try await h.call(.GET, "/api/v1/clusters", as: "viewer").status == 403)
            for (role, shown) in [("admin", true), ("viewer", false)] {
                let session = try #require(try await h.signIn(as: role))
                let page = try await h.call(.GET, "/", as: nil, headers: [("Cookie", "keelson_session=\(session)")], record: false).body
                #expect(page.contains(#"data-cluster="gone""#) == shown, "\(role)")
                #expect(page.contains(#"data-reachable="Unreachable""#) == shown, "\(role)")
                #expect(!page.contains("token-never-shown"))
            }
            let metrics = try await h.call(.GET, "/metrics", as: "viewer").body
            #expect(metrics.contains(#"keelson_cluster_reachable{cluster="gone"} 0"#), "\(metrics.prefix(400))")
            try await h.eventually("the Application is Unknown") {
                let app = try await h.client.get(
                    GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application"), name: "far", namespace: "keelson")
                return app.object["status"]?["sync"]?["status"] == "Unknown"
            }
        }
    }
}
