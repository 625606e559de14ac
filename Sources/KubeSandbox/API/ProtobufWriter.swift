/// A protobuf message written field by field, as proto3 writes it: a scalar at its zero value is
/// left out, a nested message is written whenever given (its presence is the information).
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func string(_ number: Int, _ value: String) {
        guard !value.isEmpty else { return }
        lengthDelimited(number, Array(value.utf8))
    }

    mutating func strings(_ number: Int, _ values: [String]) {
        for value in values { lengthDelimited(number, Array(value.utf8)) }
    }

    mutating func bool(_ number: Int, _ value: Bool) {
        guard value else { return }
        key(number, wireType: 0)
        bytes.append(1)
    }

    mutating func int64(_ number: Int, _ value: Int64) {
        guard value != 0 else { return }
        key(number, wireType: 0)
        bytes += ProtobufBody.varintBytes(UInt64(bitPattern: value))
    }

    mutating func double(_ number: Int, _ value: Double) {
        guard value != 0 else { return }
        key(number, wireType: 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }

    mutating func message(_ number: Int, _ message: ProtobufWriter) { lengthDelimited(number, message.bytes) }

    mutating func messages(_ number: Int, _ messages: [ProtobufWriter]) {
        for message in messages { lengthDelimited(number, message.bytes) }
    }

    private mutating func key(_ number: Int, wireType: UInt64) {
        bytes += ProtobufBody.varintBytes(UInt64(number) << 3 | wireType)
    }

    private mutating func lengthDelimited(_ number: Int, _ payload: [UInt8]) {
        key(number, wireType: 2)
        bytes += ProtobufBody.varintBytes(UInt64(payload.count))
        bytes += payload
    }
}
