import Foundation
import Manifests

/// Decodes the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) of the kinds
/// kubectl sends that way: its typed `create` subcommands, `kubectl create token`, `kubectl
/// autoscale` and `kubectl auth can-i`. client-go does not fall back to JSON on 415 for protobuf,
/// so refusing them breaks those commands.
///
/// The wire form is the magic `k8s\0` and a `runtime.Unknown` {1: typeMeta {1: apiVersion, 2: kind},
/// 2: raw}; `raw` is the typed message, read through the field tables of `ProtobufBody+Kinds.swift`
/// (field numbers from Kubernetes' `generated.proto` files). The result is the object as the same
/// Go value would be written in JSON: zero values of `omitempty` fields are left out, fields the
/// tables do not name are skipped (as the API server's decoder skips unknown fields).
enum ProtobufBody {
    /// The media type.
    static let contentType = "application/vnd.kubernetes.protobuf"

    /// A message layout: protobuf field number → JSON field name and type.
    typealias Layout = [Int: (String, FieldType)]

    /// How one protobuf field maps to JSON.
    indirect enum FieldType: Sendable {
        /// A UTF-8 string.
        case string
        /// Bytes, written base64 as Go writes `[]byte`.
        case bytes
        /// A varint boolean.
        case bool
        /// A varint `int32`; negative values arrive sign-extended to 64 bits.
        case int32
        /// A varint `int64`.
        case int64
        /// `intstr.IntOrString` {1: type (0 int, 1 string), 2: intVal, 3: strVal}: a JSON number or string.
        case intOrString
        /// `resource.Quantity` {1: string}: the quantity's canonical string.
        case quantity
        /// `metav1.Time` {1: seconds, 2: nanos}: RFC 3339 text, and the zero time `null`, as Go
        /// writes it (so an embedded ObjectMeta carries `"creationTimestamp": null`).
        case time
        /// A nested message, written as a JSON object.
        case message(Layout)
        /// A nested message whose fields Go inlines into the parent (`json:",inline"`).
        case inline(Layout)
        /// A repeated field (packed varints accepted too).
        case list(FieldType)
        /// A `map<string, T>`: repeated entries {1: key, 2: value}.
        case map(FieldType)
        /// A field Go writes even when zero: a pointer (present means set) or a field without
        /// `omitempty` (an absent list or map is then `null`, as Go writes a nil slice).
        case keepZero(FieldType)
    }

    /// One occurrence of a field on the wire.
    struct WireValue {
        /// The wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
        var wireType: UInt64
        /// The payload: a varint's bytes, or a length-delimited field's contents.
        var payload: ArraySlice<UInt8>
    }

    /// The JSON object a protobuf body encodes; unsupported kinds and malformed bodies are refused.
    static func decode(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        guard bytes.starts(with: [0x6b, 0x38, 0x73, 0x00]) else { throw APIError(.badRequest, "protobuf body lacks the k8s envelope") }
        let unknown = try fields(bytes[4...])
        let typeMeta = try fields(unknown[1]?.last?.payload ?? [])
        let apiVersion = String(decoding: typeMeta[1]?.last?.payload ?? [], as: UTF8.self)
        let kind = String(decoding: typeMeta[2]?.last?.payload ?? [], as: UTF8.self)
        guard let layout = kinds["\(apiVersion)/\(kind)"] else { throw unsupported }
        var object = try message(unknown[2]?.last?.payload ?? [], layout: layout)
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        return .object(object)
    }

    /// What kube-apiserver answers for a body it cannot decode: the media types that this
    /// resource accepts. For a kind without a table, protobuf is not among them here.
    static let unsupported = APIError(
        .unsupportedMediaType, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")

    /// Reads a message with `layout`, keeping only the fields it names.
    static func message(_ bytes: ArraySlice<UInt8>, layout: Layout) throws(APIError) -> JSONObject {
        let raw = try fields(bytes)
        var object = JSONObject()
        for number in layout.keys.sorted() {
            guard let (name, type) = layout[number] else { continue }
            let values = raw[number] ?? []
            if case .inline(let nested) = type {
                guard let last = values.last else { continue }
                for (key, value) in try message(last.payload, layout: nested) { object[key] = value }
            } else if let value = try field(values, type: type, keepZero: false) {
                object[name] = value
            }
        }
        return object
    }

    /// The JSON of one field from all its occurrences, or nil when Go would leave it out.
    static func field(_ values: [WireValue], type: FieldType, keepZero: Bool) throws(APIError) -> JSONValue? {
        switch type {
        case .keepZero(let inner):
            guard !values.isEmpty else {
                if case .list = inner { return .null }
                if case .map = inner { return .null }
                return nil
            }
            return try field(values, type: inner, keepZero: true)
        case .list(let element):
            var items: [JSONValue] = []
            for value in values {
                if value.wireType == 2, element.isVarint {
                    var index = value.payload.startIndex
                    while index < value.payload.endIndex {
                        let number = try readVarint(value.payload, at: &index)
                        items.append(try scalar(WireValue(wireType: 0, payload: varintBytes(number)[...]), type: element))
                    }
                } else {
                    items.append(try scalar(value, type: element))
                }
            }
            if items.isEmpty { return nil }
            return .array(items)
        case .map(let valueType):
            var map = JSONObject()
            for entry in values {
                let pair = try fields(entry.payload)
                let key = String(decoding: pair[1]?.last?.payload ?? [], as: UTF8.self)
                if let value = pair[2]?.last {
                    map[key] = try scalar(value, type: valueType)
                } else {
                    // An entry without a value holds the value type's zero value.
                    map[key] = valueType.zero ?? .null
                }
            }
            if map.isEmpty { return nil }
            return .object(map)
        default:
            guard let last = values.last else { return nil }
            let value = try scalar(last, type: type)
            // Written as an `if`: a `nil` in a ternary would become JSON null (JSONValue is nil-literal expressible).
            if !keepZero, value == type.zero { return nil }
            return value
        }
    }

    /// One value of a non-repeated type, zero values included.
    static func scalar(_ value: WireValue, type: FieldType) throws(APIError) -> JSONValue {
        let expected: UInt64 = type.isVarint ? 0 : 2
        guard value.wireType == expected else { throw APIError(.badRequest, "protobuf body has a field of the wrong wire type") }
        switch type {
        case .string: return .string(String(decoding: value.payload, as: UTF8.self))
        case .bytes: return .string(Data(value.payload).base64EncodedString())
        case .bool: return .bool(varint(value.payload) != 0)
        case .int32: return .int(Int64(Int32(truncatingIfNeeded: varint(value.payload))))
        case .int64: return .int(Int64(bitPattern: varint(value.payload)))
        case .intOrString:
            let parts = try fields(value.payload)
            if let type = parts[1]?.last, varint(type.payload) == 1 {
                return .string(String(decoding: parts[3]?.last?.payload ?? [], as: UTF8.self))
            }
            return .int(Int64(Int32(truncatingIfNeeded: varint(parts[2]?.last?.payload ?? []))))
        case .quantity:
            return .string(String(decoding: try fields(value.payload)[1]?.last?.payload ?? [], as: UTF8.self))
        case .time:
            let parts = try fields(value.payload)
            let seconds = Int64(bitPattern: varint(parts[1]?.last?.payload ?? []))
            // Go's zero time (year 1) arrives as no fields or as its own seconds.
            guard seconds != 0, seconds != -62_135_596_800 else { return .null }
            return .string(Timestamp.string(Date(timeIntervalSince1970: TimeInterval(seconds))))
        case .message(let layout): return .object(try message(value.payload, layout: layout))
        case .inline(let layout): return .object(try message(value.payload, layout: layout))
        case .keepZero(let inner): return try scalar(value, type: inner)
        case .list(let element): return .array([try scalar(value, type: element)])
        case .map: return try field([value], type: type, keepZero: true) ?? .object([:])
        }
    }

    /// The fields of one message: number → every occurrence, in order.
    static func fields(_ bytes: ArraySlice<UInt8>) throws(APIError) -> [Int: [WireValue]] {
        var result: [Int: [WireValue]] = [:]
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let tag = try readVarint(bytes, at: &index)
            let number = Int(truncatingIfNeeded: tag >> 3)
            let start = index
            let wireType = tag & 7
            switch wireType {
            case 0: _ = try readVarint(bytes, at: &index)
            case 1: index += 8
            case 5: index += 4
            case 2:
                let length = try readVarint(bytes, at: &index)
                guard length <= UInt64(bytes.endIndex - index) else { throw APIError(.badRequest, "protobuf body is truncated") }
                let payloadStart = index
                index += Int(length)
                result[number, default: []].append(WireValue(wireType: 2, payload: bytes[payloadStart..<index]))
                continue
            default: throw APIError(.badRequest, "protobuf body uses an unsupported wire type")
            }
            guard index <= bytes.endIndex else { throw APIError(.badRequest, "protobuf body is truncated") }
            result[number, default: []].append(WireValue(wireType: wireType, payload: bytes[start..<index]))
        }
        return result
    }

    /// Reads the varint at `index`, moving past it.
    static func readVarint(_ bytes: ArraySlice<UInt8>, at index: inout Int) throws(APIError) -> UInt64 {
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

    /// A varint field's value from its bytes.
    static func varint(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for (offset, byte) in bytes.enumerated() where offset < 10 { value |= UInt64(byte & 0x7f) << (7 * UInt64(offset)) }
        return value
    }

    /// The wire bytes of a varint.
    static func varintBytes(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        return bytes + [UInt8(rest)]
    }
}

extension ProtobufBody.FieldType {
    /// Whether the type travels as a varint (wire type 0).
    var isVarint: Bool {
        switch self {
        case .bool, .int32, .int64: true
        case .keepZero(let inner): inner.isVarint
        default: false
        }
    }

    /// The JSON value `omitempty` leaves out; nil for types Go always writes (structs).
    var zero: JSONValue? {
        switch self {
        case .string, .bytes: .string("")
        case .bool: .bool(false)
        case .int32, .int64: .int(0)
        case .keepZero(let inner): inner.zero
        default: nil
        }
    }
}
