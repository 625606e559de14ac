import Manifests

/// Options for `list` and `watch`.
public struct ListOptions: Sendable, Hashable {
    /// Only objects whose labels match.
    public var labelSelector: LabelSelector?
    /// Only objects whose fields match.
    public var fieldSelector: FieldSelector?
    /// The most items in one page; `nil` for the server's default (everything).
    public var limit: Int?
    /// The continue token of the previous page.
    public var continueToken: String?
    /// List at or watch from this resourceVersion.
    public var resourceVersion: String?
    /// Ask the server to end the request after this many seconds.
    public var timeoutSeconds: Int?

    /// Creates options.
    public init(
        labelSelector: LabelSelector? = nil, fieldSelector: FieldSelector? = nil, limit: Int? = nil,
        continueToken: String? = nil, resourceVersion: String? = nil, timeoutSeconds: Int? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.timeoutSeconds = timeoutSeconds
    }

    /// The query items, in a fixed order.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.requirements.isEmpty { items.append(("labelSelector", labelSelector.description)) }
        if let fieldSelector, !fieldSelector.terms.isEmpty { items.append(("fieldSelector", fieldSelector.description)) }
        if let limit { items.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(("continue", continueToken)) }
        if let resourceVersion, !resourceVersion.isEmpty { items.append(("resourceVersion", resourceVersion)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        return items
    }
}

/// Options for create, update, merge patch and status updates.
public struct WriteOptions: Sendable, Hashable {
    /// Validate and admit the write without persisting it (`dryRun=All`).
    public var dryRun: Bool
    /// The field manager to record, if any.
    public var fieldManager: String?

    /// Creates options.
    public init(dryRun: Bool = false, fieldManager: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
    }

    /// The query items.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldManager, !fieldManager.isEmpty { items.append(("fieldManager", fieldManager)) }
        return items
    }
}

/// Options for server-side apply.
public struct ApplyOptions: Sendable, Hashable {
    /// The field manager that owns the applied fields.
    public var fieldManager: String
    /// Take ownership of fields other managers own instead of failing with a conflict.
    public var force: Bool
    /// Validate and admit without persisting (`dryRun=All`).
    public var dryRun: Bool

    /// Creates options.
    public init(fieldManager: String, force: Bool = false, dryRun: Bool = false) {
        self.fieldManager = fieldManager
        self.force = force
        self.dryRun = dryRun
    }

    /// The query items.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        items.append(("fieldManager", fieldManager))
        if force { items.append(("force", "true")) }
        return items
    }
}

/// How deleting an owner treats its dependents.
public enum PropagationPolicy: String, Sendable, Hashable {
    /// Delete dependents first, then the owner.
    case foreground = "Foreground"
    /// Delete the owner now and dependents in the background.
    case background = "Background"
    /// Leave dependents in place.
    case orphan = "Orphan"
}

/// Options for delete.
public struct DeleteOptions: Sendable, Hashable {
    /// How dependents are treated; `nil` for the server's default for the kind.
    public var propagationPolicy: PropagationPolicy?
    /// Seconds before the object is deleted; `nil` for the kind's default.
    public var gracePeriodSeconds: Int?
    /// Delete only when the object still has this resourceVersion.
    public var preconditionResourceVersion: String?
    /// Validate without deleting (`dryRun=All`).
    public var dryRun: Bool

    /// Creates options.
    public init(
        propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int? = nil,
        preconditionResourceVersion: String? = nil, dryRun: Bool = false
    ) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionResourceVersion = preconditionResourceVersion
        self.dryRun = dryRun
    }

    /// The query items (propagation travels in the body and the query, as kubectl sends it).
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let propagationPolicy { items.append(("propagationPolicy", propagationPolicy.rawValue)) }
        if let gracePeriodSeconds { items.append(("gracePeriodSeconds", String(gracePeriodSeconds))) }
        return items
    }
}
