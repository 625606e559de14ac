import Foundation
import Kube
import Manifests
import SCM

/// Settings of the ApplicationSet service.
public struct ApplicationSetConfiguration: Sendable {
    /// Install the `keelson.dev` ApplicationSet CRD when missing.
    public var installCRDs = true
    /// Which namespaces' sets are run (the controller's tenancy); all when `nil`.
    public var namespaces: (@Sendable (String) -> Bool)?
    /// Where the objects are watched.
    public var watchScope: WatchScope = .cluster
    /// The namespace cluster Secrets are read from (the controller's).
    public var controllerNamespace = "keelson"
    /// How often a Git generator runs again when it names no `requeueAfterSeconds` (Argo CD's 180 s).
    public var gitRequeue: Duration = .seconds(180)
    /// How often a pull-request generator runs again by default (Argo CD's 30 minutes).
    public var pullRequestRequeue: Duration = .seconds(1800)
    /// How often sets of other generators (list, clusters) run again.
    public var resyncInterval: Duration = .seconds(180)
    /// The most Applications one set generates.
    public var maximumApplications = 5000
    /// How forge requests are retried within one pass.
    public var forgeRetry: SCM.RetryPolicy = .standard
    /// What generators read; nil: Git, the cluster's Secrets and the forges themselves.
    public var sources: (any GeneratorSources)?
    /// The wall clock written into conditions.
    public var now: @Sendable () -> Date = { Date() }

    /// Defaults.
    public init() {}
}
