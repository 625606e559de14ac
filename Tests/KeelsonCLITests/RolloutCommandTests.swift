import Foundation
import Manifests
import Testing

@testable import keelson

/// `keelson rollout`: when `status` says promoted, aborted or still going, and its list table.
@Suite struct RolloutCommandTests {
    static let latest = "3f2a9c1d0e5b4a6978877665544332211ffeedd0"

    static func app(sync: String = "Synced", revision: String = latest) -> JSONValue {
        ["sync": ["status": .string(sync), "revision": .string(revision)], "latestRevision": .string(latest)]
    }

    static func rollout(phase: String, canary: Bool, message: JSONValue = .null) -> JSONValue {
        [
            "namespace": "shop", "name": "web", "phase": .string(phase), "message": message, "reason": .null,
            "currentStep": canary ? 1 : .null, "setWeight": canary ? 20 : 0, "actualWeight": canary ? 17 : 0,
            "canaryHash": canary ? "6a3" : .null, "stableRevision": .string(latest),
            "steps": [["index": 0], ["index": 1], ["index": 2], ["index": 3]],
        ]
    }

    // Promoted only once the canary is the stable and the application synced the latest revision it saw.
    @Test func statusVerdicts() {
        #expect(
            RolloutVerdict(rollout: Self.rollout(phase: "Healthy", canary: false), application: Self.app())
                == .promoted("rollout shop/web promoted: 3f2a9c1 is stable"))
        #expect(
            RolloutVerdict(rollout: Self.rollout(phase: "Aborted", canary: false, message: "success-rate 0.8 < min 0.95"), application: Self.app())
                == .aborted("success-rate 0.8 < min 0.95"))
        #expect(
            RolloutVerdict(rollout: Self.rollout(phase: "Paused", canary: true, message: "waiting for promote"), application: Self.app())
                == .waiting("rollout shop/web Paused at step 1/4 (set 20%, actual 17%): waiting for promote"))
        // Healthy but the application has not synced the latest revision: the rollout may not have started yet.
        #expect(
            RolloutVerdict(rollout: Self.rollout(phase: "Healthy", canary: false), application: Self.app(sync: "OutOfSync", revision: "aa11"))
                == .waiting("rollout shop/web Healthy (waiting for application sync)"))
    }

    // One row per rollout; STEP is the current index over the number of steps, `-` when none runs.
    @Test func listTable() {
        let items: [JSONValue] = [
            [
                "namespace": "shop", "name": "web", "application": "keelson/shop-web", "phase": "Paused", "step": 1, "steps": 4, "setWeight": 20,
                "actualWeight": 17, "canaryRevision": "9f3c1e2aa11bb22cc33dd44ee55ff66778899aab", "stableRevision": .string(Self.latest),
                "message": "waiting for promote",
            ],
            ["namespace": "shop", "name": "api", "application": "keelson/shop-api", "phase": "Healthy", "setWeight": 0, "actualWeight": 0],
        ]
        #expect(
            RolloutFormatter().list(items) == """
                NAMESPACE   NAME   APPLICATION        PHASE     STEP   SET   ACTUAL   CANARY    STABLE    MESSAGE
                shop        web    keelson/shop-web   Paused    1/4    20%   17%      9f3c1e2   3f2a9c1   waiting for promote
                shop        api    keelson/shop-api   Healthy   -      0%    0%       -         -

                """)
        #expect(RolloutFormatter().list([]) == "No rollouts.\n")
    }
}
