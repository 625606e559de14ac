import Manifests
import Secrets

/// Whether the controller may write the Secret of a SealedSecret: the rule of Bitnami's
/// controller, kept apart from the I/O so each case is tested alone.
enum SecretOwnership: Equatable {
    /// No Secret of that name: create it.
    case create
    /// The Secret is this SealedSecret's (its controller owner reference), or annotated
    /// `sealedsecrets.bitnami.com/managed: "true"` (by an admin handing it over, or by this
    /// controller on a Secret it wrote without an owner reference): replace its data, metadata and type.
    case update
    /// Someone else's Secret: leave it alone and say so.
    case refuse

    /// The annotation that hands an existing Secret over to its SealedSecret.
    static let managedAnnotation = SealedSecretUnsealer.managedAnnotation

    static func decide(existing: Manifest?, ownerUID: String) -> SecretOwnership {
        guard let existing else { return .create }
        if existing.annotations[managedAnnotation] == "true" { return .update }
        let owners = existing.metadata["ownerReferences"]?.arrayValue ?? []
        let controlled = owners.contains { owner in
            owner["controller"]?.boolValue == true && owner["uid"]?.stringValue == ownerUID && owner["kind"]?.stringValue == "SealedSecret"
        }
        return controlled ? .update : .refuse
    }
}
