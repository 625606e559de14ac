import Foundation
import Manifests
import Testing

@testable import KubeSandbox

/// The protobuf reader on a hand-made message that uses every `FieldType`.
@Suite struct ProtobufFieldTypeTests {
    /// A varint's wire bytes.
    func varint(_ value: UInt64) -> [UInt8] { ProtobufBody.varintBytes(value) }
    /// A varint field.
    func number(_ field: UInt64, _ value: UInt64) -> [UInt8] { varint(field << 3) + varint(value) }
    /// A length-delimited field.
    func bytes(_ field: UInt64, _ payload: [UInt8]) -> [UInt8] { varint(field << 3 | 2) + varint(UInt64(payload.count)) + payload }
    /// A string field.
    func text(_ field: UInt64, _ value: String) -> [UInt8] { bytes(field, Array(value.utf8)) }
    /// A map entry {1: key, 2: value}.
    func entry(_ field: UInt64, _ key: String, _ value: [UInt8]) -> [UInt8] { bytes(field, text(1, key) + bytes(2, value)) }

    static let layout: ProtobufBody.Layout = [
        1: ("name", .string), 2: ("blob", .bytes), 3: ("enabled", .bool), 4: ("count", .int32), 5: ("big", .int64),
        6: ("port", .intOrString), 7: ("percent", .intOrString), 8: ("memory", .quantity),
        9: ("child", .message([1: ("name", .string)])), 10: ("", .inline([1: ("host", .string)])),
        11: ("tags", .list(.string)), 12: ("items", .list(.message([1: ("key", .keepZero(.string))]))),
        13: ("numbers", .list(.int32)), 14: ("labels", .map(.string)), 15: ("limits", .map(.quantity)),
        16: ("replicas", .keepZero(.int32)), 17: ("verbs", .keepZero(.list(.string))), 18: ("omitted", .string),
        19: ("off", .bool), 20: ("unset", .keepZero(.int64)), 21: ("created", .time), 22: ("zeroTime", .time),
    ]

    @Test("every field type reads as Go writes the same value in JSON")
    func everyFieldType() throws {
        var body: [UInt8] = []
        body += text(1, "web") + bytes(2, [0, 1, 2]) + number(3, 1)
        body += number(4, UInt64(bitPattern: -5)) + number(5, 1 << 40)
        body += bytes(6, number(1, 0) + number(2, 8080) + text(3, ""))
        body += bytes(7, number(1, 1) + number(2, 0) + text(3, "25%"))
        body += bytes(8, text(1, "512Mi"))
        body += bytes(9, text(1, "inner")) + bytes(10, text(1, "example.com"))
        body += text(11, "a") + text(11, "") + text(11, "b")
        body += bytes(12, text(1, "")) + bytes(12, text(1, "k"))
        body += bytes(13, varint(1) + varint(2)) + number(13, 3)  // packed, then one unpacked
        body += entry(14, "app", Array("web".utf8)) + entry(15, "cpu", text(1, "250m"))
        body += number(16, 0) + text(18, "") + number(19, 0)
        body += bytes(21, number(1, 1_700_000_000) + number(2, 5)) + bytes(22, [])
        body += number(99, 7) + text(98, "unknown")  // fields the layout does not name are skipped
        let object = try ProtobufBody.message(body[...], layout: Self.layout)
        let expected: JSONObject = [
            "name": "web", "blob": "AAEC", "enabled": true, "count": -5, "big": .int(Int64(1) << 40),
            "port": 8080, "percent": "25%", "memory": "512Mi", "child": ["name": "inner"], "host": "example.com",
            "tags": ["a", "", "b"], "items": [["key": ""], ["key": "k"]], "numbers": [1, 2, 3],
            "labels": ["app": "web"], "limits": ["cpu": "250m"], "replicas": 0, "verbs": .null,
            "created": "2023-11-14T22:13:20Z", "zeroTime": .null,
        ]
        #expect(object == expected)
    }

    @Test("a message field present but empty is an empty object, as Go writes a struct")
    func emptyMessage() throws {
        let object = try ProtobufBody.message(bytes(9, [])[...], layout: Self.layout)
        #expect(object == ["child": [:], "verbs": .null])
    }

    @Test("a varint where a string belongs is refused, not misread")
    func wrongWireType() throws {
        let error = try #require(throws: APIError.self) { try ProtobufBody.message(number(1, 5)[...], layout: Self.layout) }
        #expect(error.code == .badRequest)
    }

    @Test("a whole Deployment body decodes to the JSON kubectl would send")
    func deploymentEnvelope() throws {
        let metadata = text(1, "web") + text(2, "") + text(3, "") + number(7, 0) + bytes(8, []) + entry(11, "app", Array("web".utf8))
        let container = text(1, "nginx") + text(2, "nginx:1.27") + bytes(6, number(3, 80)) + bytes(8, []) + text(13, "") + number(16, 0)
        let template = bytes(1, entry(11, "app", Array("web".utf8))) + bytes(2, bytes(2, container) + text(3, ""))
        let spec = number(1, 2) + bytes(2, entry(1, "app", Array("web".utf8))) + bytes(3, template) + bytes(4, text(1, "")) + number(5, 0)
        let status = number(1, 0) + number(2, 0)
        let typeMeta = text(1, "apps/v1") + text(2, "Deployment")
        let envelope = [0x6b, 0x38, 0x73, 0x00] + bytes(1, typeMeta) + bytes(2, bytes(1, metadata) + bytes(2, spec) + bytes(3, status))
        let object = try ProtobufBody.decode(envelope)
        let expected: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "creationTimestamp": .null, "labels": ["app": "web"]],
            "spec": [
                "replicas": 2, "selector": ["matchLabels": ["app": "web"]], "strategy": [:],
                "template": [
                    "metadata": ["labels": ["app": "web"]],
                    "spec": ["containers": [["name": "nginx", "image": "nginx:1.27", "ports": [["containerPort": 80]], "resources": [:]]]],
                ],
            ],
        ]
        #expect(object == expected)
    }
}
