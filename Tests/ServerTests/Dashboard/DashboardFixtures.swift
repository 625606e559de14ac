import Foundation
import Manifests
import Render
import Testing

@testable import Server

/// API answers as the server sends them, for rendering tests; and a backend serving them.
enum DashboardFixtures {
    /// A value that must never appear in a page: the plain text of a Secret's data.
    static let canary = "canary-s3cr3t-7f1d9b"
    /// Text an attacker could put into a commit message or a health message.
    static let hostile = "<script>alert('x')</script>\"&"

    static let guestbookRevision = "3f2a9c1d0e5b4a6978877665544332211ffeedd0"
    static let olderRevision = "aa11bb22cc33dd44ee55ff66778899aabbccddee"

    static func summary(
        name: String, namespace: String = "keelson", sync: String, health: String,
        suspended: Bool = false, pinned: Bool = false, message: String = ""
    ) -> JSONValue {
        [
            "name": .string(name), "namespace": .string(namespace), "repoURL": "https://git.example/team/apps.git",
            "path": .string("apps/\(name)"), "targetRevision": "main", "destinationNamespace": .string(name),
            "automated": true, "selfHeal": false, "prune": true, "suspended": .bool(suspended),
            "sync": ["status": .string(sync), "revision": .string(guestbookRevision)],
            "health": ["status": .string(health), "message": .string(message)],
            "latestRevision": .string(guestbookRevision),
            "pinned": pinned ? ["historyID": 1, "revision": .string(olderRevision)] : .null,
            "conditions": [["type": "SyncError", "status": "True", "reason": "ApplyFailed", "message": .string(hostile)]],
            "lastSync": [
                "initiator": "automated", "revision": .string(guestbookRevision), "result": "Succeeded",
                "summary": "2 applied", "message": "", "finishedAt": "2026-11-27T00:00:00Z",
            ],
        ]
    }

    static let list: JSONValue = [
        "items": [
            summary(name: "guestbook", sync: "OutOfSync", health: "Degraded", pinned: true, message: hostile),
            summary(name: "frozen", namespace: "team-b", sync: "Synced", health: "Healthy", suspended: true),
        ]
    ]

    static var application: JSONValue {
        guard case .object(var object) = summary(name: "guestbook", sync: "OutOfSync", health: "Degraded", message: hostile) else { return .null }
        object["drift"] = ["ConfigMap/guestbook/settings"]
        object["inventory"] = ["/ConfigMap guestbook/settings", "apps/Deployment guestbook/web"]
        return .object(object)
    }

    static let resources: JSONValue = [
        "items": [
            [
                "group": "apps", "version": "v1", "kind": "Deployment", "namespace": "guestbook", "name": "web",
                "health": ["status": "Progressing", "message": "1 of 2 replicas ready"], "sync": "Synced", "fields": [],
            ],
            [
                "group": "", "version": "v1", "kind": "ConfigMap", "namespace": "guestbook", "name": "settings",
                "health": ["status": "Healthy", "message": ""], "sync": "OutOfSync", "fields": [".data.color"],
            ],
            [
                "group": "", "version": "v1", "kind": "Secret", "namespace": "guestbook", "name": "db",
                "health": ["status": "Healthy", "message": ""], "sync": "OutOfSync", "fields": [".data.password"],
            ],
        ]
    ]

    /// The diff items the API builds: both sides masked with one `SecretMasker`, then diffed.
    static func diff() throws -> JSONValue {
        func secret(_ password: String) throws -> Manifest {
            try Manifest([
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "guestbook"],
                "data": ["password": .string(password)],
            ])
        }
        var masker = SecretMasker()
        let live = masker.mask(try secret(Data("old-\(canary)".utf8).base64EncodedString()))
        let desired = masker.mask(try secret(Data(canary.utf8).base64EncodedString()))
        let unified = LineDiff.unified(
            old: YAMLEncoder.encode(live.value), new: YAMLEncoder.encode(desired.value), oldName: "live", newName: "desired")
        return [
            "items": [
                [
                    "group": "", "version": "v1", "kind": "ConfigMap", "namespace": "guestbook", "name": "settings", "sync": "OutOfSync",
                    "live": .null, "desired": .null,
                    "diff": "--- live\n+++ desired\n@@ -1,3 +1,3 @@\n data:\n-  color: blue\n+  color: green\n",
                ],
                [
                    "group": "", "version": "v1", "kind": "Secret", "namespace": "guestbook", "name": "db", "sync": "OutOfSync",
                    "live": live.value, "desired": desired.value, "diff": .string(unified),
                ],
            ]
        ]
    }

    static let history: JSONValue = [
        "items": [
            [
                "id": 1, "revision": .string(olderRevision), "deployedAt": "2026-11-26T20:00:00Z", "initiator": "automated",
                "result": "Succeeded", "digest": "abc", "message": .string(hostile),
            ],
            [
                "id": 2, "revision": .string(guestbookRevision), "deployedAt": "2026-11-26T23:00:00Z", "initiator": "manual",
                "result": "Succeeded", "digest": "def", "message": "",
            ],
        ],
        "pinned": .null,
    ]

    static let viewer = Principal(name: "alice", role: .viewer)
    static let operatorAll = Principal(name: "ops", role: .operator)
    static func operatorScoped(to glob: String) throws -> Principal {
        Principal(name: "scoped", role: .operator, applications: [try #require(ApplicationGlob(glob))])
    }
}

/// The dashboard's backend over the fixtures: tokens `viewer-token` and `operator-token`, whose
/// sign-ins start the sessions `viewer-session` and `operator-session`.
struct FixtureBackend: DashboardBackend {
    func signIn(token: String, client: String) async throws(DashboardFetchError) -> DashboardSession {
        switch token {
        case "viewer-token": return DashboardSession(id: "viewer-session", principal: DashboardFixtures.viewer)
        case "operator-token": return DashboardSession(id: "operator-session", principal: DashboardFixtures.operatorAll)
        default: throw DashboardFetchError(status: 401, reason: "Unauthorized", message: "the token is not valid")
        }
    }

    func principal(session: String, client: String) async -> Principal? {
        switch session {
        case "viewer-session": DashboardFixtures.viewer
        case "operator-session": DashboardFixtures.operatorAll
        default: nil
        }
    }

    func signOut(session: String, client: String) async {}

    func fetch(_ query: DashboardQuery, as principal: Principal) async throws(DashboardFetchError) -> JSONValue {
        let known = ApplicationReference(namespace: "keelson", name: "guestbook")
        switch query {
        case .applications(let filter):
            let items = (DashboardFixtures.list["items"]?.arrayValue ?? []).filter { item in
                (filter.sync.isEmpty || item["sync"]?["status"]?.stringValue == filter.sync)
                    && (filter.text.isEmpty || (item["name"]?.stringValue ?? "").contains(filter.text))
            }
            return ["items": .array(items)]
        case .application(let app) where app == known: return DashboardFixtures.application
        case .resources(let app) where app == known: return DashboardFixtures.resources
        case .diff(let app) where app == known:
            do { return try DashboardFixtures.diff() } catch { throw DashboardFetchError(status: 500, reason: "Internal", message: "\(error)") }
        case .history(let app) where app == known: return DashboardFixtures.history
        default: throw DashboardFetchError(status: 404, reason: "NotFound", message: "application \(query.path) not found")
        }
    }
}
