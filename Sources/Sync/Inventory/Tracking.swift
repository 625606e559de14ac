import Manifests

/// How Keelson marks the objects an application owns (DESIGN.md): a label naming the app and an
/// annotation naming app and object, which prune checks before deleting anything.
public enum Tracking {
    /// `app.keelson.dev/name: <app>`.
    public static let appLabel = "app.keelson.dev/name"
    /// `keelson.dev/tracking-id: <app>:<group>/<kind>:<namespace>/<name>`.
    public static let trackingAnnotation = "keelson.dev/tracking-id"
    /// The field manager of every apply.
    public static let fieldManager = "keelson"

    /// The tracking id of `key` in `app`.
    public static func trackingID(app: String, key: ResourceKey) -> String {
        "\(app):\(key.group)/\(key.kind):\(key.namespace)/\(key.name)"
    }

    /// `manifest` with the label and annotation set for `app`.
    public static func stamp(_ manifest: Manifest, app: String) -> Manifest {
        var stamped = manifest
        stamped.setLabel(appLabel, app)
        stamped.setAnnotation(trackingAnnotation, trackingID(app: app, key: manifest.key))
        return stamped
    }

    /// Whether the live object's tracking id says `app` owns it, as `key`.
    public static func isOwned(_ live: Manifest, by app: String) -> Bool {
        live.annotations[trackingAnnotation] == trackingID(app: app, key: live.key)
    }
}
