import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import keelson

/// `keelson app`: its kubectl-like text from API replies, and its errors as a user meets them.
@Suite struct AppCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    let now = Date(timeIntervalSince1970: 1_795_735_200)  // 2026-11-26T23:20:00Z

    static func app(_ name: String, namespace: String = "keelson", sync: String, health: String, pinned: Bool = false, suspended: Bool = false)
        -> JSONValue
    {
        [
            "name": .string(name), "namespace": .string(namespace), "repoURL": "https://git.example/apps.git", "path": .string("apps/\(name)"),
            "targetRevision": "main", "destinationNamespace": "default", "automated": true, "selfHeal": true, "prune": false,
            "suspended": .bool(suspended), "sync": ["status": .string(sync), "revision": "3f2a9c1d0e5b4a6978877665544332211ffeedd0"],
            "health": ["status": .string(health), "message": "1 of 2 replicas\nready"], "latestRevision": "3f2a9c1d0e5b4a6978877665544332211ffeedd0",
            "pinned": pinned ? ["historyID": 3, "revision": "aa11bb22cc33dd44ee55ff66778899aabbccddee"] : .null,
            "conditions": [["type": "SyncError", "status": "True", "reason": "ApplyFailed", "message": "Deployment/default/web: invalid"]],
            "lastSync": [
                "initiator": "selfHeal", "revision": "3f2a9c1d0e5b4a6978877665544332211ffeedd0", "result": "Succeeded",
                "summary": "2 applied", "message": "", "finishedAt": "2026-11-26T23:15:00Z",
            ],
        ]
    }

    /// Columns are padded to the widest cell, three spaces apart, with no trailing blanks.
    @Test func tableAlignsColumns() {
        var table = TextTable(headers: ["NAME", "SYNC", "MESSAGE"])
        table.rows = [["a", "OutOfSync", ""], ["longer-name", "Synced", "two\nlines"]]
        #expect(
            table.render() == """
                NAME          SYNC        MESSAGE
                a             OutOfSync
                longer-name   Synced      two lines

                """)
    }

    /// `list`: one row per application; policy words say auto/self-heal, suspended and pins.
    @Test func listTable() {
        let reply: JSONValue = [
            "items": [
                Self.app("guestbook", sync: "OutOfSync", health: "Degraded", pinned: true),
                Self.app("api", namespace: "team-b", sync: "Synced", health: "Healthy", suspended: true),
            ]
        ]
        #expect(
            AppFormatter(now: now).list(reply) == """
                NAME        NAMESPACE   SYNC        HEALTH     DELIVERY   REVISION   POLICY                     LAST SYNC
                guestbook   keelson     OutOfSync   Degraded   -          3f2a9c1    auto,self-heal,pinned#3    Succeeded 5m ago
                api         team-b      Synced      Healthy    -          3f2a9c1    auto,self-heal,suspended   Succeeded 5m ago

                """)
        #expect(AppFormatter(now: now).list(["items": []]) == "No applications.\n")
    }

    /// `get`: aligned details, conditions and resources; multi-line messages stay on one line.
    @Test func detailView() {
        let resources: JSONValue = [
            "items": [
                [
                    "group": "apps", "version": "v1", "kind": "Deployment", "namespace": "default", "name": "web",
                    "health": ["status": "Progressing", "message": "1 of 2 replicas ready"], "sync": "Synced", "fields": [],
                ],
                [
                    "group": "", "version": "v1", "kind": "ConfigMap", "namespace": "default", "name": "settings",
                    "health": ["status": "Healthy", "message": ""], "sync": "OutOfSync", "fields": [".data.color"],
                ],
            ]
        ]
        let text = AppFormatter(now: now).detail(Self.app("guestbook", sync: "OutOfSync", health: "Degraded", pinned: true), resources: resources)
        #expect(text.hasPrefix("Name:        guestbook\nNamespace:   keelson\n"))
        #expect(text.contains("Health:      Degraded: 1 of 2 replicas ready\n"))
        #expect(text.contains("Pinned:      history #3 (aa11bb2)\n"))
        #expect(text.contains("Last sync:   Succeeded 5m ago by selfHeal at 3f2a9c1: 2 applied\n"))
        #expect(
            text.contains(
                "\nConditions:\nTYPE        STATUS   REASON        MESSAGE\nSyncError   True     ApplyFailed   Deployment/default/web: invalid\n"))
        #expect(text.contains("\nResources:\nKIND              NAMESPACE   NAME       SYNC        HEALTH        MESSAGE\n"))
        #expect(text.contains("Deployment.apps   default     web        Synced      Progressing   1 of 2 replicas ready\n"))
        #expect(text.contains("ConfigMap         default     settings   OutOfSync   Healthy\n"))
    }

    /// `history`: oldest first, ages, and a star on the pinned entry.
    @Test func historyTable() {
        let reply: JSONValue = [
            "items": [
                [
                    "id": 1, "revision": "aa11bb22cc33dd44ee55ff66778899aabbccddee", "deployedAt": "2026-11-26T20:20:00Z", "initiator": "automated",
                    "result": "Succeeded", "digest": "x", "message": "",
                ],
                [
                    "id": 2, "revision": "3f2a9c1d0e5b4a6978877665544332211ffeedd0", "deployedAt": "2026-11-26T23:19:00Z", "initiator": "manual",
                    "result": "Failed", "digest": "y", "message": "apply failed",
                ],
            ],
            "pinned": ["historyID": 1, "revision": "aa11bb22cc33dd44ee55ff66778899aabbccddee"],
        ]
        #expect(
            AppFormatter(now: now).history(reply) == """
                ID   REVISION   DEPLOYED   INITIATOR   RESULT      MESSAGE
                1*   aa11bb2    3h ago     automated   Succeeded
                2    3f2a9c1    60s ago    manual      Failed      apply failed
                * pinned: the controller keeps this revision until a newer commit arrives

                """)
    }

    /// `diff` and `sync --dry-run`: a header per object, then its (already masked) diff.
    @Test func diffAndPlan() {
        let item: JSONValue = [
            "group": "", "version": "v1", "kind": "ConfigMap", "namespace": "default", "name": "settings", "sync": "OutOfSync",
            "action": "update", "fields": [".data.color"], "diff": "--- live\n+++ desired\n-  color: blue\n+  color: green",
        ]
        let formatter = AppFormatter(now: now)
        #expect(formatter.diff([item]) == "=== ConfigMap/default/settings (OutOfSync)\n--- live\n+++ desired\n-  color: blue\n+  color: green\n")
        #expect(
            formatter.plan(["items": [item]]).hasPrefix(
                "ACTION   KIND        NAMESPACE   NAME       FIELDS\nupdate   ConfigMap   default     settings   .data.color\n\n=== "))
        #expect(formatter.plan(["items": []]) == "Nothing to do.\n")
    }

    /// HTTP errors become one line saying what to do.
    @Test(arguments: [
        (401, #"{"error":{"code":401,"reason":"Unauthorized","message":"the token is not valid"}}"#, "pass --token or set KEELSON_TOKEN"),
        (403, #"{"error":{"code":403,"reason":"Forbidden","message":"role viewer may not sync"}}"#, "forbidden (403): role viewer may not sync"),
        (404, #"{"error":{"code":404,"reason":"NotFound","message":"application x not found"}}"#, "not found (404): application x not found"),
        (409, #"{"error":{"code":409,"reason":"Ambiguous","message":"application x exists in namespaces a, b"}}"#, "; pass --namespace"),
        (500, "oops", "failed (500): no error message"),
    ])
    func httpErrors(status: Int, body: String, expected: String) {
        let error = APIClient.describe(status: status, reply: try? JSONParser.parse(body), method: .POST, path: "/api/v1/applications/x/sync")
        #expect(error.description.contains(expected), "\(error.description)")
    }

    /// A server that is not running: exit 1, one line on stderr, and the token never printed.
    @Test func connectionRefusedIsOneClearLine() async throws {
        let token = "tok-" + UUID().uuidString
        let result = try await ProcessRunner.run(
            keelson, ["app", "list", "--server", "http://127.0.0.1:9"], environment: ["KEELSON_TOKEN": token, "PATH": "/usr/bin:/bin"])
        #expect(result.status == 1)
        #expect(
            result.errorOutput.hasPrefix("keelson: cannot reach the Keelson server at http://127.0.0.1:9: connection refused"),
            "\(result.errorOutput)")
        #expect(result.errorOutput.split(separator: "\n").count == 1)
        #expect(!(result.output + result.errorOutput).contains(token))
        let diff = try await ProcessRunner.run(keelson, ["app", "diff", "guestbook", "--server", "http://127.0.0.1:9", "--token", token])
        #expect(diff.status == 2, "diff errors are 2, like kubectl diff")
        #expect(!(diff.output + diff.errorOutput).contains(token))
    }

    /// Bad arguments are usage errors (exit 2).
    @Test func usageErrors() async throws {
        for arguments in [
            ["app", "list", "--server", "ftp://x"], ["app", "rollback", "guestbook", "abc"], ["app", "get"], ["app", "list", "-o", "xml"],
        ] {
            let result = try await ProcessRunner.run(keelson, arguments)
            #expect(result.status == 2, "\(arguments): \(result.errorOutput)")
        }
    }
}
