import ExternalSecrets
import Foundation
import Helm
import Testing

/// Templates with ESO's engine v2 functions, missing keys as errors, and masked values in errors.
@Suite struct SecretRendererTests {
    static func externalSecret(_ template: SecretTemplate) -> ExternalSecret {
        var target = Target()
        target.template = template
        return ExternalSecret(api: .keelson, namespace: "ns", name: "es", storeRef: .init(name: "s"), target: target)
    }

    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    @Test func sprigAndSerializationFunctions() throws {
        var template = SecretTemplate()
        template.data = [
            "b64": "{{ .user | b64enc }}", "json": #"{{ dict "u" .user | toJson }}"#, "from": #"{{ (.doc | fromJson).port }}"#,
            "upper": "{{ .user | upper }}", "yaml": #"{{ dict "a" "b" | toYaml }}"#,
        ]
        let rendered = try SecretRenderer.render(
            Self.externalSecret(template), values: ["user": Array("admin".utf8), "doc": Array(#"{"port":5432}"#.utf8)])
        #expect(Self.text(rendered.data["b64"]) == "YWRtaW4=")
        #expect(Self.text(rendered.data["json"]) == #"{"u":"admin"}"#)
        #expect(Self.text(rendered.data["from"]) == "5432")
        #expect(Self.text(rendered.data["upper"]) == "ADMIN")
        #expect(Self.text(rendered.data["yaml"]) == "a: b")
        #expect(rendered.data["user"] == nil, "mergePolicy Replace keeps only the template's keys")
    }

    @Test func missingKeyIsAnError() {
        var template = SecretTemplate()
        template.data = ["x": "{{ .absent }}"]
        let error = #expect(throws: SecretRenderError.self) { try SecretRenderer.render(Self.externalSecret(template), values: [:]) }
        #expect(error?.field == "spec.target.template.data.x")
    }

    @Test func valuesQuotedByAnErrorAreMasked() {
        var template = SecretTemplate()
        template.data = ["x": #"{{ mustToDate "2006-01-02" .token }}"#]
        let error = #expect(throws: SecretRenderError.self) {
            try SecretRenderer.render(Self.externalSecret(template), values: ["token": Array("hunter2-secret".utf8)])
        }
        #expect(error?.message.contains("hunter2-secret") == false)
        #expect(error?.message.contains("calling mustToDate failed") == true, "\(error?.message ?? "")")
    }

    /// Templates that would allocate without bound or backtrack for ever are refused, quickly.
    @Test(arguments: [
        // One call asking for 80 GB.
        #"{{ repeat 10000000000 "xxxxxxxx" }}"#,
        // Output grown by a loop past the cap.
        #"{{ range until 100000 }}{{ repeat 1000 "x" }}{{ end }}"#,
        // A list too long to build.
        #"{{ until 1000000000 | len }}"#,
        // A printf width of a gigabyte.
        #"{{ printf "%01000000000d" 1 }}"#,
        // Nested quantifiers on a long value: exponential backtracking.
        #"{{ regexMatch "(a+)+$" .long }}"#,
        // Doubling a variable until it is huge.
        #"{{ $x := .long }}{{ range until 40 }}{{ $x = cat $x $x }}{{ end }}{{ len $x }}"#,
    ])
    func bombsAreRefused(_ text: String) {
        var template = SecretTemplate()
        template.data = ["x": text]
        let started = ContinuousClock.now
        let error = #expect(throws: SecretRenderError.self) {
            try SecretRenderer.render(Self.externalSecret(template), values: ["long": Array((String(repeating: "a", count: 5000) + "!").utf8)])
        }
        #expect(error?.field == "spec.target.template.data.x")
        #expect(ContinuousClock.now - started < .seconds(10), "refused before it ran away")
    }

    /// A function's error may quote the value transformed (upper-cased, base64-encoded, in a host
    /// name); only the function and the place are reported.
    @Test(arguments: [
        #"{{ getHostByName (.password | b64enc) }}"#, #"{{ fail (.password | upper) }}"#, #"{{ mustRegexMatch (.password | upper) "x" }}"#,
        #"{{ mustToDate "2006-01-02" (.password | upper) }}"#,
    ])
    func transformedValuesNeverReachTheError(_ text: String) {
        let password = "hunter2-secret("
        var template = SecretTemplate()
        template.data = ["x": text]
        let error = #expect(throws: SecretRenderError.self) {
            try SecretRenderer.render(Self.externalSecret(template), values: ["password": Array(password.utf8)])
        }
        let message = error?.description ?? ""
        for form in [password, password.uppercased(), Data(password.utf8).base64EncodedString(), "HUNTER2"] {
            #expect(!message.contains(form), "\(message)")
        }
        #expect(message.contains("spec.target.template.data.x"))
    }

    /// Patterns Swift's backtracking engine could run for ever are refused; ordinary ones pass.
    @Test func tenantRegexRefusesRunawayShapes() {
        for pattern in ["(a+)+$", "(a*)*b", "(\\w+\\s?)+$", "(a)\\1", String(repeating: "a", count: 300)] {
            #expect(TenantRegex.refusal(pattern) != nil, "\(pattern)")
        }
        for pattern in ["^app-", "^prod/(db|cache)-[0-9]+$", "(a+)?b", "[(+)]+", "^(?:team)-x{1,3}$"] {
            #expect(TenantRegex.refusal(pattern) == nil, "\(pattern)")
        }
    }

    /// Every failure in a row doubles the wait, up to the maximum.
    @Test func retriesBackOff() {
        let delays = (1...7).map { RefreshSchedule.retryDelay(base: .seconds(30), failures: $0, maximum: .seconds(600)) }
        #expect(delays == [.seconds(30), .seconds(60), .seconds(120), .seconds(240), .seconds(480), .seconds(600), .seconds(600)])
        #expect(RefreshSchedule.retryDelay(base: .seconds(900), failures: 3, maximum: .seconds(600)) == .seconds(900))
    }
}
