import Manifests

/// What merging a change would do: every Application of the repository rendered at the base
/// and at the head revision and compared, object by object, with Secret values masked.
public struct Plan: Sendable, Hashable {
    /// The base commit.
    public var base: String
    /// The head commit.
    public var head: String
    /// The Applications of the repository at either revision, by namespace and name.
    public var applications: [ApplicationPlan]
    /// Applications found that deploy from another repository (`namespace/name`), left out.
    public var notAffected: [String]
    /// Application files at the head that could not be read (`file: message`).
    public var errors: [String]
    /// The head against a live cluster, when asked for.
    public var live: LivePlan? = nil

    /// Creates a plan.
    public init(base: String, head: String, applications: [ApplicationPlan], notAffected: [String] = [], errors: [String] = []) {
        self.base = base
        self.head = head
        self.applications = applications
        self.notAffected = notAffected
        self.errors = errors
    }

    /// How many Applications had each outcome.
    public var summary: PlanSummary {
        PlanSummary(
            changed: applications.count { $0.change == .changed }, added: applications.count { $0.change == .added },
            removed: applications.count { $0.change == .removed }, unchanged: applications.count { $0.change == .unchanged },
            errors: applications.count { $0.change == .error })
    }

    /// Whether merging would change anything (or could not be planned).
    public var hasChanges: Bool { !errors.isEmpty || applications.contains { $0.change != .unchanged } }

    /// Whether the head cannot be synced as it stands: a render failed, or a change would be refused.
    public var fails: Bool {
        !errors.isEmpty || live?.fails == true || applications.contains { $0.change == .error || $0.failsSync }
    }
}

/// How many Applications had each outcome.
public struct PlanSummary: Sendable, Hashable {
    public var changed: Int
    public var added: Int
    public var removed: Int
    public var unchanged: Int
    public var errors: Int
}

/// What happens to one Application.
public enum ApplicationChange: String, Sendable, Hashable, CaseIterable {
    case added, removed, changed, unchanged, error
}

/// One Application's part of a plan.
public struct ApplicationPlan: Sendable, Hashable {
    public var namespace: String
    public var name: String
    /// What happens to it.
    public var change: ApplicationChange
    /// The objects that change, in apply order.
    public var objects: [ObjectPlan]
    /// How many of its objects stay as they are.
    public var unchangedObjects: Int
    /// Warnings about the Application itself (a base that failed to render, say).
    public var warnings: [PlanWarning]
    /// Why the head could not be rendered (with `file:line`); `change` is then `.error`.
    public var error: String?

    /// `namespace/name`.
    public var id: String { "\(namespace)/\(name)" }

    /// Whether any warning says the sync would be refused.
    public var failsSync: Bool { (warnings + objects.flatMap(\.warnings)).contains { $0.failsSync } }

    /// How many objects are added, changed and removed (pruned or orphaned).
    public var counts: (added: Int, changed: Int, removed: Int) {
        (objects.count { $0.change == .added }, objects.count { $0.change == .changed }, objects.count { $0.change.isRemoval })
    }
}

/// What happens to one object.
public enum ObjectChange: String, Sendable, Hashable, CaseIterable {
    case added, changed
    /// Gone from Git and deleted by the sync (the Application prunes).
    case pruned
    /// Gone from Git and left in the cluster (the Application does not prune, or the object's
    /// annotations keep it: `Prune=false`, Flux's `prune: disabled`, one Keelson cannot honour or read).
    case orphaned

    /// Whether the object leaves Git.
    public var isRemoval: Bool { self == .pruned || self == .orphaned }
}

/// One object's part of a plan.
public struct ObjectPlan: Sendable, Hashable {
    /// Its identity, namespaced as a sync would namespace it.
    public var key: ResourceKey
    /// What happens to it.
    public var change: ObjectChange
    /// A unified diff of its YAML, Secret values masked.
    public var diff: String
    /// Short facts for reviewers: image changes, masked or encrypted values.
    public var notes: [String]
    /// What could go wrong.
    public var warnings: [PlanWarning]
}

/// Something a reviewer should not miss.
public struct PlanWarning: Sendable, Hashable {
    /// The kinds of warning.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Deleting the object deletes data (a PersistentVolumeClaim, a Namespace, a CRD).
        case dataLoss = "data-loss"
        /// A field the API server will not change in place.
        case immutable
        /// The revision could not be rendered.
        case renderFailed = "render-failed"
    }

    public var kind: Kind
    public var message: String
    /// Whether a sync of the head would be refused.
    public var failsSync: Bool

    public init(_ kind: Kind, _ message: String, failsSync: Bool = false) {
        self.kind = kind
        self.message = message
        self.failsSync = failsSync
    }
}
