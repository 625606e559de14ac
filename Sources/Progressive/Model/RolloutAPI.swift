/// Names of the progressive-delivery resources and the labels and annotations they use: the one
/// home for them, so the overlay, the routers, the reconciler and the sandbox agree.
public enum RolloutAPI {
    /// The API group of `Rollout` and `AnalysisTemplate`.
    public static let group = "keelson.dev"
    /// `apiVersion` of both kinds.
    public static let apiVersion = "keelson.dev/v1alpha1"
    /// The kind that rolls a Deployment out progressively.
    public static let rolloutKind = "Rollout"
    /// The kind that holds reusable analysis metrics.
    public static let analysisTemplateKind = "AnalysisTemplate"
    /// The pod label telling stable pods from canary pods.
    public static let trackLabel = "keelson.dev/track"
    /// The label every generated object carries: `rollout.<name>`.
    public static let generatedByLabel = "keelson.dev/generated-by"
}
