import Foundation
import Manifests
import Testing

@testable import KubeSandbox

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// kubectl's generator commands send protobuf bodies (client-go does not fall back to JSON on 415).
@Suite("kubectl generator commands (protobuf bodies)", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct GeneratorTests {
    @Test("create namespace, configmap and secret store what kubectl sent, with the server's defaults")
    func namespaceConfigMapSecret() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "namespace", "shop"])
            try await kubectl.ok(["create", "configmap", "cfg", "-n", "shop", "--from-literal=a=b", "--from-literal=c=d"])
            try await kubectl.ok(["create", "secret", "generic", "pw", "-n", "shop", "--from-literal=password=hunter2"])
            let namespace = try await kubectl.json(["get", "namespace", "shop"])
            #expect(namespace.string("status.phase") == "Active")
            #expect(namespace["metadata.labels"]?["kubernetes.io/metadata.name"]?.stringValue == "shop")
            let configMap = try await kubectl.json(["get", "configmap", "cfg", "-n", "shop"])
            #expect(configMap["data"] == ["a": "b", "c": "d"])
            #expect(configMap.string("metadata.uid")?.count == 36)
            let secret = try await kubectl.json(["get", "secret", "pw", "-n", "shop"])
            #expect(secret.string("data.password") == Data("hunter2".utf8).base64EncodedString())
            #expect(secret.string("type") == "Opaque")
        }
    }

    /// Every kind kubectl's generators send now has a table, so the body is sent by hand: a
    /// protobuf LimitRange, as client-go would encode one.
    @Test("a protobuf body of a kind without a table still gets 415 UnsupportedMediaType")
    func unsupportedKindIsRefused() async throws {
        try await withSandbox { _, endpoint in
            let body = ProtobufBodyTests.envelope(kind: "LimitRange", raw: [0x0a, 0x03, 0x0a, 0x01, 0x6c])
            var request = URLRequest(url: URL(string: endpoint.url + "/api/v1/namespaces/default/limitranges")!)
            request.httpMethod = "POST"
            request.httpBody = Data(body)
            request.setValue(ProtobufBody.contentType, forHTTPHeaderField: "Content-Type")
            let (data, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 415)
            let status = try JSONValueBox(String(decoding: data, as: UTF8.self))
            #expect(status.string("reason") == "UnsupportedMediaType")
            #expect(
                status.string("message")
                    == "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
        }
    }
}

/// The protobuf reader on hand-made bodies: what it refuses.
@Suite struct ProtobufBodyTests {
    /// `k8s\0` + Unknown{typeMeta{apiVersion "v1", kind}, raw}.
    static func envelope(kind: String, raw: [UInt8]) -> [UInt8] {
        func field(_ number: UInt8, _ payload: [UInt8]) -> [UInt8] { [number << 3 | 2, UInt8(payload.count)] + payload }
        let typeMeta = field(1, Array("v1".utf8)) + field(2, Array(kind.utf8))
        return [0x6b, 0x38, 0x73, 0x00] + field(1, typeMeta) + field(2, raw)
    }

    /// Each case pins one refusal: no envelope, a length past the end, a kind with no table.
    @Test(arguments: [
        ([0x7b, 0x7d] as [UInt8], 400),
        (envelope(kind: "ConfigMap", raw: []) + [0x12, 0x40], 400),
        (envelope(kind: "Deployment", raw: []), 415),
    ])
    func refusals(body: [UInt8], code: Int) throws {
        let error = try #require(throws: APIError.self) { try ProtobufBody.decode(body) }
        #expect(error.code.httpCode == code, "\(error)")
    }

    @Test func configMapFieldsAndUnknownFieldsSkipped() throws {
        func field(_ number: UInt8, _ payload: [UInt8]) -> [UInt8] { [number << 3 | 2, UInt8(payload.count)] + payload }
        let metadata = field(1, Array("cfg".utf8)) + field(3, Array("ns".utf8)) + [7 << 3, 0x05]  // generation: a varint field with no table entry
        let entry = field(1, Array("k".utf8)) + field(2, Array("v".utf8))
        let object = try ProtobufBody.decode(Self.envelope(kind: "ConfigMap", raw: field(1, metadata) + field(2, entry) + [4 << 3, 1]))
        #expect(object["metadata"] == ["name": "cfg", "namespace": "ns"])
        #expect(object["data"] == ["k": "v"])
        #expect(object["immutable"] == true)
        #expect(object["kind"] == "ConfigMap")
    }
}
