import Manifests
import Testing

@testable import Kube

@Suite struct StatusTests {
    @Test func statusWithCausesIsDecoded() throws {
        let text = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
             "message":"Deployment.apps \\"web\\" is invalid: spec.replicas: Invalid value: -1",
             "reason":"Invalid","details":{"name":"web","group":"apps","kind":"Deployment",
             "causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1","field":"spec.replicas"}]},"code":422}
            """
        let status = try #require(APIStatus(JSONParser.parse(text)))
        #expect(status.code == 422 && status.reason == "Invalid" && status.kind == "Deployment" && status.group == "apps")
        #expect(status.causes == [APIStatus.Cause(reason: "FieldValueInvalid", message: "Invalid value: -1", field: "spec.replicas")])
        #expect(KubeError(status: status, resource: "Deployment/ns/web").isInvalid)
    }

    @Test func nonStatusIsNotAStatus() throws {
        #expect(APIStatus(try JSONParser.parse(#"{"kind":"Pod"}"#)) == nil)
    }

    typealias Predicate = @Sendable (KubeError) -> Bool
    static let predicates: [(String, Predicate)] = [
        ("NotFound", \.isNotFound), ("AlreadyExists", \.isAlreadyExists), ("Conflict", \.isConflict), ("Invalid", \.isInvalid),
        ("Forbidden", \.isForbidden), ("TooManyRequests", \.isTooManyRequests), ("Timeout", \.isTimeout), ("Gone", \.isGone),
    ]

    @Test(arguments: [
        // Each reason the server sends answers exactly one helper.
        (404, "NotFound", "NotFound"), (409, "AlreadyExists", "AlreadyExists"), (409, "Conflict", "Conflict"),
        (422, "Invalid", "Invalid"), (403, "Forbidden", "Forbidden"), (429, "TooManyRequests", "TooManyRequests"),
        (504, "Timeout", "Timeout"), (410, "Expired", "Gone"),
        // A bare HTTP code without a Status body is classified by client-go's table.
        (404, "", "NotFound"), (410, "", "Gone"), (429, "", "TooManyRequests"),
    ])
    func helpersTellReasonsApart(code: Int, reason: String, expected: String) {
        let status = reason.isEmpty ? APIStatus.fromHTTP(code: code, body: "") : APIStatus(code: code, reason: reason)
        let error = KubeError(status: status, resource: "x")
        let matching = Self.predicates.filter { $0.1(error) }.map(\.0)
        #expect(matching == [expected])
    }

    @Test func errorDescriptionNamesResourceReasonAndCode() {
        let error = KubeError(status: APIStatus(code: 404, reason: "NotFound", message: "configmaps \"x\" not found"), resource: "ConfigMap/ns/x")
        #expect(error.description == "ConfigMap/ns/x: configmaps \"x\" not found (NotFound, HTTP 404)")
    }
}
