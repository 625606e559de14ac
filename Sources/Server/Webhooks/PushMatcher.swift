import Controller
import GitSource

/// Which applications a push concerns: those whose normalised `repoURL` is the pushed
/// repository and whose `spec.source.revision` follows the pushed ref — a branch push matches
/// that branch; a tag push matches that tag (written `refs/tags/X` or plainly `X`) and every
/// semver-range revision. Commit revisions never move, so no push matches them.
public enum PushMatcher {
    /// The ids (`namespace/name`) of the applications in `views` that `push` concerns.
    public static func matching(_ push: PushEvent, _ views: [ApplicationView]) -> [String] {
        views.compactMap { view -> String? in
            guard let source = view.application?.spec.source else { return nil }
            guard push.repositories.contains(RepositoryURL.normalize(source.repoURL)) else { return nil }
            guard let revision = try? Revision.parse(source.revision) else { return nil }
            return follows(revision, push) ? view.id : nil
        }
    }

    static func follows(_ revision: Revision, _ push: PushEvent) -> Bool {
        switch revision {
        case .branch(let name): name == push.branch || name == push.tag
        case .tag(let name): name == push.tag
        case .semver: push.tag != nil
        case .commit: false
        }
    }
}
