import Helm

/// Which Helm operation a chart render stands for, and the release revision it carries.
///
/// Keelson knows install from upgrade: an Application with no successful sync in its history
/// installs (pre-install and post-install hooks), every later sync upgrades (pre-upgrade and
/// post-upgrade hooks). While an operation runs the history does not change, so the operation
/// keeps the mode it started with.
///
/// `.Release.Revision` counts successful syncs, but a render of the source revision already
/// deployed carries the release number it was deployed with: the same revision renders the same
/// bytes, and a chart that prints `.Release.Revision` does not stay OutOfSync forever.
struct HelmReleasePlan: Sendable, Hashable {
    /// Whether this render installs (no successful sync yet) rather than upgrades.
    var isInstall: Bool
    /// `.Release.Revision`.
    var revision: Int

    /// The release for rendering `rendering` (a commit, or a chart version and digest) given the
    /// Application's sync history.
    static func plan(history: History, rendering: String) -> HelmReleasePlan {
        let succeeded = history.entries.filter { $0.result == "Succeeded" }
        guard let last = succeeded.last else { return HelmReleasePlan(isInstall: true, revision: 1) }
        // Entries written before charts recorded their release count as one release each.
        let live = last.release ?? succeeded.count
        return HelmReleasePlan(isInstall: false, revision: last.revision == rendering ? live : live + 1)
    }

    /// `.Release` for `app`: the release name (`helm.releaseName`, else the Application's name),
    /// the destination namespace, and `IsUpgrade` only when `helm.lookup` is on, since charts that
    /// read live state on upgrade `fail` without it.
    func info(for app: Application) -> ReleaseInfo {
        let helm = app.spec.source.helm ?? ApplicationSpec.HelmOptions()
        return ReleaseInfo(
            name: helm.releaseName ?? app.name, namespace: app.spec.destination.namespace, isUpgrade: !isInstall && helm.lookup, revision: revision)
    }
}
