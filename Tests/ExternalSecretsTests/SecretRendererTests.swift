import ExternalSecrets
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
        #expect(error?.message.contains("***") == true)
    }
}
