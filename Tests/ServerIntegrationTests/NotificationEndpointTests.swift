import Foundation
import KeelsonTesting
import Kube
import Manifests
import Notify
import Server
import Testing

/// `GET /api/v1/notifications`: Providers and Alerts for admins, with readiness and the last
/// delivery, and never a credential.
@Suite struct NotificationEndpointTests {
    @Test func providersAndAlertsShowWithoutTheirSecrets() async throws {
        try await ServerHarness.with(
            files: ["app/a.yaml": ServerHarness.configMap("a", "1")], apps: [:], namespaces: ["keelson"], routes: [try Dashboard.serverRoutes()]
        ) { h in
            for (file, yaml) in NotifyCRDs.all {
                for crd in try Manifest.decode(Array(yaml.utf8), file: file) {
                    _ = try await h.client.apply(crd, options: ApplyOptions(fieldManager: "test", force: true))
                }
            }
            let objects = """
                apiVersion: keelson.dev/v1alpha1
                kind: Provider
                metadata: {name: hook, namespace: keelson}
                spec: {type: generic, address: "https://hooks.example.com/services/T000/B000/XXXX", secretRef: {name: hook-secret}}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: Alert
                metadata: {name: prod, namespace: keelson}
                spec: {providerRef: {name: hook}, sources: [{kind: Application, name: "*"}], events: [deployed], severity: info}
                """
            try await h.eventually("the CRDs are served") {
                for object in try Manifest.decode(Array(objects.utf8), file: "objects.yaml") {
                    _ = try await h.client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
                }
                return true
            }
            var alert = try await h.client.get(
                GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Alert"), name: "prod", namespace: "keelson")
            alert.object["status"] = [
                "conditions": [["type": "Ready", "status": "False", "reason": "DeliveryFailed", "message": "HTTP 400 from provider hook"]],
                "lastDelivery": ["time": "2026-12-06T06:00:00Z", "event": "deployed", "application": "keelson/web", "result": "Failed", "code": 400],
            ]
            _ = try await h.client.updateStatus(alert, options: WriteOptions(fieldManager: "test"))

            let reply = try await h.call(.GET, "/api/v1/notifications")
            #expect(reply.status == 200)
            let provider = try #require(reply.json["providers"]?.arrayValue?.first)
            #expect(provider["name"] == "hook" && provider["type"] == "generic" && provider["secretRef"] == "hook-secret")
            #expect(provider["address"] == "https://hooks.example.com/services/***")
            #expect(!reply.body.contains("XXXX"))
            let item = try #require(reply.json["alerts"]?.arrayValue?.first)
            #expect(item["provider"] == "hook" && item["events"] == ["deployed"])
            #expect(item["ready"]?["reason"] == "DeliveryFailed" && item["ready"]?["message"] == "HTTP 400 from provider hook")
            #expect(item["lastDelivery"]?["code"] == 400 && item["lastDelivery"]?["application"] == "keelson/web")
            #expect(try await h.call(.GET, "/api/v1/notifications", as: "viewer").status == 403)
            // The dashboard's list page shows the Alerts to admins.
            for (role, shown) in [("admin", true), ("viewer", false)] {
                let session = try #require(try await h.signIn(as: role))
                let page = try await h.call(.GET, "/", as: nil, headers: [("Cookie", "keelson_session=\(session)")], record: false).body
                #expect(page.contains(#"data-alert="keelson/prod""#) == shown, "\(role)")
                #expect(page.contains(#"data-ready="DeliveryFailed""#) == shown, "\(role)")
                #expect(!page.contains("XXXX"))
            }
        }
    }
}
