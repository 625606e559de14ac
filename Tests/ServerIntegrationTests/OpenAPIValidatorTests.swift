import Testing

/// The validator the integration tests rely on rejects responses that break docs/openapi.yaml,
/// so a passing integration test means the responses really match.
@Suite struct OpenAPIValidatorTests {
    static func record(_ method: String, _ path: String, _ status: Int, _ body: String, contentType: String = "application/json") -> String {
        let escaped = body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(
            of: "\n", with: "\\n")
        return #"{"method":"\#(method)","path":"\#(path)","status":\#(status),"contentType":"\#(contentType)","body":"\#(escaped)"}"#
    }

    static let summary =
        #"{"name":"web","namespace":"keelson","repoURL":"r","path":"p","targetRevision":"main","destinationNamespace":"default","automated":true,"selfHeal":true,"prune":true,"suspended":false,"deleting":false,"sync":{"status":"Synced","revision":"abc"},"health":{"status":"Healthy","message":""},"latestRevision":"abc","pinned":null,"conditions":[],"lastSync":null,"delivery":null,"rollouts":[],"info":[{"name":"Owner","value":"team-a"}]}"#

    @Test func acceptsResponsesThatMatch() async throws {
        let records = [
            Self.record("GET", "/api/v1/applications", 200, #"{"items":[\#(Self.summary)]}"#),
            Self.record("POST", "/api/v1/applications/web/suspend", 200, Self.summary),
            Self.record(
                "POST", "/api/v1/applications/web/rollouts/shop/web/promote-full", 202,
                #"{"accepted":true,"application":"keelson/web","action":"promote-full","rollout":"shop/web"}"#),
            Self.record("GET", "/api/v1/applications/web/history", 404, #"{"error":{"code":404,"reason":"NotFound","message":"no"}}"#),
            Self.record("GET", "/api/v1/unknown", 404, #"{"error":{"code":404,"reason":"NotFound","message":"no"}}"#),
            Self.record(
                "GET", "/api/v1/events", 200,
                "id: 1\nevent: application\ndata: {\"sequence\":1,\"kind\":\"updated\",\"application\":\"a/b\",\"time\":\"t\",\"sync\":\"Synced\",\"health\":\"Healthy\",\"revision\":\"r\",\"message\":\"\"}\n\n",
                contentType: "text/event-stream"),
        ]
        let (status, output) = try await OpenAPIValidator.run(records)
        #expect(status == 0, "\(output)")
    }

    // Each case pins one way a response can be wrong.
    @Test(arguments: [
        // A summary without its health.
        record(
            "GET", "/api/v1/applications", 200,
            #"{"items":[\#(summary.replacingOccurrences(of: #""health":{"status":"Healthy","message":""},"#, with: ""))]}"#),
        // A sync status outside the vocabulary.
        record("POST", "/api/v1/applications/web/resume", 200, summary.replacingOccurrences(of: "\"Synced\"", with: "\"Fine\"")),
        // An error not in the error shape.
        record("GET", "/api/v1/applications/web", 404, #"{"message":"not found"}"#),
        // A status the operation does not document.
        record("GET", "/api/v1/me", 418, #"{"error":{"code":418,"reason":"Teapot","message":"x"}}"#),
        // A 200 on a path the API does not have.
        record("GET", "/api/v2/applications", 200, "{}"),
        // An accepted action that says it was not.
        record("POST", "/api/v1/applications/web/refresh", 202, #"{"accepted":false,"application":"keelson/web","action":"refresh"}"#),
        // A rollout action outside the vocabulary.
        record(
            "POST", "/api/v1/applications/web/rollouts/shop/web/promote", 202,
            #"{"accepted":true,"application":"keelson/web","action":"skip","rollout":"shop/web"}"#),
        // An event whose data lacks its sequence.
        record("GET", "/api/v1/events", 200, "event: application\ndata: {\"kind\":\"updated\"}\n\n", contentType: "text/event-stream"),
        // JSON where text was documented.
        record("GET", "/metrics", 200, "{}"),
    ])
    func rejectsResponsesThatDoNotMatch(_ record: String) async throws {
        let (status, output) = try await OpenAPIValidator.run([record])
        #expect(status == 1, "the validator accepted a wrong response: \(output)")
    }
}
