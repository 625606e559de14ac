import Foundation
import Manifests
import Render
import Testing

@testable import Server

/// The dashboard's templates rendered with API answers: what a person sees and may press.
@Suite struct DashboardRenderingTests {
    let renderer: DashboardRenderer
    let now = Date(timeIntervalSince1970: 1_795_735_200)  // 2026-11-26T23:20:00Z

    init() throws { renderer = try DashboardRenderer() }

    func detail(_ principal: Principal, application: JSONValue = DashboardFixtures.application, fragment: Bool = false) throws -> String {
        renderer.applicationPage(
            application: application, resources: DashboardFixtures.resources, diff: try DashboardFixtures.diff(),
            history: DashboardFixtures.history, principal: principal, now: now, fragment: fragment)
    }

    /// Text from the API (health messages, conditions, commit messages) is HTML-escaped everywhere.
    @Test func escapesTextFromTheAPI() throws {
        let list = renderer.listPage(DashboardFixtures.list, filter: ApplicationFilter(), principal: DashboardFixtures.viewer, now: now)
        let page = try detail(DashboardFixtures.operatorAll)
        for html in [list, page] {
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"))
        }
        // The only <script> element is the external one (the CSP forbids inline scripts anyway).
        #expect(page.components(separatedBy: "<script").count == 2)
        #expect(page.contains("<script src=\"/assets/dashboard.js?v=\(renderer.assetVersion)\" defer></script>"))
    }

    /// The list shows each application's sync and health badges, and Suspended and Pinned badges.
    @Test func listShowsStatusBadges() {
        let html = renderer.listPage(DashboardFixtures.list, filter: ApplicationFilter(), principal: DashboardFixtures.viewer, now: now)
        #expect(html.contains("<span class=\"badge warn\" data-sync=\"OutOfSync\">OutOfSync</span>"))
        #expect(html.contains("<span class=\"badge bad\" data-health=\"Degraded\""))
        #expect(html.contains("<span class=\"badge ok\" data-sync=\"Synced\">Synced</span>"))
        #expect(html.contains("href=\"/applications/keelson/guestbook\""))
        #expect(html.contains("href=\"/applications/team-b/frozen\""))
        // guestbook is pinned, frozen suspended: one badge each.
        #expect(html.components(separatedBy: "data-pinned").count == 2)
        #expect(html.components(separatedBy: "data-suspended").count == 2)
        #expect(html.contains("Pinned aa11bb2"))
        #expect(html.contains("<code title=\"\(DashboardFixtures.guestbookRevision)\">3f2a9c1</code>"))
    }

    /// Registered clusters show with their connection state when the answer has them (admins);
    /// their messages are escaped, and the table is absent without them.
    @Test func listShowsClustersWhenGiven() {
        let clusters: JSONValue = [
            "items": [
                ["name": "staging", "server": "https://staging:6443", "reachable": true, "message": "", "applications": 2],
                ["name": "far", "server": "https://far:6443", "reachable": false, "message": "<b>refused</b>", "applications": 1],
                ["name": "new", "server": "https://new:6443", "reachable": .null, "message": "", "applications": 0],
            ]
        ]
        let html = renderer.listPage(
            DashboardFixtures.list, filter: ApplicationFilter(), principal: DashboardFixtures.viewer, clusters: clusters, now: now)
        #expect(html.contains(#"<span class="badge ok" data-reachable="Reachable">Reachable</span>"#))
        #expect(html.contains(#"data-reachable="Unreachable" title="&lt;b&gt;refused&lt;/b&gt;">Unreachable</span>"#))
        #expect(html.contains(#"<span class="badge muted" data-reachable="Unknown">Unknown</span>"#))
        #expect(!html.contains("<b>refused"))
        #expect(html.components(separatedBy: "data-cluster=").count == 4)
        let without = renderer.listPage(DashboardFixtures.list, filter: ApplicationFilter(), principal: DashboardFixtures.viewer, now: now)
        #expect(!without.contains("data-cluster=") && !without.contains("<h2>Clusters</h2>"))
    }

    /// Filters keep what was chosen; an empty answer says why it is empty.
    @Test func filtersKeepTheirValues() {
        let filter = ApplicationFilter(sync: "OutOfSync", health: "", text: "guest\"book")
        let html = renderer.listPage(["items": []], filter: filter, principal: DashboardFixtures.viewer, now: now)
        #expect(html.contains("<option value=\"OutOfSync\" selected>OutOfSync</option>"))
        #expect(!html.contains("<option value=\"Synced\" selected>"))
        #expect(html.contains("value=\"guest&quot;book\""))
        #expect(html.contains("No application matches these filters."))
        #expect(html.contains("data-fragment=\"/?sync=OutOfSync&amp;q=guest%22book&amp;fragment=1\""))
        let unfiltered = renderer.listPage(["items": []], filter: ApplicationFilter(), principal: DashboardFixtures.viewer, now: now)
        #expect(unfiltered.contains("No applications yet."))
    }

    /// Viewers get no action buttons at all (not hidden with CSS: absent from the HTML).
    @Test func viewersSeeNoActions() throws {
        let html = try detail(DashboardFixtures.viewer)
        #expect(!html.contains("data-action"))
        #expect(!html.contains("Rollback</button>"))
        #expect(html.contains("<span class=\"role\">viewer</span>"))
    }

    /// Operators get Sync, Sync + prune, Refresh, Suspend and a Rollback per history entry.
    @Test func operatorsSeeActions() throws {
        let html = try detail(DashboardFixtures.operatorAll)
        #expect(html.contains("data-action=\"sync\" id=\"action-sync\""))
        #expect(html.contains("data-action=\"sync\" data-prune=\"true\""))
        #expect(html.contains("data-action=\"refresh\""))
        #expect(html.contains("data-action=\"suspend\""))
        #expect(!html.contains("data-action=\"resume\""))
        #expect(html.contains("data-action=\"rollback\" data-id=\"1\""))
        #expect(html.contains("data-action=\"rollback\" data-id=\"2\""))
        // The newest entry comes first, and the live revision is marked.
        let first = try #require(html.range(of: "data-history=\"2\""))
        let second = try #require(html.range(of: "data-history=\"1\""))
        #expect(first.lowerBound < second.lowerBound)
        #expect(html.contains("<span class=\"badge ok\">live</span>"))
    }

    /// A suspended application offers Resume instead of Suspend.
    @Test func suspendedApplicationOffersResume() throws {
        let suspended = DashboardFixtures.summary(name: "guestbook", sync: "Synced", health: "Suspended", suspended: true)
        let html = try detail(DashboardFixtures.operatorAll, application: suspended)
        #expect(html.contains("data-action=\"resume\""))
        #expect(!html.contains("data-action=\"suspend\""))
    }

    /// An operator scoped to other applications is a viewer here: no buttons.
    @Test func scopedOperatorSeesNoActionsOnOtherApplications() throws {
        #expect(!(try detail(DashboardFixtures.operatorScoped(to: "other-*"))).contains("data-action"))
        #expect(try detail(DashboardFixtures.operatorScoped(to: "guest*")).contains("data-action=\"sync\""))
    }

    /// The resource tree groups objects by kind, each with its health and sync state.
    @Test func resourceTreeGroupsByKind() throws {
        let html = try detail(DashboardFixtures.viewer)
        let kinds = ["ConfigMap", "Deployment", "Secret"].map { "<span class=\"kind-name\">\($0)</span>" }
        let positions = try kinds.map { try #require(html.range(of: $0)).lowerBound }
        #expect(positions == positions.sorted())
        #expect(html.contains("data-object=\"Deployment/guestbook/web\""))
        #expect(html.contains("<span class=\"badge info\" data-health=\"Progressing\">Progressing</span>"))
        #expect(html.contains("1 of 2 replicas ready"))
        #expect(html.contains("changed: <code>.data.color</code>"))
    }

    /// Diffs are shown line by line; a Secret's values appear only as masks.
    @Test func diffShowsMasksNeverSecretValues() throws {
        let html = try detail(DashboardFixtures.operatorAll)
        #expect(html.contains("<span class=\"add\">+  color: green</span>"))
        #expect(html.contains("<span class=\"del\">-  color: blue</span>"))
        #expect(html.contains("Secret/guestbook/db"))
        #expect(html.contains("<span class=\"add\">+  password: &quot;+++"))
        let encoded = Data(DashboardFixtures.canary.utf8).base64EncodedString()
        for forbidden in [DashboardFixtures.canary, encoded, String(encoded.prefix(12))] { #expect(!html.contains(forbidden)) }
    }

    /// A fragment is the swappable part only: no page frame, the same content.
    @Test func fragmentsHoldOnlyTheLivePart() throws {
        let fragment = try detail(DashboardFixtures.operatorAll, fragment: true)
        #expect(!fragment.contains("<html"))
        #expect(fragment.contains("id=\"app-sync\" data-sync=\"OutOfSync\""))
        let page = try detail(DashboardFixtures.operatorAll)
        #expect(page.contains("data-fragment=\"/applications/keelson/guestbook?fragment=1\" data-app=\"keelson/guestbook\""))
    }

    /// Ages read like kubectl's.
    @Test(arguments: [(0, "0s"), (119, "119s"), (120, "2m"), (7199, "119m"), (7200, "2h"), (172_799, "47h"), (172_800, "2d"), (-5, "0s")])
    func ages(seconds: Int, text: String) {
        #expect(StatusStyle.age(seconds: seconds) == text)
    }
}
