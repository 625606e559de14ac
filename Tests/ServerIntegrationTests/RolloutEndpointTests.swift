import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// The rollout reads and actions of the API, the `rollout` events and the rollout metrics,
/// against a controller driving a real canary on the sandbox.
@Suite(.serialized) struct RolloutEndpointTests {
    typealias H = ServerHarness
    static let rollouts = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Rollout")

    /// A Rollout the engine cannot follow (no strategy): its action annotations stay for the test to read.
    static let stuck = """
        apiVersion: keelson.dev/v1alpha1
        kind: Rollout
        metadata: {name: stuck}
        spec:
          targetRef: {kind: Deployment, name: absent}
          strategy: {}

        """

    static let files = [
        "shop/web.yaml": RolloutFixtures.web("1.0.0"), "shop/rollout.yaml": RolloutFixtures.rollout, "broken/rollout.yaml": stuck,
    ]
    static let apps = ["shop-web": H.app("shop-web", path: "shop"), "broken": H.app("broken", path: "broken")]

    /// The Rollout `default/web` as `GET .../shop-web/rollouts` shows it.
    static func web(_ h: H) async throws -> JSONValue? {
        try await h.call(.GET, "/api/v1/applications/shop-web/rollouts").json["items"]?.arrayValue?.first
    }

    static func audit(_ h: H) -> [Substring] {
        ((try? String(contentsOfFile: h.auditPath, encoding: .utf8)) ?? "").split(separator: "\n")
    }

    // Reads for viewers; actions for operators only, each audited; only the application's own
    // Rollouts; the annotation is what reaches the controller, and a promote finishes the canary.
    @Test func rolloutsReadActionsEventsAndMetrics() async throws {
        try await H.with(files: Self.files, apps: Self.apps) { h in
            try await h.eventually("web runs 1.0.0 and its Rollout is Healthy") { try await Self.web(h)?["phase"] == "Healthy" }
            try await h.commit(["shop/web.yaml": RolloutFixtures.web("1.0.1")], message: "web 1.0.1")
            // The Rollout's own status says Paused a reconcile before the Application's delivery does.
            try await h.eventually("the canary pauses at its pause {} step") {
                let reply = try await h.call(.GET, "/api/v1/applications/shop-web/rollouts").json
                return reply["items"]?.arrayValue?.first?["phase"] == "Paused" && reply["delivery"]?["state"] == "Paused"
            }

            let read = try await h.call(.GET, "/api/v1/applications/shop-web/rollouts", as: "viewer")
            #expect(read.status == 200)
            let web = try #require(read.json["items"]?.arrayValue?.first)
            #expect(web["currentStep"] == 1 && web["setWeight"] == 20 && web["strategy"] == "canary" && web["reason"] == "Manual")
            let steps = web["steps"]?.arrayValue ?? []
            #expect(steps.map { $0["text"]?.stringValue ?? "" } == ["setWeight 20", "pause (until promoted)", "setWeight 60", "pause 1s"])
            #expect(steps.map { $0["current"]?.boolValue ?? false } == [false, true, false, false])
            #expect(read.json["delivery"]?["state"] == "Paused")
            let summary = try await h.call(.GET, "/api/v1/applications/shop-web").json
            #expect(summary["delivery"]?["state"] == "Paused" && summary["rollouts"]?.arrayValue?.first?["name"] == "web")

            // The gauges follow the Application's status.
            let paused = try await h.call(.GET, "/metrics").body
            #expect(paused.contains(#"keelson_rollout_phase{name="web",namespace="default",phase="Paused"} 1"#), "\(paused)")
            #expect(paused.contains(#"keelson_rollout_phase{name="web",namespace="default",phase="Healthy"} 0"#))
            #expect(paused.contains(#"keelson_rollout_weight{kind="set",name="web",namespace="default"} 20"#))
            #expect(paused.contains(#"keelson_rollout_transitions_total{to="Paused"} "#))

            // A viewer may read but not act; the refusal is audited.
            let path = "/api/v1/applications/shop-web/rollouts/default/web/promote"
            let denied = try await h.call(.POST, path, as: "viewer")
            #expect(denied.status == 403)
            #expect(Self.audit(h).contains { $0.contains(#""action":"rollout-promote""#) && $0.contains(#""outcome":"denied""#) })
            // Another application's Rollout, and a Rollout nobody has, are not found (and audited).
            let foreign = try await h.call(.POST, "/api/v1/applications/broken/rollouts/default/web/abort", as: "operator")
            #expect(foreign.status == 404, "\(foreign.body)")
            #expect(Self.audit(h).contains { $0.contains(#""action":"rollout-abort""#) && $0.contains(#""status":404"#) })
            #expect(try await h.call(.POST, "/api/v1/applications/shop-web/rollouts/default/nope/abort", as: "operator").status == 404)
            #expect(try await h.call(.POST, "/api/v1/applications/shop-web/rollouts/default/web/explode", as: "operator").status == 404)
            #expect(try await h.call(.GET, path, as: "operator").status == 405)
            #expect(try await Self.web(h)?["phase"] == "Paused")

            // The action is the annotation on the Rollout (kept here: the engine cannot read this Rollout).
            try await h.eventually("broken lists its Rollout") {
                try await h.call(.GET, "/api/v1/applications/broken/rollouts").json["items"]?.arrayValue?.first?["name"] == "stuck"
            }
            let pause = try await h.call(.POST, "/api/v1/applications/broken/rollouts/default/stuck/pause", as: "operator")
            #expect(pause.status == 202 && pause.json["action"] == "pause" && pause.json["rollout"] == "default/stuck", "\(pause.body)")
            let stuck = try await h.client.get(Self.rollouts, name: "stuck", namespace: "default")
            #expect(stuck.annotations["keelson.dev/pause"] == "true")
            let listed = try await h.call(.GET, "/api/v1/applications/broken/rollouts").json["items"]?.arrayValue?.first
            #expect(listed?["phase"] == "Error" && listed?["requested"] == ["pause"])

            // An operator's promote: audited, and the rollout event stream says what follows.
            let stream = try await h.events(
                timeout: .seconds(60),
                whileOpen: {
                    let promote = try await h.call(.POST, path, as: "operator")
                    #expect(promote.status == 202 && promote.json["action"] == "promote" && promote.json["application"] == "keelson/shop-web")
                },
                until: { $0.contains("event: rollout") && $0.contains(#""phase":"Healthy""#) })
            #expect(stream.contains("event: rollout\ndata: {"), "\(stream)")
            #expect(Self.audit(h).contains { $0.contains(#""action":"rollout-promote""#) && $0.contains(#""outcome":"accepted""#) })
            try await h.eventually("1.0.1 is promoted and the annotation cleared") {
                let web = try await Self.web(h)
                return web?["phase"] == "Healthy" && web?["requested"] == []
            }
            let done = try await h.call(.GET, "/metrics").body
            #expect(done.contains(#"keelson_rollout_phase{name="web",namespace="default",phase="Healthy"} 1"#))
            #expect(done.contains(#"keelson_rollout_transitions_total{to="Healthy"} "#), "\(done)")
            #expect(done.contains(#"keelson_rollout_transitions_total{to="Promoting"} "#))
        }
    }
}
