import Foundation
import KeelsonTesting
import Manifests
import Testing

/// Signed pushes refresh the applications that follow the pushed branch at once; everything
/// else changes nothing. Then `/metrics` counts what happened and passes `promtool`.
@Suite(.serialized) struct ServerWebhookTests {
    typealias H = ServerHarness

    @Test func signedPushesRefreshAtOnceAndNothingElseDoes() async throws {
        let apps = ["hooked": H.app("hooked", path: "hooked", interval: "10m")]
        try await H.with(files: ["hooked/config.yaml": H.configMap("hooked", "v1")], apps: apps) { h in
            try await h.eventually("v1 is applied") { await h.configMapValue("hooked") == "v1" }
            try await h.eventually("hooked is synced") { try await h.syncStatus("hooked") == "Synced" }
            try await h.commit(["hooked/config.yaml": H.configMap("hooked", "v2")], message: "v2")

            let push = Array(#"{"ref":"refs/heads/main","repository":{"clone_url":"\#(h.repositoryURL)"}}"#.utf8)
            let signed = ("X-Hub-Signature-256", "sha256=" + H.hmac(push))
            let event = ("X-GitHub-Event", "push")

            // Each of these triggers nothing.
            let wrong = try await h.hook("github", body: push, headers: [event, ("X-Hub-Signature-256", "sha256=" + H.hmac(push, secret: "guess"))])
            #expect(wrong.status == 401)
            #expect(try await h.hook("github", body: push, headers: [event]).status == 401)
            var large =
                Array(#"{"ref":"refs/heads/main","padding":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 1 << 20) + Array(#""}"#.utf8)
            #expect(try await h.hook("github", body: large, headers: [event, ("X-Hub-Signature-256", "sha256=" + H.hmac(large))]).status == 413)
            large = []
            // Without a Content-Length the running count refuses it while streaming.
            #expect(try await h.hookChunked("github", chunks: 24, headers: [event, signed]).status == 413)
            let malformed = Array("{\"ref\": ".utf8)
            #expect(
                try await h.hook("github", body: malformed, headers: [event, ("X-Hub-Signature-256", "sha256=" + H.hmac(malformed))]).status == 400)
            let otherBranch = Array(#"{"ref":"refs/heads/dev","repository":{"clone_url":"\#(h.repositoryURL)"}}"#.utf8)
            let ignored = try await h.hook("github", body: otherBranch, headers: [event, ("X-Hub-Signature-256", "sha256=" + H.hmac(otherBranch))])
            #expect(ignored.status == 202 && ignored.json["refreshed"] == 0)
            #expect(try await h.hook("svn", body: push, headers: [signed]).status == 404)
            #expect(try await h.call(.GET, "/hooks/github", as: nil).status == 405)
            try await Task.sleep(for: .seconds(2))
            #expect(await h.configMapValue("hooked") == "v1", "no refused or unmatched webhook made the controller fetch")

            // A signed push for the watched branch reaches the cluster at once: without it the next
            // fetch is 10 minutes away, so a deadline of one minute (for a busy machine) proves it.
            let start = ContinuousClock.now
            let accepted = try await h.hook("github", body: push, headers: [event, signed])
            #expect(accepted.status == 202 && accepted.json["refreshed"] == 1)
            try await h.eventually("v2 is applied", timeout: .seconds(60)) { await h.configMapValue("hooked") == "v2" }
            print("webhook to applied: \(ContinuousClock.now - start)")

            // The other providers' authentication.
            let gitlab = Array(#"{"ref":"refs/heads/main","project":{"git_http_url":"\#(h.repositoryURL)"}}"#.utf8)
            #expect(
                try await h.hook("gitlab", body: gitlab, headers: [("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", H.gitlabToken)]).json[
                    "refreshed"] == 1)
            #expect(try await h.hook("gitlab", body: gitlab, headers: [("X-Gitlab-Token", "guess")]).status == 401)
            #expect(
                try await h.hook("gitea", body: push, headers: [("X-Gitea-Event", "push"), ("X-Gitea-Signature", H.hmac(push))]).json["refreshed"]
                    == 1)
            let bitbucket = Array(
                #"{"push":{"changes":[{"new":{"type":"branch","name":"main"}}]},"repository":{"links":{"html":{"href":"\#(h.repositoryURL)"}}}}"#.utf8
            )
            let bitbucketReply = try await h.hook(
                "bitbucket", body: bitbucket, headers: [("X-Event-Key", "repo:push"), ("X-Hub-Signature", "sha256=" + H.hmac(bitbucket))])
            #expect(bitbucketReply.json["refreshed"] == 1)
            #expect(try await h.hook("generic", body: push, headers: [("X-Keelson-Signature", "sha256=" + H.hmac(push))]).json["refreshed"] == 1)

            // /metrics: valid Prometheus text with what happened.
            #expect(try await h.call(.GET, "/metrics", as: nil).status == 401)
            let metrics = try await h.call(.GET, "/metrics", as: "viewer")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains(#"keelson_webhook_requests_total{outcome="refreshed",provider="github"} 1"#))
            #expect(metrics.body.contains(#"keelson_webhook_requests_total{outcome="unauthenticated",provider="github"} 2"#))
            #expect(metrics.body.contains(#"keelson_webhook_requests_total{outcome="too_large",provider="github"} 2"#))
            #expect(metrics.body.contains(#"keelson_application_sync_status{application="hooked",namespace="keelson",status="Synced"} 1"#))
            #expect(metrics.body.contains(#"keelson_application_health_status{application="hooked",namespace="keelson",status="Healthy"} 1"#))
            #expect(metrics.body.contains("keelson_http_requests_total{"))
            // The controller's own series, recorded at its call sites.
            for series in [
                #"keelson_reconcile_total{application="hooked",namespace="keelson",result="success"}"#,
                #"keelson_sync_total{application="hooked",namespace="keelson",result="Succeeded"}"#,
                #"keelson_git_fetch_total{"#, #"keelson_kubernetes_requests_total{code="200",verb="apply"}"#, "keelson_queue_depth",
                "process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_start_time_seconds ",
            ] {
                #expect(metrics.body.contains(series), "no \(series) in /metrics")
            }
            let promtool = try await ProcessRunner.run("promtool", ["check", "metrics"], input: Data(metrics.body.utf8))
            #expect(promtool.status == 0, "\(promtool.output)\(promtool.errorOutput)")
        }
    }
}
