import Foundation
import Manifests
import Testing

@testable import Server

/// The application page's rollout panel and the delivery badges, rendered from API answers.
@Suite struct DashboardRolloutTests {
    let renderer: DashboardRenderer
    let now = Date(timeIntervalSince1970: 1_795_735_200)

    init() throws { renderer = try DashboardRenderer() }

    static let rolledBack: JSONValue = [
        "state": "RolledBack", "revision": "9f3c1e2aa11bb22cc33dd44ee55ff66778899aab", "servingRevision": "4ab77d0aa11bb22cc33dd44ee55ff66778899aab",
        "reason": "AnalysisFailed", "message": "9f3c1e2 rolled back: success-rate 0.82 < min 0.95; serving 4ab77d0",
    ]

    /// `GET .../rollouts` of a canary paused at its second step, with a step analysis that measured twice.
    static let rollouts: JSONValue = [
        "items": [
            [
                "namespace": "shop", "name": "web", "phase": "Paused", "reason": "Manual", "message": "paused at step 1: waiting for promote",
                "currentStep": 1, "setWeight": 20, "actualWeight": 17, "stableHash": "f42", "canaryHash": "6a3",
                "stableRevision": "4ab77d0aa11bb22cc33dd44ee55ff66778899aab", "canaryRevision": "9f3c1e2aa11bb22cc33dd44ee55ff66778899aab",
                "strategy": "canary", "requested": [],
                "steps": [
                    ["index": 0, "kind": "setWeight", "text": "setWeight 20", "current": false, "done": true],
                    ["index": 1, "kind": "pause", "text": "pause (until promoted)", "current": true, "done": false],
                    ["index": 2, "kind": "analysis", "text": "analysis success-rate", "current": false, "done": false],
                ],
                "analysis": [
                    [
                        "slot": "background", "templates": ["success-rate"], "outcome": "running", "message": "", "startedAt": "2026-11-26T23:00:00Z",
                        "metrics": [
                            [
                                "name": "success-rate", "phase": "Running", "message": .null, "successful": 1, "failed": 1, "inconclusive": 0,
                                "error": 0,
                                "measurements": [
                                    [
                                        "phase": "Successful", "value": "0.991", "startedAt": "2026-11-26T23:00:00Z", "finishedAt": .null,
                                        "message": .null,
                                    ],
                                    [
                                        "phase": "Failed", "value": "0.82", "startedAt": "2026-11-26T23:01:00Z", "finishedAt": .null,
                                        "message": "0.82 < min 0.95",
                                    ],
                                ],
                            ]
                        ],
                    ]
                ],
            ]
        ],
        "delivery": .null,
    ]

    func page(_ principal: Principal, delivery: JSONValue = .null) -> String {
        guard case .object(var app) = DashboardFixtures.application else { return "" }
        app["delivery"] = delivery
        return renderer.applicationPage(
            application: .object(app), resources: DashboardFixtures.resources, diff: ["items": []], history: DashboardFixtures.history,
            rollouts: Self.rollouts, principal: principal, now: now)
    }

    /// An operator sees the phase, the steps with the current one marked, both weights, the
    /// measurements and every rollout action; a viewer the same panel without buttons.
    @Test func panelShowsPhaseStepsWeightsMeasurementsAndOperatorActions() {
        let html = page(DashboardFixtures.operatorAll)
        #expect(html.contains(#"<span class="badge warn" data-rollout-phase="Paused">Paused</span>"#))
        #expect(html.contains(#"<li class="step current" aria-current="step" data-current-step="1">1. pause (until promoted)</li>"#), "\(html)")
        #expect(html.contains(#"<li class="step done">0. setWeight 20</li>"#))
        #expect(html.contains(#"data-set-weight="20">20%"#) && html.contains(#"data-actual-weight="17">17%"#))
        #expect(html.contains("<td>0.82</td><td>0.82 &lt; min 0.95</td>"))
        #expect(html.contains(#"data-analysis="background">Running</span>"#))
        for action in ["promote", "promote-full", "abort", "retry", "pause", "resume"] {
            #expect(html.contains(#"data-rollout-action="\#(action)" data-rollout-namespace="shop" data-rollout-name="web""#), "\(action)")
        }
        let viewer = page(DashboardFixtures.viewer)
        #expect(viewer.contains(#"data-rollout-phase="Paused""#))
        #expect(!viewer.contains("data-rollout-action"))
    }

    /// A rolled-back delivery is a red badge naming the revision rolled back and the one serving,
    /// on the page and in the list.
    @Test func rolledBackBadgeNamesBothRevisions() {
        let html = page(DashboardFixtures.viewer, delivery: Self.rolledBack)
        #expect(html.contains(#"<span class="badge bad" data-rolled-back>Rolled back 9f3c1e2, serving 4ab77d0</span>"#))
        #expect(html.contains(#"data-delivery="RolledBack""#))
        guard case .object(var app) = DashboardFixtures.summary(name: "web", sync: "Synced", health: "Healthy") else { return }
        app["delivery"] = Self.rolledBack
        let list = renderer.listPage(["items": [.object(app)]], filter: ApplicationFilter(), principal: DashboardFixtures.viewer, now: now)
        #expect(list.contains("<th>Delivery</th>") && list.contains("Rolled back 9f3c1e2, serving 4ab77d0"))
        #expect(
            !renderer.listPage(DashboardFixtures.list, filter: ApplicationFilter(), principal: DashboardFixtures.viewer, now: now).contains(
                "data-delivery"))
    }
}
