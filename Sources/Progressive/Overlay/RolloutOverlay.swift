import Foundation
import Manifests

/// The rule that keeps GitOps and a rollout from fighting: the controller's desired state is
/// `overlay(render(Git), rollout states)`. Sync, drift, diffs and the rollout's own ticks all
/// go through this one pure function, so a Git sync never reverts a weight or a replica count
/// and a `kubectl scale` of the stable is healed to the rollout's value.
public enum RolloutOverlay {
    /// One rollout as the overlay needs it.
    public struct Rollout: Sendable {
        public var spec: RolloutSpec
        public var state: RolloutState
        public var mode: RolloutReplicas.Mode
        /// The replica count the rollout keeps.
        public var replicas: Int
        /// The target as it runs: its template is the stable one while a canary runs.
        public var liveTarget: Manifest?
        /// Ready pods of the canary's template.
        public var canaryReady: Int
        /// The Rollout's uid, for the owner reference of generated objects.
        public var uid: String?
        public var now: Date

        public init(
            spec: RolloutSpec, state: RolloutState, mode: RolloutReplicas.Mode, replicas: Int, liveTarget: Manifest?, canaryReady: Int,
            uid: String?, now: Date
        ) {
            self.spec = spec
            self.state = state
            self.mode = mode
            self.replicas = replicas
            self.liveTarget = liveTarget
            self.canaryReady = canaryReady
            self.uid = uid
            self.now = now
        }
    }

    /// The overlaid render, and the generated objects to write or delete beside it.
    public struct Result: Sendable {
        /// Git's objects as the rollouts want them.
        public var manifests: [Manifest]
        /// Objects the rollouts generate (never in the inventory, never pruned).
        public var generated: [Manifest] = []
        /// Generated objects that must not exist now.
        public var removed: [ResourceKey] = []
        /// Git's objects a rollout shapes (target, apex Service, route): written on every change
        /// of state, also when they return to Git's form, since a sync leaves fields it does not
        /// name (a selector key, a weight) as they are.
        public var touched: Set<ResourceKey> = []
        /// Rollouts that cannot be followed, with the reason (a name Git uses, a missing target).
        public var problems: [String: String] = [:]
    }

    /// Applies every rollout to `rendered`.
    public static func apply(_ rendered: [Manifest], rollouts: [Rollout]) -> Result {
        var result = Result(manifests: rendered)
        for rollout in rollouts {
            var shape = Shape(rollout: rollout, manifests: result.manifests)
            if let problem = shape.problem {
                result.problems[rollout.spec.namespace + "/" + rollout.spec.name] = problem
                continue
            }
            shape.overlayTarget()
            shape.overlayTraffic()
            result.manifests = shape.manifests
            result.generated += shape.generated
            result.removed += shape.removed
            result.touched.formUnion(shape.touched)
        }
        return result
    }
}
