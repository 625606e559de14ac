/// The canary phase a webhook's payload names, spelled as Flagger sends it: pre-rollout,
/// rollout and confirm-promotion hooks are sent `Progressing`; post-rollout hooks `Succeeded`
/// or `Failed`.
public enum WebhookPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// The canary is being analysed.
    case progressing = "Progressing"
    /// The canary is being promoted.
    case promoting = "Promoting"
    /// The rollout was promoted.
    case succeeded = "Succeeded"
    /// The rollout was aborted.
    case failed = "Failed"

    /// The phase Flagger sends a hook of `kind` with; a post-rollout hook says how it ended.
    public static func phase(for kind: Webhook.Kind, promoted: Bool = true) -> WebhookPhase {
        kind == .postRollout ? (promoted ? .succeeded : .failed) : .progressing
    }
}
