import Manifests

/// Why a sync could not be planned or did not complete, naming the application and object.
public struct SyncError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// The render is empty while the application owns objects, and `allowEmpty` is off.
        case emptyRender
        /// An object or its annotations are invalid.
        case invalidObject
        /// The cluster refused an apply.
        case apply
        /// A delete failed.
        case prune
        /// A hook failed or timed out.
        case hook
        /// Objects did not become healthy in time.
        case timeout
        /// A desired object's tracking id names another application (`AllowSharedResource=true` takes it over).
        case sharedResource
    }

    /// What kind of failure this is.
    public var code: Code
    /// The application.
    public var app: String
    /// The object involved, when there is one.
    public var object: ResourceKey?
    /// A one-line explanation.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, app: AppIdentity, object: ResourceKey? = nil, _ message: String) {
        self.code = code
        self.app = app.description
        self.object = object
        self.message = message
    }

    public var description: String {
        "\(app): " + (object.map { "\($0): " } ?? "") + message
    }
}

/// Fields whose drift does not count, for the objects a rule selects (`ignoreDifferences`).
public struct IgnoreRule: Sendable, Hashable {
    public var group: String
    public var kind: String
    public var name: String?
    public var namespace: String?
    /// JSON pointers, e.g. `/spec/replicas`.
    public var jsonPointers: [String]

    /// Creates a rule.
    public init(group: String, kind: String, name: String? = nil, namespace: String? = nil, jsonPointers: [String]) {
        self.group = group
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.jsonPointers = jsonPointers
    }

    /// Whether the rule applies to `key`.
    public func matches(_ key: ResourceKey) -> Bool {
        key.group == group && key.kind == kind && (name == nil || name == key.name) && (namespace == nil || namespace == key.namespace)
    }
}

/// One object to bring to its desired state.
public struct PlannedObject: Sendable, Hashable {
    /// The desired object, stamped with tracking metadata.
    public var manifest: Manifest
    /// Its sync policy.
    public var policy: ObjectSyncPolicy
    /// Create, update or unchanged.
    public var action: ChangeAction
    /// The drifted fields, for updates.
    public var fields: [String]
    /// The live object, when there is one.
    public var live: Manifest?
}

/// A group of objects applied together: one stage of one wave.
public struct PlannedStep: Sendable, Hashable {
    /// The wave: the objects' own, or earlier for a Namespace or CRD that an earlier object needs.
    public var wave: Int
    /// The stage within the wave.
    public var stage: ApplyOrder.Stage
    /// The objects, in apply order.
    public var objects: [PlannedObject]
    /// Whether the step is applied before the PreSync hooks: the Namespaces and CRDs they need.
    public var beforeHooks = false
}

/// Everything a sync will do, decided before anything is written.
public struct SyncPlan: Sendable, Hashable {
    /// Ordinary objects: first what the PreSync hooks need, then by wave, then stage, then apply order.
    public var steps: [PlannedStep]
    /// Hooks by phase, each in wave then apply order.
    public var hooks: [HookPhase: [PlannedObject]]
    /// Objects to delete, in the order to delete them (reverse wave, reverse apply order).
    public var prune: [InventoryEntry]
    /// Inventory objects left alone, with why.
    public var keep: [(entry: InventoryEntry, reason: KeepReason)]
    /// The waves present, ascending.
    public var waves: [Int] { Array(Set(steps.map(\.wave))).sorted() }

    public static func == (lhs: SyncPlan, rhs: SyncPlan) -> Bool {
        lhs.steps == rhs.steps && lhs.hooks == rhs.hooks && lhs.prune == rhs.prune && lhs.keep.map(\.entry) == rhs.keep.map(\.entry)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(steps)
        hasher.combine(prune)
    }
}

/// Decides a sync: pure, so every ordering and safety rule is tested without a cluster.
public enum SyncPlanner {
    /// The inputs a plan is made from.
    public struct Input: Sendable {
        /// The application.
        public var app: AppIdentity
        /// Desired objects, stamped, namespaces defaulted.
        public var desired: [Manifest]
        /// The live objects found, by key (desired and inventory keys).
        public var live: [ResourceKey: Manifest]
        /// The last successful sync's inventory.
        public var inventory: Set<InventoryEntry>
        /// Whether to delete what Git no longer holds.
        public var prune: Bool
        /// Whether an empty render may prune everything.
        public var allowEmpty: Bool
        /// Fields to ignore when comparing.
        public var ignoreDifferences: [IgnoreRule]
        /// Whether a desired object whose tracking id names another application is taken over.
        public var allowSharedResources: Bool

        /// Creates an input.
        public init(
            app: AppIdentity, desired: [Manifest], live: [ResourceKey: Manifest], inventory: Set<InventoryEntry>, prune: Bool,
            allowEmpty: Bool = false, ignoreDifferences: [IgnoreRule] = [], allowSharedResources: Bool = false
        ) {
            self.allowSharedResources = allowSharedResources
            self.app = app
            self.desired = desired
            self.live = live
            self.inventory = inventory
            self.prune = prune
            self.allowEmpty = allowEmpty
            self.ignoreDifferences = ignoreDifferences
        }
    }

    /// Plans a sync of `input`.
    public static func plan(_ input: Input) throws(SyncError) -> SyncPlan {
        let app = input.app
        if input.desired.isEmpty && !input.inventory.isEmpty && !input.allowEmpty {
            throw SyncError(
                .emptyRender, app: app,
                "the render produced no objects while the application owns \(input.inventory.count); nothing is pruned (set allowEmpty to allow it)")
        }
        var ordinary: [PlannedObject] = []
        var hooks: [HookPhase: [PlannedObject]] = [:]
        for manifest in ApplyOrder.sorted(input.desired) {
            let policy: ObjectSyncPolicy
            do { policy = try SyncAnnotations.policy(of: manifest) } catch {
                throw SyncError(.invalidObject, app: app, object: error.object, "annotation \(error.annotation): \(error.message)")
            }
            let live = input.live[manifest.key]
            if let live, Tracking.isOwnedByAnother(live, than: app), let owner = Tracking.owner(of: live) {
                // AllowSharedResource=true takes over from Applications of the same namespace only:
                // a tenant's option never reaches another namespace's objects.
                let sameNamespace = owner.identity.namespace == app.namespace
                if !(input.allowSharedResources && sameNamespace) {
                    throw SyncError(
                        .sharedResource, app: app, object: manifest.key,
                        "is managed by application \(owner.identity); it is not taken over"
                            + (sameNamespace ? " (sync option AllowSharedResource=true would)" : ""))
                }
            }
            if policy.isHook {
                let planned = PlannedObject(manifest: manifest, policy: policy, action: .hook, fields: [], live: live)
                for phase in policy.hookPhases where phase != .skip { hooks[phase, default: []].append(planned) }
                continue
            }
            var action = ChangeAction.create
            var fields: [String] = []
            if live != nil, policy.createOnly {
                action = .unchanged
            } else if let live {
                let ignoring = input.ignoreDifferences.filter { $0.matches(manifest.key) }.flatMap(\.jsonPointers)
                fields = Drift.differences(desired: manifest, live: live, ignoring: ignoring).map(\.path)
                action = fields.isEmpty ? .unchanged : .update
            }
            ordinary.append(PlannedObject(manifest: manifest, policy: policy, action: action, fields: fields, live: live))
        }
        for phase in hooks.keys { hooks[phase]?.sort { $0.policy.wave < $1.policy.wave } }

        // Group by wave, then stage, with the Namespaces and CRDs something earlier needs moved
        // ahead of it; the sort above already put each group in apply order.
        let placements = prerequisitePlacements(ordinary, preSync: hooks[.preSync] ?? [])
        struct Slot: Hashable {
            var beforeHooks: Bool
            var wave: Int
            var stage: ApplyOrder.Stage
        }
        let groups = Dictionary(grouping: ordinary) { object in
            let placement = placements[object.manifest.key] ?? Placement(wave: object.policy.wave)
            let stage = ApplyOrder.stage(group: object.manifest.group, kind: object.manifest.kind)
            return Slot(beforeHooks: placement.beforeHooks, wave: placement.wave, stage: stage)
        }
        let steps = groups.keys.sorted { a, b in
            (a.beforeHooks ? 0 : 1, a.wave, a.stage.rawValue) < (b.beforeHooks ? 0 : 1, b.wave, b.stage.rawValue)
        }.map { PlannedStep(wave: $0.wave, stage: $0.stage, objects: groups[$0]!, beforeHooks: $0.beforeHooks) }

        let (prune, keep) = pruning(
            app: app, desired: Set(input.desired.map(\.key)), live: input.live, inventory: input.inventory, prune: input.prune)
        let pruneOrder = prune.map(\.entry)
        return SyncPlan(steps: steps, hooks: hooks, prune: pruneOrder, keep: keep)
    }

    /// The prune half of a plan: inventory objects Git no longer holds that exist, that this
    /// app's tracking id names, and whose annotations neither keep them (`keepReason`) nor
    /// cannot be read, in the order to delete them (reverse wave, reverse apply order) with their
    /// wave; and the inventory objects left alone. `deletingApp` applies the rules of the
    /// application's own deletion (`Delete=false` keeps too).
    static func pruning(
        app: AppIdentity, desired: Set<ResourceKey>, live: [ResourceKey: Manifest], inventory: Set<InventoryEntry>, prune enabled: Bool,
        deletingApp: Bool = false
    ) -> (prune: [(entry: InventoryEntry, wave: Int)], keep: [(entry: InventoryEntry, reason: KeepReason)]) {
        var prune: [(entry: InventoryEntry, wave: Int)] = []
        var keep: [(entry: InventoryEntry, reason: KeepReason)] = []
        for entry in inventory.sorted() where !desired.contains(entry.key) {
            guard let live = live[entry.key] else { continue }  // already gone
            guard Tracking.isOwned(live, by: app) else {
                keep.append((entry, .ownedByAnother))
                continue
            }
            let policy: ObjectSyncPolicy
            do { policy = try SyncAnnotations.policy(of: live) } catch {
                // Fail safe: an annotation Keelson cannot read might have said to keep the object.
                keep.append((entry, .unreadablePolicy("annotation \(error.annotation): \(error.message)")))
                continue
            }
            if let reason = policy.keepReason(deletingApp: deletingApp) {
                keep.append((entry, reason))
            } else if !enabled {
                keep.append((entry, .pruningOff))
            } else {
                prune.append((entry, policy.wave))
            }
        }
        let ordered = prune.sorted { a, b in
            a.wave != b.wave ? a.wave > b.wave : ApplyOrder.precedes(b.entry.key, a.entry.key)
        }
        return (ordered, keep)
    }
}
