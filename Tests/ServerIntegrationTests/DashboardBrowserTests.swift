import Foundation
import KeelsonTesting
import Kube
import Manifests
import Server
import Testing

/// The dashboard in headless Chromium against a controller and the server on a sandbox: sign
/// in, the list, an application with a drifted object's diff, Sync, and the page turning Synced
/// by itself (server-sent events re-fetch the page's fragment). Screenshots at 1280 and 390
/// pixels go to the test folder (kept with KEELSON_KEEP_SCREENSHOTS=1).
@Suite(.serialized, .enabled(if: Chromium.isAvailable, "chromium is not installed (scripts/test installs it)"))
struct DashboardBrowserTests {
    typealias H = ServerHarness

    static let canary = "canary-dashboard-9d3e"
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let files = [
        "web/config.yaml": H.configMap("web-config", "from-git"),
        "web/secret.yaml": """
        apiVersion: v1
        kind: Secret
        metadata: {name: creds}
        type: Opaque
        data: {password: \(Data(canary.utf8).base64EncodedString())}
        """,
    ]

    @Test func syncsADriftedApplicationFromTheBrowser() async throws {
        let shots = try TemporaryDirectory(prefix: "keelson-dashboard")
        defer { if ProcessInfo.processInfo.environment["KEELSON_KEEP_SCREENSHOTS"] != "1" { shots.remove() } }
        try await H.with(
            files: Self.files, apps: ["web": H.app("web", path: "web", selfHeal: false, interval: "10m")], routes: [try Dashboard.serverRoutes()]
        ) { h in
            try await h.eventually("web is synced") { try await h.syncStatus("web") == "Synced" }
            // Drift by hand; web has no self-heal, so it stays out of sync until someone syncs.
            _ = try await h.client.mergePatch(
                H.configMaps, name: "web-config", namespace: "default", patch: ["data": ["value": "by-hand"]],
                options: WriteOptions(fieldManager: "kubectl-edit"))
            _ = try await h.client.mergePatch(
                Self.secretKind, name: "creds", namespace: "default",
                patch: ["data": ["password": .string(Data("edited-\(Self.canary)".utf8).base64EncodedString())]],
                options: WriteOptions(fieldManager: "kubectl-edit"))
            try await h.eventually("web is out of sync") { try await h.syncStatus("web") == "OutOfSync" }

            try await Chromium.with(folder: shots.path) { browser in
                let page = try await browser.newPage()
                try await page.setViewport(width: 1280, height: 900)
                try await page.navigate(h.baseURL + "/")
                #expect(try await page.evaluate("location.pathname").stringValue == "/login")
                try await page.evaluate(
                    "document.getElementById('token').value = '\(H.tokens["operator"]!)'; document.querySelector('form[action=\"/login\"]').submit(); true"
                )
                try await page.waitFor("location.pathname === '/' && document.querySelector('tr.app[data-app=\"keelson/web\"]')")
                #expect(
                    try await page.evaluate("document.querySelector('tr.app[data-app=\"keelson/web\"] [data-sync]').dataset.sync").stringValue
                        == "OutOfSync")
                try await page.screenshot(to: shots.path + "/list-1280.png")

                try await page.evaluate("document.querySelector('tr.app[data-app=\"keelson/web\"] td.name a').click(); true")
                try await page.waitFor("location.pathname === '/applications/keelson/web' && document.getElementById('app-sync')")
                try await page.waitFor("document.getElementById('live-state').textContent === 'live'")
                let diff = try await page.evaluate("document.getElementById('diffs').innerText").stringValue ?? ""
                #expect(diff.contains("ConfigMap/default/web-config"))
                #expect(diff.contains("-  value: by-hand") && diff.contains("+  value: from-git"), "\(diff)")
                #expect(diff.contains("Secret/default/creds"))
                let text = try await page.evaluate("document.documentElement.outerHTML").stringValue ?? ""
                for forbidden in [
                    Self.canary, Data(Self.canary.utf8).base64EncodedString(), Data("edited-\(Self.canary)".utf8).base64EncodedString(),
                ] {
                    #expect(!text.contains(forbidden), "a Secret value reached the page")
                }
                try await page.screenshot(to: shots.path + "/application-drifted-1280.png")

                // Sync, and the page turns Synced without a reload.
                try await page.evaluate("window.keelsonMarker = 1; document.getElementById('action-sync').click(); true")
                try await page.waitFor("document.getElementById('app-sync').dataset.sync === 'Synced'", timeout: .seconds(180))
                #expect(try await page.evaluate("window.keelsonMarker === 1").boolValue == true, "the page was reloaded")
                #expect(try await page.evaluate("document.getElementById('flash').textContent").stringValue == "Sync requested.")
                #expect(try await page.evaluate("document.querySelectorAll('#diffs details.diff').length").intValue == 0)
                #expect(await h.configMapValue("web-config") == "from-git")
                try await page.screenshot(to: shots.path + "/application-synced-1280.png")

                // Suspend, then Resume: each button turns into the other once the controller has seen it.
                try await page.evaluate("document.getElementById('action-suspend').click(); true")
                // Generous deadlines: on a loaded machine (the whole suite on two cores) this step
                // has taken longer than a minute twice, and the sync above once.
                try await page.waitFor(
                    "document.getElementById('action-resume') && document.querySelector('#app-sync ~ [data-suspended]')", timeout: .seconds(180))
                #expect(try await h.call(.GET, "/api/v1/applications/web", record: false).json["suspended"] == true)
                try await page.evaluate("document.getElementById('action-resume').click(); true")
                try await page.waitFor(
                    "document.getElementById('action-suspend') && !document.querySelector('[data-suspended]')", timeout: .seconds(180))
                #expect(try await h.call(.GET, "/api/v1/applications/web", record: false).json["suspended"] == false)

                try await page.setViewport(width: 390, height: 844, mobile: true)
                try await page.navigate(h.baseURL + "/applications/keelson/web")
                #expect(try await page.evaluate("document.documentElement.scrollWidth <= 390").boolValue == true)
                try await page.screenshot(to: shots.path + "/application-390.png")
                try await page.navigate(h.baseURL + "/")
                #expect(try await page.evaluate("document.documentElement.scrollWidth <= 390").boolValue == true)
                try await page.screenshot(to: shots.path + "/list-390.png")

                // A viewer sees the same page without any action button.
                try await page.evaluate("document.querySelector('form[action=\"/logout\"]').submit(); true")
                try await page.waitFor("location.pathname === '/login'")
                try await page.evaluate(
                    "document.getElementById('token').value = '\(H.tokens["viewer"]!)'; document.querySelector('form[action=\"/login\"]').submit(); true"
                )
                try await page.waitFor("location.pathname === '/'")
                try await page.navigate(h.baseURL + "/applications/keelson/web")
                #expect(try await page.evaluate("document.querySelectorAll('[data-action]').length").intValue == 0)
            }
        }
    }
}
