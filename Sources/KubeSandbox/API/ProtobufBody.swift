import Foundation
import Manifests

/// Decodes the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) of the few
/// kinds kubectl sends that way (`kubectl create configmap|secret|namespace`, `kubectl auth can-i [--list]`);
/// client-go does not fall back to JSON on 415 for protobuf, so refusing them breaks those commands.
///
/// The wire form is the magic `k8s\0` and a `runtime.Unknown` {1: typeMeta {1: apiVersion, 2: kind},
/// 2: raw}; `raw` is the typed message, read here through the field tables below.
enum ProtobufBody {
    /// The media type.
    static let contentType = "application/vnd.kubernetes.protobuf"

    /// How one protobuf field maps to a JSON field.
    enum FieldType {
        case string, bool
        case stringMap, bytesMapAsBase64
        case repeatedString
        case message([Int: (String, FieldType)])
    }

    /// `metav1.ObjectMeta`, the fields a create can carry.
    static let objectMeta: [Int: (String, FieldType)] = [
        1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string), 11: ("labels", .stringMap),
        12: ("annotations", .stringMap), 14: ("finalizers", .repeatedString),
    ]

    /// The message layouts by `apiVersion/kind`; policy is data.
    static let kinds: [String: [Int: (String, FieldType)]] = [
        "v1/ConfigMap": [
            1: ("metadata", .message(objectMeta)), 2: ("data", .stringMap), 3: ("binaryData", .bytesMapAsBase64), 4: ("immutable", .bool),
        ],
        "v1/Secret": [
            1: ("metadata", .message(objectMeta)), 2: ("data", .bytesMapAsBase64), 3: ("type", .string), 4: ("stringData", .stringMap),
            5: ("immutable", .bool),
        ],
        "v1/Namespace": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message([1: ("finalizers", .repeatedString)]))],
        // What `kubectl auth can-i` sends.
        "authorization.k8s.io/v1/SelfSubjectAccessReview": [
            1: ("metadata", .message(objectMeta)),
            2: (
                "spec",
                .message([
                    1: (
                        "resourceAttributes",
                        .message([
                            1: ("namespace", .string), 2: ("verb", .string), 3: ("group", .string), 4: ("version", .string),
                            5: ("resource", .string), 6: ("subresource", .string), 7: ("name", .string),
                        ])
                    ),
                    2: ("nonResourceAttributes", .message([1: ("path", .string), 2: ("verb", .string)])),
                ])
            ),
        ],
        // What `kubectl auth can-i --list` sends.
        "authorization.k8s.io/v1/SelfSubjectRulesReview": [
            1: ("metadata", .message(objectMeta)), 2: ("spec", .message([1: ("namespace", .string)])),
        ],
    ]

    /// The JSON object a protobuf body encodes; unsupported kinds and malformed bodies are refused.
    static func decode(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        guard bytes.starts(with: [0x6b, 0x38, 0x73, 0x00]) else { throw APIError(.badRequest, "protobuf body lacks the k8s envelope") }
        let unknown = try fields(bytes[4...])
        let typeMeta = try fields(unknown[1]?.last ?? [])
        let apiVersion = String(decoding: typeMeta[1]?.last ?? [], as: UTF8.self)
        let kind = String(decoding: typeMeta[2]?.last ?? [], as: UTF8.self)
        guard let layout = kinds["\(apiVersion)/\(kind)"] else {
            throw APIError(
                .unsupportedMediaType,
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
        }
        var object = try message(unknown[2]?.last ?? [], layout: layout)
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        return .object(object)
    }

    /// Reads a message with `layout`, keeping only the fields it names.
    static func message(_ bytes: ArraySlice<UInt8>, layout: [Int: (String, FieldType)]) throws(APIError) -> JSONObject {
        let raw = try fields(bytes)
        var object = JSONObject()
        for number in layout.keys.sorted() {
            guard let (name, type) = layout[number], let values = raw[number], let last = values.last else { continue }
            switch type {
            case .string: object[name] = .string(String(decoding: last, as: UTF8.self))
            case .bool: object[name] = .bool(varint(last) != 0)
            case .repeatedString: object[name] = .array(values.map { .string(String(decoding: $0, as: UTF8.self)) })
            case .stringMap, .bytesMapAsBase64:
                var map = JSONObject()
                for entry in values {
                    let pair = try fields(entry)
                    let key = String(decoding: pair[1]?.last ?? [], as: UTF8.self)
                    let value = pair[2]?.last ?? []
                    if case .stringMap = type {
                        map[key] = .string(String(decoding: value, as: UTF8.self))
                    } else {
                        map[key] = .string(Data(value).base64EncodedString())
                    }
                }
                object[name] = .object(map)
            case .message(let nested): object[name] = .object(try message(last, layout: nested))
            }
        }
        return object
    }

    /// The fields of one message: number → every occurrence's payload (varints as their bytes).
    static func fields(_ bytes: ArraySlice<UInt8>) throws(APIError) -> [Int: [ArraySlice<UInt8>]] {
        var result: [Int: [ArraySlice<UInt8>]] = [:]
        var index = bytes.startIndex
        func readVarint() throws(APIError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.endIndex, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            throw APIError(.badRequest, "protobuf body is truncated")
        }
        while index < bytes.endIndex {
            let tag = try readVarint()
            let number = Int(tag >> 3)
            let start = index
            switch tag & 7 {
            case 0: _ = try readVarint()
            case 1: index += 8
            case 5: index += 4
            case 2:
                let length = try readVarint()
                guard length <= UInt64(bytes.endIndex - index) else { throw APIError(.badRequest, "protobuf body is truncated") }
                let payloadStart = index
                index += Int(length)
                result[number, default: []].append(bytes[payloadStart..<index])
                continue
            default: throw APIError(.badRequest, "protobuf body uses an unsupported wire type")
            }
            guard index <= bytes.endIndex else { throw APIError(.badRequest, "protobuf body is truncated") }
            result[number, default: []].append(bytes[start..<index])
        }
        return result
    }

    /// A varint field's value from its bytes.
    static func varint(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for (offset, byte) in bytes.enumerated() where offset < 10 { value |= UInt64(byte & 0x7f) << (7 * UInt64(offset)) }
        return value
    }
}
