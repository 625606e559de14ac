import GoTemplate

/// What Helm's `lookup` reads: the live objects of the destination cluster. Without one, `lookup`
/// returns an empty map, as `helm template` does.
public protocol LookupSource: Sendable {
    /// `lookup APIVERSION KIND NAMESPACE NAME`: one object as a map (`{}` when missing), or with an
    /// empty name a list object (`{"items": [...]}`); numbers as JSON numbers read by Go (float64).
    /// Throws when the read is not allowed or fails (the template fails with the message).
    func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value
}
