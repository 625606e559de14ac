/// Why an inventory object is not deleted: not pruned when Git no longer holds it, or left in
/// the cluster when its application is deleted.
public enum KeepReason: Sendable, Hashable, CustomStringConvertible {
    /// Its tracking id names another application: it is no longer this one's.
    case ownedByAnother
    /// It carries `Prune=false`, Helm's `resource-policy: keep` or Flux's `prune: disabled`.
    case pruneDisabled
    /// It carries `Delete=false`: kept when the application is deleted.
    case deleteDisabled
    /// It asks for a confirmation Keelson cannot give (`Prune=confirm`, `Delete=confirm`), so it
    /// is kept rather than deleted unconfirmed; whoever wants it gone deletes it by hand.
    case unconfirmable(String)
    /// Its sync annotations cannot be read, so nothing they might say is guessed at: kept.
    case unreadablePolicy(String)
    /// The sync does not prune.
    case pruningOff

    /// Whether the object stays in this application's inventory.
    public var staysInInventory: Bool { self != .ownedByAnother }

    /// Whether the keep is worth a warning: the object's annotations ask for something Keelson
    /// cannot do or cannot read, rather than plainly for the keep.
    public var needsAttention: Bool {
        switch self {
        case .unconfirmable, .unreadablePolicy: true
        case .ownedByAnother, .pruneDisabled, .deleteDisabled, .pruningOff: false
        }
    }

    public var description: String {
        switch self {
        case .ownedByAnother: "its tracking id names another owner"
        case .pruneDisabled: "it says Prune=false (or helm.sh/resource-policy: keep, or kustomize.toolkit.fluxcd.io/prune: disabled)"
        case .deleteDisabled: "it says Delete=false (or kustomize.toolkit.fluxcd.io/prune: disabled)"
        case .unconfirmable(let options): "it says \(options), and Keelson has no confirmation step; delete it by hand"
        case .unreadablePolicy(let message): "its sync annotations cannot be read (\(message))"
        case .pruningOff: "pruning is off"
        }
    }
}

extension ObjectSyncPolicy {
    /// Why the policy keeps its object, if it does: from a prune, or (`deletingApp`) from the
    /// deletion of its application, which keeps whatever a prune keeps too.
    public func keepReason(deletingApp: Bool) -> KeepReason? {
        let confirmations = unconfirmable.filter { deletingApp || $0.hasPrefix("Prune=") }
        if !confirmations.isEmpty { return .unconfirmable(confirmations.joined(separator: ",")) }
        if deletingApp && !delete { return .deleteDisabled }
        return prune ? nil : .pruneDisabled
    }
}
