import Manifests

/// When a hook runs.
public enum HookPhase: String, Sendable, Hashable, CaseIterable {
    case preSync = "PreSync", sync = "Sync", postSync = "PostSync", syncFail = "SyncFail", skip = "Skip"
}

/// When a hook object is deleted.
public enum HookDeletePolicy: String, Sendable, Hashable, CaseIterable {
    case hookSucceeded = "HookSucceeded", hookFailed = "HookFailed", beforeHookCreation = "BeforeHookCreation"
}

/// What an object's annotations ask of a sync: its wave, whether it is a hook, and options.
public struct ObjectSyncPolicy: Sendable, Hashable {
    /// The sync wave; lower waves are applied (and healthy) first. Default 0.
    public var wave: Int = 0
    /// The phases the object is a hook for; empty for an ordinary object.
    public var hookPhases: Set<HookPhase> = []
    /// When the hook is deleted (default: before it is created again).
    public var hookDeletePolicies: Set<HookDeletePolicy> = []
    /// `Prune=false` (or Helm's `helm.sh/resource-policy: keep`, Flux's
    /// `kustomize.toolkit.fluxcd.io/prune: disabled`, `Prune=confirm`): never delete the object,
    /// even when Git no longer holds it.
    public var prune = true
    /// `Delete=false` (or Flux's `kustomize.toolkit.fluxcd.io/prune: disabled`, `Delete=confirm`):
    /// keep the object when its Application is deleted with its resources.
    public var delete = true
    /// The options that ask for a confirmation Keelson cannot give (`Prune=confirm`,
    /// `Delete=confirm`, in Argo CD given with `argocd.argoproj.io/deletion-approved`): the object
    /// is kept, and the keep is reported, rather than deleted unconfirmed.
    public var unconfirmable: [String] = []
    /// `Replace=true`: replace (PUT) instead of server-side apply.
    public var replace = false
    /// `Force=true`: delete and recreate when an immutable field changes.
    public var force = false
    /// `CreateOnly=true`: create the object when it is missing, never update it (a chart's `crds/`
    /// under `crds: CreateOnly`, as `helm install` treats them).
    public var createOnly = false

    /// Whether the object is a hook.
    public var isHook: Bool { !hookPhases.isEmpty }

    /// The default policy.
    public init() {}
}

/// A malformed sync annotation, naming the object and the annotation.
public struct SyncPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The object.
    public var object: ResourceKey
    /// The annotation.
    public var annotation: String
    /// What is wrong with it.
    public var message: String

    public var description: String { "\(object): annotation \(annotation): \(message)" }
}

/// The annotations Keelson reads, Keelson's own spelling first: where both are present,
/// `keelson.dev/...` wins and the Argo CD one is ignored.
public enum SyncAnnotations {
    public static let syncWave = ["keelson.dev/sync-wave", "argocd.argoproj.io/sync-wave"]
    public static let hook = ["keelson.dev/hook", "argocd.argoproj.io/hook"]
    public static let hookDeletePolicy = ["keelson.dev/hook-delete-policy", "argocd.argoproj.io/hook-delete-policy"]
    public static let syncOptions = ["keelson.dev/sync-options", "argocd.argoproj.io/sync-options"]
    /// Flux's garbage-collection opt-out, an annotation or a label: `disabled` keeps the object on
    /// prune and when its owner is deleted.
    public static let fluxPrune = "kustomize.toolkit.fluxcd.io/prune"
    /// The value of `fluxPrune` that keeps the object (compared ignoring case).
    public static let fluxPruneDisabled = "disabled"

    /// The sync policy `manifest`'s annotations ask for.
    public static func policy(of manifest: Manifest) throws(SyncPolicyError) -> ObjectSyncPolicy {
        let annotations = manifest.annotations
        func lookup(_ names: [String]) -> (name: String, value: String)? {
            for name in names { if let value = annotations[name] { return (name, value) } }
            return nil
        }
        func fail(_ name: String, _ message: String) -> SyncPolicyError {
            SyncPolicyError(object: manifest.key, annotation: name, message: message)
        }
        func list(_ value: String) -> [String] {
            value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        var policy = ObjectSyncPolicy()
        if let (name, value) = lookup(syncWave) {
            guard let wave = Int(value.trimmingCharacters(in: .whitespaces)) else { throw fail(name, "\"\(value)\" is not a whole number") }
            policy.wave = wave
        }
        if let (name, value) = lookup(hook) {
            for item in list(value) {
                guard let phase = HookPhase(rawValue: item) else {
                    throw fail(name, "unknown hook \"\(item)\"; expected one of \(HookPhase.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                policy.hookPhases.insert(phase)
            }
        }
        if let (name, value) = lookup(hookDeletePolicy) {
            for item in list(value) {
                guard let deletePolicy = HookDeletePolicy(rawValue: item) else { throw fail(name, "unknown delete policy \"\(item)\"") }
                policy.hookDeletePolicies.insert(deletePolicy)
            }
        }
        if lookup(hook) == nil, lookup(hookDeletePolicy) == nil { readHelmHook(annotations, into: &policy, waveGiven: lookup(syncWave) != nil) }
        if annotations[HelmHook.resourcePolicyAnnotation]?.lowercased() == "keep" { policy.prune = false }
        if policy.isHook && policy.hookDeletePolicies.isEmpty { policy.hookDeletePolicies = [.beforeHookCreation] }
        if let (name, value) = lookup(syncOptions) {
            for item in list(value) {
                let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { throw fail(name, "\"\(item)\" is not Option=value") }
                let (option, value) = (parts[0], parts[1].lowercased())
                // Options that concern other tools or the application as a whole are accepted silently.
                guard let known = Self.options[option] else { continue }
                if known.confirmable && value == "confirm" {
                    // Keelson has no confirmation step: the object is kept (fail safe) and the keep reported.
                    policy[keyPath: known.flag] = false
                    policy.unconfirmable.append("\(option)=confirm")
                    continue
                }
                guard let flag = Bool(value) else {
                    throw fail(name, "\"\(item)\" is not \(option)=true|false" + (known.confirmable ? "|confirm" : ""))
                }
                policy[keyPath: known.flag] = flag
            }
        }
        // Flux's opt-out wins over any sync option: a repository written for Flux never loses it.
        if [annotations[fluxPrune], manifest.labels[fluxPrune]].contains(where: { $0?.lowercased() == fluxPruneDisabled }) {
            policy.prune = false
            policy.delete = false
        }
        return policy
    }
}

extension SyncAnnotations {
    /// The sync options Keelson reads from an object's annotation, by name: the policy flag each
    /// sets, and whether it also takes Argo CD's `confirm`.
    static let options: [String: (flag: WritableKeyPath<ObjectSyncPolicy, Bool> & Sendable, confirmable: Bool)] = [
        "Prune": (\.prune, true), "Delete": (\.delete, true), "Replace": (\.replace, false), "Force": (\.force, false),
        "CreateOnly": (\.createOnly, false),
    ]

    /// A chart's hook as a sync phase: install and upgrade events run as PreSync and PostSync
    /// (the Helm renderer keeps only the hooks of the operation at hand), the weight orders hooks
    /// within their phase as a wave does, and hooks of other events (test, delete, rollback) are
    /// skipped. An annotation Helm cannot read is skipped as Helm skips it.
    static func readHelmHook(_ annotations: [String: String], into policy: inout ObjectSyncPolicy, waveGiven: Bool) {
        guard case .hook(let hook) = HelmHook.read(annotations: annotations) else { return }
        for event in hook.events {
            switch event {
            case .preInstall, .preUpgrade: policy.hookPhases.insert(.preSync)
            case .postInstall, .postUpgrade: policy.hookPhases.insert(.postSync)
            case .preDelete, .postDelete, .preRollback, .postRollback, .test: continue
            }
        }
        if policy.hookPhases.isEmpty { policy.hookPhases = [.skip] }
        // Helm does not manage hook resources as part of the release: an install hook that an
        // upgrade's render no longer holds stays where it is (its delete policy alone removes it).
        policy.prune = false
        if !waveGiven { policy.wave = hook.weight }
        policy.hookDeletePolicies = Set(
            hook.deletePolicies.map { policy -> HookDeletePolicy in
                switch policy {
                case .beforeHookCreation: .beforeHookCreation
                case .hookSucceeded: .hookSucceeded
                case .hookFailed: .hookFailed
                }
            })
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension Set where Element == Character {
    fileprivate static let whitespaces: Set<Character> = [" ", "\t"]
}
