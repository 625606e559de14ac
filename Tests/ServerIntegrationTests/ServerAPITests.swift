import Foundation
import Kube
import Manifests
import Testing

/// Every REST endpoint over real HTTP against a controller running on the sandbox; every
/// response is validated against docs/openapi.yaml when each test ends.
@Suite(.serialized) struct ServerAPITests {
    typealias H = ServerHarness

    static let canary = "canary-s3cret-value"
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let secret = """
        apiVersion: v1
        kind: Secret
        metadata: {name: creds}
        type: Opaque
        data: {password: \(Data(canary.utf8).base64EncodedString())}
        """

    static let files = [
        "web/config.yaml": H.configMap("web-config", "1"), "web/secret.yaml": secret, "other/config.yaml": H.configMap("other-config", "1"),
        "dup/config.yaml": H.configMap("dup-config", "1"), "dup2/config.yaml": H.configMap("dup2-config", "1"),
    ]
    static let apps = [
        "web": H.app("web", path: "web", selfHeal: false), "other-app": H.app("other-app", path: "other"),
        "dup-a": H.app("dup", path: "dup"), "dup-b": H.app("dup", path: "dup2", namespace: "team"),
    ]

    @Test func readsActionsAndEventsOverHTTP() async throws {
        try await H.with(files: Self.files, apps: Self.apps, namespaces: ["team"], heartbeat: .milliseconds(300)) { h in
            try await h.eventually("web is synced") { try await h.syncStatus("web") == "Synced" }
            #expect(try await h.call(.GET, "/healthz", as: nil).status == 200)
            #expect(try await h.call(.GET, "/readyz", as: nil).status == 200)

            let me = try await h.call(.GET, "/api/v1/me").json
            #expect(me["name"] == "alice" && me["role"] == "admin")

            // Lists and filters.
            let names = try await h.call(.GET, "/api/v1/applications").json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.sorted() == ["dup", "dup", "other-app", "web"])
            let filtered = try await h.call(.GET, "/api/v1/applications?q=WEB").json["items"]?.arrayValue ?? []
            #expect(filtered.map { $0["name"] } == ["web"])
            #expect(try await h.call(.GET, "/api/v1/applications?health=Degraded").json["items"]?.arrayValue?.isEmpty == true)
            #expect(try await h.call(.GET, "/api/v1/applications?sync=synced").json["items"]?.arrayValue?.contains { $0["name"] == "web" } == true)
            // A filter value no application can have is a typo, not an empty answer.
            for filter in ["sync=Synched", "health=Fine"] {
                let typo = try await h.call(.GET, "/api/v1/applications?\(filter)")
                #expect(typo.status == 400 && typo.json["error"]?["reason"] == "BadRequest", "\(filter)")
            }

            // One application; names that repeat need ?namespace=.
            let web = try await h.call(.GET, "/api/v1/applications/web").json
            #expect(web["repoURL"]?.stringValue == h.repositoryURL)
            #expect(web["automated"] == true && web["selfHeal"] == false && web["suspended"] == false)
            #expect(
                web["inventory"]?.arrayValue?.contains { $0.stringValue?.hasSuffix("web-config") == true } == true, "\(web["inventory"] ?? .null)")
            #expect(web["lastSync"]?["result"] == "Succeeded")
            let ambiguous = try await h.call(.GET, "/api/v1/applications/dup")
            #expect(ambiguous.status == 409 && ambiguous.json["error"]?["reason"] == "Ambiguous")
            #expect(try await h.call(.GET, "/api/v1/applications/dup?namespace=team").json["namespace"] == "team")
            #expect(try await h.call(.GET, "/api/v1/applications/nope").status == 404)

            // Resources and history while in sync.
            let resources = try await h.call(.GET, "/api/v1/applications/web/resources").json["items"]?.arrayValue ?? []
            #expect(resources.count == 2)
            #expect(resources.allSatisfy { $0["sync"] == "Synced" && $0["health"]?["status"] == "Healthy" })
            let history = try await h.call(.GET, "/api/v1/applications/web/history").json
            let firstID = try #require(history["items"]?.arrayValue?.first?["id"]?.intValue)
            #expect(history["pinned"] == .null)

            // Drift by hand (web has no self-heal): the ConfigMap and the Secret.
            _ = try await h.client.mergePatch(
                H.configMaps, name: "web-config", namespace: "default", patch: ["data": ["value": "by-hand"]],
                options: WriteOptions(fieldManager: "kubectl-edit"))
            _ = try await h.client.mergePatch(
                Self.secretKind, name: "creds", namespace: "default",
                patch: ["data": ["password": .string(Data("changed-by-hand".utf8).base64EncodedString())]],
                options: WriteOptions(fieldManager: "kubectl-edit"))
            try await h.eventually("web is out of sync") { try await h.syncStatus("web") == "OutOfSync" }
            let drifted = try await h.call(.GET, "/api/v1/applications/web/resources").json["items"]?.arrayValue ?? []
            let config = drifted.first { $0["name"] == "web-config" }
            #expect(config?["sync"] == "OutOfSync" && config?["fields"]?.arrayValue?.contains("/data/value") == true)
            #expect(drifted.first { $0["name"] == "creds" }?["sync"] == "OutOfSync")

            // The diff: every out-of-sync object, Secret values masked (changed values, different masks).
            let diff = try await h.call(.GET, "/api/v1/applications/web/diff").json["items"]?.arrayValue ?? []
            #expect(diff.count == 2)
            let configDiff = try #require(diff.first { $0["kind"] == "ConfigMap" })
            #expect(configDiff["live"]?["data"]?["value"] == "by-hand" && configDiff["desired"]?["data"]?["value"] == "1")
            #expect(configDiff["live"]?["metadata"]?["managedFields"] == nil)
            #expect(configDiff["diff"]?.stringValue?.contains("by-hand") == true)
            let secretDiff = try #require(diff.first { $0["kind"] == "Secret" })
            let liveMask = secretDiff["live"]?["data"]?["password"]?.stringValue ?? ""
            let desiredMask = secretDiff["desired"]?["data"]?["password"]?.stringValue ?? ""
            #expect(!liveMask.isEmpty && liveMask.allSatisfy { $0 == "+" } && desiredMask.allSatisfy { $0 == "+" } && liveMask != desiredMask)
            let one = try await h.call(.GET, "/api/v1/applications/web/diff?kind=ConfigMap&namespace=default&name=web-config").json["items"]?
                .arrayValue
            #expect(one?.count == 1)
            #expect(try await h.call(.GET, "/api/v1/applications/web/diff?kind=ConfigMap&name=not-there").status == 404)

            // A dry run says what a sync would do and writes nothing.
            let dryRun = try await h.call(.POST, "/api/v1/applications/web/sync", body: #"{"dryRun": true}"#)
            #expect(dryRun.status == 200)
            let update = dryRun.json["items"]?.arrayValue?.first { $0["name"] == "web-config" }
            #expect(update?["action"] == "update" && update?["diff"]?.stringValue?.isEmpty == false)
            #expect(await h.configMapValue("web-config") == "by-hand")

            // Sync, refresh, rollback.
            let sync = try await h.call(.POST, "/api/v1/applications/web/sync", body: #"{"prune": true}"#)
            #expect(sync.status == 202 && sync.json["application"] == "keelson/web" && sync.json["action"] == "sync")
            try await h.eventually("the sync reverts the drift") { await h.configMapValue("web-config") == "1" }
            try await h.eventually("web is synced again") { try await h.syncStatus("web") == "Synced" }
            #expect(try await h.call(.POST, "/api/v1/applications/web/refresh").status == 202)
            #expect(try await h.call(.POST, "/api/v1/applications/web/rollback", body: #"{"id": "one"}"#).status == 400)
            #expect(try await h.call(.POST, "/api/v1/applications/web/rollback", body: "not json").status == 400)
            #expect(try await h.call(.POST, "/api/v1/applications/web/rollback", body: #"{"id": 999}"#).status == 404)
            #expect(try await h.call(.POST, "/api/v1/applications/web/rollback", body: "{\"id\": \(firstID)}").status == 202)

            // Suspend and resume patch spec.suspend.
            let suspended = try await h.call(.POST, "/api/v1/applications/web/suspend")
            #expect(suspended.status == 200 && suspended.json["suspended"] == true)
            try await h.eventually("the list shows web suspended") {
                try await h.call(.GET, "/api/v1/applications/web").json["suspended"] == true
            }
            let resumed = try await h.call(.POST, "/api/v1/applications/web/resume")
            #expect(resumed.status == 200 && resumed.json["suspended"] == false)

            // Events: the kept ones after Last-Event-ID, then live ones, and heartbeats.
            let replay = try await h.events(lastEventID: 0) { $0.contains("event: application") && $0.contains(": heartbeat") }
            #expect(replay.contains("id: 1\nevent: application\ndata: {"))
            let live = try await h.events(whileOpen: { _ = try await h.call(.POST, "/api/v1/applications/other-app/refresh") }) {
                $0.contains("\"kind\":\"requested\"")
            }
            #expect(live.contains("\"application\":\"keelson/other-app\""))
            #expect(!live.contains("id: 1\n"), "without Last-Event-ID old events are not replayed")

            // Methods and paths that do not exist.
            let wrongMethod = try await h.call(.DELETE, "/api/v1/applications")
            #expect(wrongMethod.status == 405 && wrongMethod.headers.first(name: "Allow") == "GET")
            #expect(try await h.call(.GET, "/api/v1/nothing-here").status == 404)

            // No response carried the Secret's value, plain or base64.
            for body in await h.recorder.bodies {
                #expect(!body.contains(Self.canary) && !body.contains(Data(Self.canary.utf8).base64EncodedString()))
            }
        }
    }
}
