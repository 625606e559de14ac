/// Whether live objects equal what Git says (an application's, or one object's).
public enum SyncStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// They are equal.
    case synced = "Synced"
    /// They differ.
    case outOfSync = "OutOfSync"
    /// Not known (the source or render failed, or nothing was compared yet).
    case unknown = "Unknown"
}

/// How one object compares with Git: an application's `SyncStatus`, per object, with the two
/// ways an object can be out of sync by being absent on one side.
public enum ResourceSyncState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Live equals desired.
    case synced = "Synced"
    /// Live differs from desired.
    case outOfSync = "OutOfSync"
    /// Desired, not live.
    case missing = "Missing"
    /// Live and in the inventory, no longer desired.
    case extraneous = "Extraneous"

    /// The state of a planned object.
    public init(_ action: ChangeAction) {
        switch action {
        case .create: self = .missing
        case .update: self = .outOfSync
        default: self = .synced
        }
    }
}
