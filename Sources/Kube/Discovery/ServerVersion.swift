import Manifests

/// What the API server's `/version` says: the Kubernetes version it runs.
public struct ServerVersion: Sendable, Hashable {
    /// `major`, e.g. `1`.
    public var major: String
    /// `minor`, e.g. `32` (some providers append `+`).
    public var minor: String
    /// `gitVersion`, e.g. `v1.32.0+k3s1`.
    public var gitVersion: String

    /// Creates a version.
    public init(major: String, minor: String, gitVersion: String) {
        self.major = major
        self.minor = minor
        self.gitVersion = gitVersion
    }

    /// Reads a `/version` reply.
    public init(json value: JSONValue) {
        self.init(
            major: value["major"]?.stringValue ?? "", minor: value["minor"]?.stringValue ?? "", gitVersion: value["gitVersion"]?.stringValue ?? "")
    }
}
