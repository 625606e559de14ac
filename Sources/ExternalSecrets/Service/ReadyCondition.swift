import Manifests

/// ESO's reasons for the `Ready` condition of ExternalSecrets and stores.
enum ReadyCondition {
    /// ExternalSecret: the Secret holds the store's values.
    static let synced = "SecretSynced"
    /// ExternalSecret: the last sync failed; the Secret is as it was.
    static let syncedError = "SecretSyncedError"
    /// ExternalSecret: the Secret was deleted by `deletionPolicy: Delete`.
    static let deleted = "SecretDeleted"
    /// Store: validated.
    static let storeValid = "Valid"
    /// Store: its provider spec cannot be used.
    static let invalidProviderConfig = "InvalidProviderConfig"
    /// Store: the provider refused or did not answer.
    static let validationFailed = "ValidationFailed"
}

extension StatusCondition {
    /// A `Ready` condition.
    static func ready(_ isTrue: Bool, _ reason: String, _ message: String) -> StatusCondition {
        StatusCondition(type: "Ready", isTrue: isTrue, reason: reason, message: message)
    }
}
