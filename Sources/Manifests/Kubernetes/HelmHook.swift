import Foundation

/// A Helm hook as the `helm.sh/hook*` annotations of one rendered object declare it.
public struct HelmHook: Sendable, Hashable {
    /// The annotation naming the events, comma separated.
    public static let annotation = "helm.sh/hook"
    /// The annotation holding the integer weight (order within a phase, lowest first).
    public static let weightAnnotation = "helm.sh/hook-weight"
    /// The annotation naming the delete policies, comma separated.
    public static let deletePolicyAnnotation = "helm.sh/hook-delete-policy"
    /// The annotation that keeps an object when the release no longer renders it.
    public static let resourcePolicyAnnotation = "helm.sh/resource-policy"

    /// When a hook runs.
    public enum Event: String, Sendable, Hashable, CaseIterable {
        case preInstall = "pre-install"
        case postInstall = "post-install"
        case preDelete = "pre-delete"
        case postDelete = "post-delete"
        case preUpgrade = "pre-upgrade"
        case postUpgrade = "post-upgrade"
        case preRollback = "pre-rollback"
        case postRollback = "post-rollback"
        case test = "test"

        /// Reads one event name as Helm does: trimmed, lowercased, `test-success` meaning `test`.
        init?(annotationValue: some StringProtocol) {
            let name = annotationValue.trimmingCharacters(in: .whitespaces).lowercased()
            self.init(rawValue: name == "test-success" ? "test" : name)
        }
    }

    /// When a hook object is deleted.
    public enum DeletePolicy: String, Sendable, Hashable, CaseIterable {
        /// Before the hook is created again (Helm's default when no policy is given).
        case beforeHookCreation = "before-hook-creation"
        /// Once the hook has succeeded.
        case hookSucceeded = "hook-succeeded"
        /// Once the hook has failed.
        case hookFailed = "hook-failed"
    }

    /// The events the hook runs at, in annotation order.
    public var events: [Event]
    /// The weight; hooks of one phase run lowest weight first.
    public var weight: Int
    /// The delete policies (Helm's default `before-hook-creation` when none is named).
    public var deletePolicies: [DeletePolicy]

    /// Creates a hook.
    public init(events: [Event], weight: Int = 0, deletePolicies: [DeletePolicy] = [.beforeHookCreation]) {
        self.events = events
        self.weight = weight
        self.deletePolicies = deletePolicies
    }

    /// What the annotations of one object say about hooks.
    public enum Reading: Sendable, Hashable {
        /// Not a hook: an ordinary release object.
        case none
        /// A hook.
        case hook(HelmHook)
        /// A hook annotation naming an event Helm does not know: Helm leaves the whole object out.
        case unknown(String)
    }

    /// Reads the hook annotations of an object (Helm 4: any unknown event name drops the object).
    public static func read(annotations: [String: String]) -> Reading {
        guard let value = annotations[annotation] else { return .none }
        var events: [Event] = []
        for name in value.split(separator: ",", omittingEmptySubsequences: false) {
            guard let event = Event(annotationValue: name) else { return .unknown(value) }
            events.append(event)
        }
        let weight = annotations[weightAnnotation].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        let policies = (annotations[deletePolicyAnnotation] ?? "").split(separator: ",").compactMap {
            DeletePolicy(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased())
        }
        return .hook(HelmHook(events: events, weight: weight, deletePolicies: policies.isEmpty ? [.beforeHookCreation] : policies))
    }
}
