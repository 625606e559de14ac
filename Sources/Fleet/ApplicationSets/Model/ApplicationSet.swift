import Kube
import Manifests

/// An `ApplicationSet`: generators whose parameters fill a template, one Application per set of
/// parameters, kept in step with the generators — Keelson's `keelson.dev/v1alpha1` kind with
/// Argo CD's field names, or Argo CD's own `argoproj.io/v1alpha1` one read as it is.
///
/// ```yaml
/// apiVersion: keelson.dev/v1alpha1
/// kind: ApplicationSet
/// metadata: {name: services, namespace: keelson}
/// spec:
///   generators:
///   - git: {repoURL: https://git.example.com/mono.git, revision: main, directories: [{path: services/*}]}
///   template:
///     metadata: {name: '{{path.basename}}'}
///     spec:
///       source: {repoURL: https://git.example.com/mono.git, revision: main, path: '{{path}}'}
///       destination: {namespace: '{{path.basename}}'}
///   syncPolicy: {maxDeletionShare: "25%"}
/// ```
public struct ApplicationSet: Sendable, Hashable {
    /// The two APIs an ApplicationSet is read from.
    public enum API: String, Sendable, Hashable, CaseIterable {
        /// Keelson's own: the template is a Keelson Application.
        case keelson = "keelson.dev/v1alpha1"
        /// Argo CD's: the template is an Argo CD Application, translated before it is written.
        case argo = "argoproj.io/v1alpha1"

        /// The ApplicationSet kind of this API.
        public var kind: GroupVersionKind {
            GroupVersionKind(group: self == .keelson ? "keelson.dev" : "argoproj.io", version: "v1alpha1", kind: "ApplicationSet")
        }
    }

    /// The API the set was read from.
    public var api: API
    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`.
    public var namespace: String
    /// `metadata.uid`: what generated Applications name as their owner.
    public var uid: String
    /// `spec.generators`.
    public var generators: [Generator]
    /// `spec.template`, unrendered: `metadata` and `spec`.
    public var template: JSONObject
    /// `spec.goTemplate`: Go templates (`{{ .path.basename }}`) instead of `{{path.basename}}`.
    public var goTemplate = false
    /// `spec.goTemplateOptions` holds `missingkey=error`.
    public var missingKeyIsError = false
    /// `spec.syncPolicy`.
    public var syncPolicy = SyncPolicy()
    /// `spec.strategy` of type `RollingSync`, when set.
    public var rollingSync: RollingSyncStrategy?
    /// `spec.templateFormat` (Keelson's API only): `ArgoCD` when the template is an Argo CD
    /// Application, as `keelson import` writes an Argo CD set it translates.
    public var templateFormat: TemplateFormat = .keelson

    /// What `spec.template.spec` is.
    public enum TemplateFormat: String, Sendable, Hashable, CaseIterable {
        /// A Keelson Application's spec.
        case keelson = "Keelson"
        /// An Argo CD Application's spec, translated for each Application.
        case argoCD = "ArgoCD"
    }

    /// Whether each rendered template is an Argo CD Application to translate.
    public var translatesArgoCDTemplate: Bool { api == .argo || templateFormat == .argoCD }

    /// `namespace/name`.
    public var id: String { "\(namespace)/\(name)" }

    /// `spec.syncPolicy`.
    public struct SyncPolicy: Sendable, Hashable {
        /// `applicationsSync`: which changes the set may make (default `sync`: all).
        public var applicationsSync = ApplicationsSync.sync
        /// `preserveResourcesOnDeletion`: generated Applications carry no resources finalizer, so
        /// deleting one leaves its objects in the cluster.
        public var preserveResourcesOnDeletion = false
        /// `maxDeletionShare` (Keelson's): the most of the currently generated Applications one
        /// generation deletes (default 25%; a non-zero share is at least one, `0` deletes none);
        /// the rest waits for the next generation.
        public var maxDeletionShare = Share.percent(25)
    }

    /// Argo CD's `syncPolicy.applicationsSync`.
    public enum ApplicationsSync: String, Sendable, Hashable, CaseIterable {
        /// Create only; never update or delete.
        case createOnly = "create-only"
        /// Create and update; never delete.
        case createUpdate = "create-update"
        /// Create and delete; never update.
        case createDelete = "create-delete"
        /// Create, update and delete.
        case sync

        /// Whether existing Applications are updated.
        public var updates: Bool { self == .sync || self == .createUpdate }
        /// Whether Applications no longer generated are deleted.
        public var deletes: Bool { self == .sync || self == .createDelete }
    }

    /// The label every generated Application carries, naming its set.
    public static let setLabel = "keelson.dev/application-set"
    /// The finalizer that makes deleting an Application delete its objects.
    public static let resourcesFinalizer = "keelson.dev/resources-finalizer"
}

/// `spec.strategy` with `type: RollingSync`: steps of Applications chosen by label.
public struct RollingSyncStrategy: Sendable, Hashable {
    /// One step.
    public struct Step: Sendable, Hashable {
        /// `matchExpressions` over the Applications' labels.
        public var selector: LabelSelector
        /// `maxUpdate`: how many of the step's Applications may be changing at once (default all).
        public var maxUpdate: Share

        /// Creates a step.
        public init(selector: LabelSelector, maxUpdate: Share = .percent(100)) {
            self.selector = selector
            self.maxUpdate = maxUpdate
        }
    }

    /// The steps, in order.
    public var steps: [Step]

    /// Creates a strategy.
    public init(steps: [Step]) { self.steps = steps }
}
