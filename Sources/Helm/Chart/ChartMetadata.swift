import GoTemplate

/// The contents of a `Chart.yaml` (and, for apiVersion v1 charts, `requirements.yaml`'s
/// dependencies), as Helm's `chart.Metadata` models it.
public struct ChartMetadata: Sendable, Hashable {
    /// `apiVersion`: `v1` or `v2` (`v1` when missing, as Helm assumes).
    public var apiVersion: String = ""
    /// `name`.
    public var name: String = ""
    /// `home`.
    public var home: String = ""
    /// `sources`.
    public var sources: [String] = []
    /// `version`.
    public var version: String = ""
    /// `description`.
    public var description: String = ""
    /// `keywords`.
    public var keywords: [String] = []
    /// `maintainers`.
    public var maintainers: [Maintainer] = []
    /// `icon`.
    public var icon: String = ""
    /// `condition`.
    public var condition: String = ""
    /// `tags`.
    public var tags: String = ""
    /// `appVersion`.
    public var appVersion: String = ""
    /// `deprecated`.
    public var deprecated: Bool = false
    /// `annotations`.
    public var annotations: [String: String] = [:]
    /// `kubeVersion`: a semver constraint on the target Kubernetes version.
    public var kubeVersion: String = ""
    /// `dependencies`.
    public var dependencies: [ChartDependency] = []
    /// `type`: empty, `application` or `library`.
    public var type: String = ""

    /// Creates empty metadata.
    public init() {}

    /// A maintainer entry.
    public struct Maintainer: Sendable, Hashable {
        /// `name`.
        public var name: String = ""
        /// `email`.
        public var email: String = ""
        /// `url`.
        public var url: String = ""
    }

    /// Whether the chart is a library chart (only definitions, never rendered output).
    public var isLibrary: Bool { type == "library" }
}

/// One entry of `dependencies:` in `Chart.yaml` (or `requirements.yaml`).
public struct ChartDependency: Sendable, Hashable {
    /// `name`: the subchart's chart name (replaced by the alias once dependencies are processed).
    public var name: String = ""
    /// `version`: a semver range the subchart's version must satisfy.
    public var version: String = ""
    /// `repository`.
    public var repository: String = ""
    /// `condition`: comma-separated value paths; the first that resolves to a bool decides.
    public var condition: String = ""
    /// `tags`.
    public var tags: [String] = []
    /// `enabled`.
    public var enabled: Bool = false
    /// `import-values`: strings (`child` under `exports.`) or `{child, parent}` maps.
    public var importValues: [Value] = []
    /// `alias`.
    public var alias: String = ""

    /// Creates an empty dependency.
    public init() {}

    public static func == (a: ChartDependency, b: ChartDependency) -> Bool {
        (a.name, a.version, a.repository, a.condition) == (b.name, b.version, b.repository, b.condition)
            && (a.tags, a.enabled, a.alias) == (b.tags, b.enabled, b.alias) && a.importValues.count == b.importValues.count
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(alias)
    }
}

/// `Chart.lock` (or `requirements.lock`).
public struct ChartLock: Sendable, Hashable {
    /// `generated`, as written.
    public var generated: String = ""
    /// `digest`.
    public var digest: String = ""
    /// `dependencies`.
    public var dependencies: [ChartDependency] = []
}
