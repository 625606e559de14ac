import Manifests

extension Application {
    /// The finalizer that makes Keelson delete an Application's objects with it, as Argo CD's
    /// `resources-finalizer.argocd.argoproj.io` does: while it is on an Application marked for
    /// deletion, the controller deletes the objects of its inventory (prune's rules and order),
    /// waits until they are gone, and only then removes the finalizer. Without it, deleting an
    /// Application leaves its objects in the cluster.
    ///
    /// ```yaml
    /// metadata:
    ///   name: guestbook
    ///   finalizers: [keelson.dev/resources-finalizer]
    /// ```
    public static let resourcesFinalizer = "keelson.dev/resources-finalizer"
}

/// What the controller does with an Application, as far as its deletion goes: pure.
public enum DeletionDecision: Sendable, Hashable {
    /// Not marked for deletion: reconcile as usual.
    case reconcile
    /// Marked for deletion without Keelson's finalizer (another finalizer holds it): nothing is
    /// synced or deleted; its objects stay.
    case leave
    /// Marked for deletion with the finalizer while suspended: a suspended Application's
    /// objects are not touched (as Flux leaves a suspended Kustomization's), so the finalizer
    /// goes and the objects stay.
    case release
    /// Marked for deletion with the finalizer: delete its objects, then remove the finalizer.
    case deleteObjects

    /// The decision for the Application `object` (whose spec says `suspended` or not).
    public static func decide(_ object: Manifest, suspended: Bool) -> DeletionDecision {
        guard object.isMarkedForDeletion else { return .reconcile }
        guard object.finalizers.contains(Application.resourcesFinalizer) else { return .leave }
        return suspended ? .release : .deleteObjects
    }
}
