import Kube
import Manifests

/// Which application a sync is for: its namespace and name. Two Applications with the same name
/// in two namespaces are two owners everywhere: inventory, tracking id, labels, events, metrics.
public struct AppIdentity: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The namespace Applications lived in before identities carried one; objects and
    /// inventories Keelson wrote then belong to the application of the same name here.
    public static let legacyNamespace = "keelson"

    /// `metadata.namespace` of the Application.
    public var namespace: String
    /// `metadata.name` of the Application.
    public var name: String

    /// Creates an identity.
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// Parses `namespace/name`, or a bare `name` in `defaultNamespace`.
    public init(parsing text: String, defaultNamespace: String = AppIdentity.legacyNamespace) {
        if let slash = text.firstIndex(of: "/") {
            self.init(namespace: String(text[..<slash]), name: String(text[text.index(after: slash)...]))
        } else {
            self.init(namespace: defaultNamespace, name: text)
        }
    }

    /// `"namespace/name"` or `"name"` (in the legacy namespace), for tests and examples.
    public init(stringLiteral value: String) { self.init(parsing: value) }

    /// `namespace/name`.
    public var description: String { "\(namespace)/\(name)" }

    public static func < (lhs: AppIdentity, rhs: AppIdentity) -> Bool { (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name) }
}

/// How Keelson marks the objects an application owns (DESIGN.md): labels naming the app and an
/// annotation naming app and object, which prune checks before deleting anything.
public enum Tracking {
    /// `app.keelson.dev/name: <app name>`.
    public static let appLabel = "app.keelson.dev/name"
    /// `app.keelson.dev/namespace: <app namespace>`.
    public static let appNamespaceLabel = "app.keelson.dev/namespace"
    /// `keelson.dev/tracking-id: <app namespace>/<app name>:<group>/<kind>:<namespace>/<name>`.
    public static let trackingAnnotation = "keelson.dev/tracking-id"
    /// The field manager of every apply.
    public static let fieldManager = "keelson"

    /// Who a live object's tracking id names.
    public enum Owner: Sendable, Hashable {
        /// An application, by namespace and name.
        case application(AppIdentity)
        /// A tracking id written before ids carried the namespace: `<app name>:...`.
        case legacy(name: String)

        /// The application this owner is, a legacy owner counting as the one in the legacy namespace.
        public var identity: AppIdentity {
            switch self {
            case .application(let id): id
            case .legacy(let name): AppIdentity(namespace: AppIdentity.legacyNamespace, name: name)
            }
        }
    }

    /// The tracking id of `key` in `app`.
    public static func trackingID(app: AppIdentity, key: ResourceKey) -> String {
        "\(app.namespace)/\(app.name):" + objectPart(key)
    }

    /// The tracking id a Keelson without namespaced identities wrote.
    static func legacyTrackingID(name: String, key: ResourceKey) -> String { "\(name):" + objectPart(key) }

    private static func objectPart(_ key: ResourceKey) -> String { "\(key.group)/\(key.kind):\(key.namespace)/\(key.name)" }

    /// `manifest` with the labels and annotation set for `app`.
    public static func stamp(_ manifest: Manifest, app: AppIdentity) -> Manifest {
        var stamped = manifest
        stamped.setLabel(appLabel, app.name)
        stamped.setLabel(appNamespaceLabel, app.namespace)
        stamped.setAnnotation(trackingAnnotation, trackingID(app: app, key: manifest.key))
        return stamped
    }

    /// The application the live object's tracking id names, or `nil` when it carries none.
    public static func owner(of live: Manifest) -> Owner? {
        guard let id = live.annotations[trackingAnnotation], let colon = id.firstIndex(of: ":") else { return nil }
        let app = id[..<colon]
        if let slash = app.firstIndex(of: "/") {
            return .application(AppIdentity(namespace: String(app[..<slash]), name: String(app[app.index(after: slash)...])))
        }
        return .legacy(name: String(app))
    }

    /// Whether the live object's tracking id says `app` owns it, as `key`. A legacy id counts
    /// for the application of that name in the legacy namespace only.
    public static func isOwned(_ live: Manifest, by app: AppIdentity) -> Bool {
        let id = live.annotations[trackingAnnotation]
        if id == trackingID(app: app, key: live.key) { return true }
        return app.namespace == AppIdentity.legacyNamespace && id == legacyTrackingID(name: app.name, key: live.key)
    }

    /// Whether the live object's tracking id names an application other than `app`.
    public static func isOwnedByAnother(_ live: Manifest, than app: AppIdentity) -> Bool {
        guard let owner = owner(of: live) else { return false }
        return owner.identity != app
    }

    /// The label selector of `app`'s objects (objects stamped before identities carried a
    /// namespace lack the namespace label and are read one by one instead).
    public static func selector(_ app: AppIdentity) -> LabelSelector {
        [.equals(appLabel, app.name), .equals(appNamespaceLabel, app.namespace)]
    }

    /// The application an object's labels name; an object without the namespace label belongs
    /// to the application in the legacy namespace.
    public static func labelledApplication(_ labels: [String: String]) -> AppIdentity? {
        guard let name = labels[appLabel] else { return nil }
        return AppIdentity(namespace: labels[appNamespaceLabel] ?? AppIdentity.legacyNamespace, name: name)
    }

    /// The application a selector made by `selector(_:)` asks for.
    public static func application(selectedBy selector: LabelSelector) -> AppIdentity? {
        guard selector.requirements.count == 2, case .equals(appLabel, let name) = selector.requirements[0],
            case .equals(appNamespaceLabel, let namespace) = selector.requirements[1]
        else { return nil }
        return AppIdentity(namespace: namespace, name: name)
    }
}
