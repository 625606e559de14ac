import Foundation
import KeelsonTesting
import Testing

@testable import Server

/// The dashboard in headless Chromium, over fixture data: sign-in through the form, the list,
/// an application page with its diff, the script running under the CSP, phone and laptop widths.
/// Screenshots go to the test's folder (kept when KEELSON_KEEP_SCREENSHOTS=1, to look at them).
@Suite(.enabled(if: Chromium.isAvailable, "chromium is not installed (scripts/test installs it)"))
struct DashboardBrowserTests {
    @Test func browsesListAndApplicationAtLaptopAndPhoneWidths() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-browser")
        defer { if ProcessInfo.processInfo.environment["KEELSON_KEEP_SCREENSHOTS"] != "1" { folder.remove() } }
        try await DashboardServer.withRunning { base, _ in
            try await Chromium.with(folder: folder.path) { browser in
                let page = try await browser.newPage()
                try await page.setViewport(width: 1280, height: 900)
                try await page.navigate(base + "/applications/keelson/guestbook")
                #expect(try await page.evaluate("location.pathname").stringValue == "/login")

                // Sign in through the form; the cookie is HttpOnly, so the page's script cannot read it.
                try await page.evaluate(
                    "document.getElementById('token').value = 'operator-token'; document.querySelector('form[action=\"/login\"]').submit(); true")
                try await page.waitFor("location.pathname === '/applications/keelson/guestbook' && document.getElementById('app-sync')")
                #expect(try await page.evaluate("document.cookie").stringValue == "")

                // The application page: badges, the masked Secret diff, the actions, the script alive.
                #expect(try await page.evaluate("document.getElementById('app-sync').dataset.sync").stringValue == "OutOfSync")
                #expect(try await page.evaluate("document.querySelectorAll('#diffs details.diff').length").intValue == 2)
                #expect(try await page.evaluate("document.querySelector('#diffs .diff-text .add').textContent").stringValue == "+  color: green")
                #expect(try await page.evaluate("document.body.innerText.includes('\(DashboardFixtures.canary)')").boolValue == false)
                try await page.waitFor("document.getElementById('live-state').textContent !== 'offline'")
                // The fixture server has no API: the button's POST reaches the server and its 404 is shown.
                try await page.evaluate("document.getElementById('action-refresh').click(); true")
                try await page.waitFor("!document.getElementById('flash').hidden")
                #expect(try await page.evaluate("document.getElementById('flash').textContent").stringValue?.hasPrefix("Refresh failed") == true)
                try await page.screenshot(to: folder.path + "/application-1280.png")
                #expect(try await page.evaluate("document.documentElement.scrollWidth <= 1280").boolValue == true)

                try await page.navigate(base + "/")
                #expect(try await page.evaluate("document.querySelectorAll('table.apps tr.app').length").intValue == 2)
                try await page.screenshot(to: folder.path + "/list-1280.png")

                // Filters are a plain GET form.
                try await page.evaluate(
                    "document.querySelector('select[name=sync]').value = 'Synced'; document.querySelector('form.filters').submit(); true")
                try await page.waitFor("location.search.includes('sync=Synced') && document.querySelectorAll('table.apps tr.app').length === 1")

                // A phone: nothing wider than the screen.
                try await page.setViewport(width: 390, height: 844, mobile: true)
                try await page.navigate(base + "/")
                #expect(try await page.evaluate("document.documentElement.scrollWidth <= 390").boolValue == true)
                try await page.screenshot(to: folder.path + "/list-390.png")
                try await page.navigate(base + "/applications/keelson/guestbook")
                #expect(try await page.evaluate("document.documentElement.scrollWidth <= 390").boolValue == true)
                try await page.screenshot(to: folder.path + "/application-390.png")
            }
        }
        for name in ["list-1280", "application-1280", "list-390", "application-390"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(folder.path)/\(name).png")[.size] as? Int) ?? 0
            #expect(size > 5_000, "\(name).png was not written")
        }
    }
}
