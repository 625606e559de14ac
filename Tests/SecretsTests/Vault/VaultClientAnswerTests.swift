import Foundation
import KeelsonTesting
import Manifests
import Secrets
import Testing

/// How `VaultClient` reads answers that are not a plain success, from a loopback server that
/// answers as an ingress, a wrong address or a broken proxy would: only Vault's own JSON says
/// a secret is missing.
@Suite struct VaultClientAnswerTests {
    /// One scripted answer to a KV v2 read, and the error code it must give.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int
        var body: String
        var code: VaultError.Code
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // An ingress's HTML 404 is not Vault saying the secret is missing.
        Case(name: "HTML 404", status: 404, body: "<html><body><h1>404 Not Found</h1>nginx</body></html>", code: .status),
        // A 404 with an empty body is not Vault's answer either.
        Case(name: "empty 404", status: 404, body: "", code: .status),
        // JSON that is not Vault's error shape (another API) is not a missing secret.
        Case(name: "foreign JSON 404", status: 404, body: #"{"message":"route not found"}"#, code: .status),
        // Vault's own answer for a missing secret: an empty errors list.
        Case(name: "Vault 404", status: 404, body: #"{"errors":[]}"#, code: .notFound),
        // A path with no mount behind it is a wrong configuration, not a missing secret.
        Case(
            name: "no handler 404", status: 404, body: #"{"errors":["no handler for route \"nomount/data/db\". route entry not found."]}"#,
            code: .status),
        // A success with no body, or no data object, is a broken answer, not a missing secret.
        Case(name: "empty 200", status: 200, body: "", code: .malformedResponse),
        Case(name: "object 200 without data", status: 200, body: "{}", code: .malformedResponse),
        Case(name: "array 200", status: 200, body: "[]", code: .malformedResponse),
        Case(
            name: "data null 200 without deletion", status: 200, body: #"{"data":{"data":null,"metadata":{"version":1}}}"#, code: .malformedResponse),
        // A server answering a deleted version with 200 and its metadata still says not found.
        Case(
            name: "deleted version 200", status: 200,
            body: #"{"data":{"data":null,"metadata":{"version":2,"deletion_time":"2026-01-01T00:00:00Z","destroyed":false}}}"#, code: .notFound),
    ]

    @Test(arguments: cases)
    func kvReadClassifiesTheAnswer(_ answer: Case) async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/v1/secret", statuses: [answer.status], body: answer.body, headers: ["Content-Type": "text/html"])
            let vault = try VaultClient(.init(address: receiver.url, auth: .token("hvs.CANARY-answer-token")))
            do {
                _ = try await vault.readKV(mount: "secret", path: "apps/db")
                Issue.record("\(answer.name) read as a secret")
            } catch let error as VaultError {
                #expect(error.code == answer.code, "\(error)")
                #expect(!error.description.contains("CANARY"))
            }
            #expect(await receiver.requests(path: "/v1/secret/data/apps/db").count == 1)
        }
    }

    // A listing behind an HTML 404 fails instead of listing nothing; Vault's own 404 lists nothing.
    @Test func listingBehindAnIngressFails() async throws {
        try await HTTPReceiver.withRunning { receiver in
            let vault = try VaultClient(.init(address: receiver.url, auth: .token("hvs.answer-token")))
            receiver.script("/v1/secret", statuses: [404], body: "<html>404 page not found</html>")
            await #expect(throws: VaultError.self) { _ = try await vault.listKV(mount: "secret", path: "apps") }
            receiver.script("/v1/secret", statuses: [404], body: #"{"errors":[]}"#)
            #expect(try await vault.listKV(mount: "secret", path: "apps").isEmpty)
        }
    }
}
