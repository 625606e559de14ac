import GoTemplate

/// `.Release`: the release a chart is rendered for. In Helm 4 templates see it as a map.
public struct ReleaseInfo: Sendable, Hashable {
    /// The release name.
    public var name: String
    /// The namespace objects without one go to.
    public var namespace: String
    /// Whether this render upgrades an installed release (`.Release.IsUpgrade`).
    public var isUpgrade: Bool
    /// The release revision (1 for an install).
    public var revision: Int

    /// Creates release information.
    public init(name: String, namespace: String = "default", isUpgrade: Bool = false, revision: Int = 1) {
        self.name = name
        self.namespace = namespace
        self.isUpgrade = isUpgrade
        self.revision = revision
    }

    /// The map templates see.
    public var value: Value {
        .map([
            "Name": .string(name), "Namespace": .string(namespace), "IsInstall": .bool(!isUpgrade), "IsUpgrade": .bool(isUpgrade),
            "Revision": .int(revision), "Service": .string("Helm"),
        ])
    }
}
