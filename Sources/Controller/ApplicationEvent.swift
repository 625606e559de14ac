import Foundation
import Manifests

/// A change to an application, as the event stream reports it.
public struct ApplicationEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable {
        /// The application's status changed (or it was seen first).
        case updated
        /// The application was deleted.
        case deleted
        /// Something was asked of the application.
        case requested
        /// The application's rollouts (`status.rollouts`) changed: a phase, a step, a weight, a verdict.
        case rollout
    }

    /// A number that grows with each event, for `Last-Event-ID`.
    public var sequence: Int
    /// What happened.
    public var kind: Kind
    /// `namespace/name`.
    public var application: String
    /// When.
    public var time: Date
    /// `Synced`, `OutOfSync` or `Unknown`.
    public var sync: String
    /// The health status.
    public var health: String
    /// The revision live.
    public var revision: String
    /// A line for people (never a Secret value).
    public var message: String
    /// For `rollout` events, the application's `status.rollouts` after the change; else `null`.
    public var rollouts: JSONValue = .null
}
