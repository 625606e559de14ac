import Manifests
import Sync

/// A `keelson.dev/v1alpha1` `Application`: where the desired state lives, where it goes, and
/// how it is kept there.
///
/// ```yaml
/// apiVersion: keelson.dev/v1alpha1
/// kind: Application
/// metadata: {name: guestbook, namespace: keelson}
/// spec:
///   source: {repoURL: https://git.example.com/apps.git, revision: main, path: apps/guestbook}
///   destination: {namespace: guestbook}
///   syncPolicy: {automated: {prune: true, selfHeal: true}, interval: 3m}
/// ```
///
/// Argo CD's and Flux's rendering options have their place in `spec.source`:
///
/// ```yaml
/// spec:
///   source:
///     kustomize: {namePrefix: prod-, namespace: web, images: ["nginx=registry.example.com/nginx:1.27"]}
///     postBuild: {substitute: {CLUSTER: prod}, substituteFrom: [{kind: ConfigMap, name: cluster-vars}]}
///   revisionHistoryLimit: 10
///   info: [{name: Owner, value: team-a}]
/// ```
public struct Application: Sendable, Hashable {
    public static let apiVersion = "keelson.dev/v1alpha1"
    public static let kind = "Application"

    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace` (default `keelson`).
    public var namespace: String
    /// `spec`.
    public var spec: ApplicationSpec
    /// `metadata.uid`, when read from the API: what objects the Application owns (its chart
    /// seed Secret) name in their `ownerReferences`.
    public var uid: String? = nil

    /// The identity used in status, logs and the API: `namespace/name`.
    public var id: String { identity.description }
    /// The identity that tracks what this Application owns.
    public var identity: AppIdentity { AppIdentity(namespace: namespace, name: name) }
}

/// `spec` of an Application.
public struct ApplicationSpec: Sendable, Hashable {
    /// `spec.project`: the `Project` (in the controller's namespace) whose rules fence this
    /// Application (default `default`).
    public var project: String = "default"
    /// `spec.serviceAccountName`: the ServiceAccount, in the destination namespace, that every
    /// request of this Application impersonates, so Kubernetes RBAC has the last word.
    public var serviceAccountName: String? = nil
    public var source: Source
    public var destination: Destination
    public var syncPolicy: SyncPolicy
    /// The applications (`namespace/name`; the namespace defaults to this Application's) that
    /// must be synced and healthy first.
    public var dependsOn: [String]
    public var ignoreDifferences: [IgnoreDifference]
    public var suspend: Bool
    /// `spec.revisionHistoryLimit`: how many sync history entries are kept (0 to 100, default
    /// `History.limit`). With 0 only the newest is kept: it says what is deployed.
    public var revisionHistoryLimit: Int = History.limit
    /// `spec.info`: notes and links shown with the Application.
    public var info: [Info] = []

    /// `spec.source`.
    public struct Source: Sendable, Hashable {
        /// The Git repository URL.
        public var repoURL: String
        /// A branch, tag, commit SHA or semver range (default `main`).
        public var revision: String
        /// The directory inside the repository (default: the root).
        public var path: String
        /// `directory`: plain manifests options.
        public var directory: DirectoryOptions
        /// `decryption`: SOPS decryption of rendered Secrets.
        public var decryption: Decryption?
        /// `secretRef.name`: the Secret (in the Application's namespace) with the Git credentials:
        /// `username` and `password` (https basic), `token` (https token), or `identity` with
        /// `known_hosts` (ssh); for a chart repository, `username`/`password` and `ca.crt`,
        /// `tls.crt`, `tls.key`.
        public var secretRef: String? = nil
        /// `chart`: the chart's name in an HTTP Helm repository at `repoURL` (then `revision` is a
        /// version or semver range); nil for Git, and for `oci://` URLs, which name the chart themselves.
        public var chart: String? = nil
        /// `helm`: how a chart is rendered.
        public var helm: HelmOptions? = nil
        /// `kustomize`: kustomize options laid over what the path renders (not with a chart).
        public var kustomize: KustomizeOptions? = nil
        /// `postBuild`: variable substitution after rendering, as Flux's (not with a chart).
        public var postBuild: PostBuild? = nil

        /// Where a chart comes from, when the source is not a Git repository.
        public var chartRepository: ChartRepositoryKind? {
            if repoURL.hasPrefix("oci://") { return .oci }
            return chart == nil ? nil : .http
        }
    }

    /// The kind of repository a chart is fetched from.
    public enum ChartRepositoryKind: String, Sendable, Hashable {
        /// An HTTP(S) repository with an `index.yaml`.
        case http
        /// An OCI registry (`oci://host/repository/chart`).
        case oci
    }

    /// `spec.source.directory`.
    public struct DirectoryOptions: Sendable, Hashable {
        public var recurse = true
        public var include: [String] = []
        public var exclude: [String] = []
    }

    /// `spec.source.decryption`.
    public struct Decryption: Sendable, Hashable {
        /// Only `sops`.
        public var provider: String
        /// The Secret (in the Application's namespace) holding age identities.
        public var secretRef: String?
    }

    /// `spec.destination`.
    public struct Destination: Sendable, Hashable {
        /// The namespace for objects that name none.
        public var namespace: String
        /// The cluster: `in-cluster` (the controller's own), or the name of a cluster registered
        /// as a Secret labelled `keelson.dev/secret-type: cluster` in the controller's namespace.
        public var cluster: String = Destination.inCluster

        /// The controller's own cluster.
        public static let inCluster = "in-cluster"

        /// Whether the destination is the controller's own cluster.
        public var isInCluster: Bool { cluster == Self.inCluster }
    }

    /// `spec.syncPolicy`.
    public struct SyncPolicy: Sendable, Hashable {
        /// `automated`: sync new revisions without being asked.
        public var automated: Automated?
        /// How often the source is checked (default 3m).
        public var interval: Duration
        /// Retries of failed syncs.
        public var retry: Retry
        /// Options such as `CreateNamespace=true`.
        public var syncOptions: [String]
    }

    /// `spec.syncPolicy.automated`.
    public struct Automated: Sendable, Hashable {
        public var prune = false
        public var selfHeal = false
        public var allowEmpty = false
    }

    /// `spec.syncPolicy.retry`.
    public struct Retry: Sendable, Hashable {
        /// Attempts after the first (default 5; 0 disables).
        public var limit: Int = 5
        /// The first backoff (default 5s).
        public var backoff: Duration = .seconds(5)
        /// The multiplier per attempt (default 2).
        public var factor: Double = 2
        /// The longest backoff (default 3m).
        public var maxBackoff: Duration = .seconds(180)
    }

    /// One entry of `spec.ignoreDifferences`.
    public struct IgnoreDifference: Sendable, Hashable {
        public var group: String
        public var kind: String
        public var name: String?
        public var namespace: String?
        public var jsonPointers: [String]

        /// Whether the entry applies to `key`.
        public func matches(_ key: ResourceKey) -> Bool {
            key.group == group && key.kind == kind && (name == nil || name == key.name)
                && (namespace == nil || namespace == key.namespace)
        }
    }
}
