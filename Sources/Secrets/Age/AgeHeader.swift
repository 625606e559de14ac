import Crypto
import Foundation

/// One recipient stanza of an age header: `-> type args…` and a binary body.
struct AgeStanza: Sendable, Equatable {
    var type: String
    var arguments: [String]
    var body: [UInt8]
}

/// The age v1 header: the stanzas that wrap the file key, and the MAC that authenticates them.
struct AgeHeader: Sendable {
    static let intro = Array("age-encryption.org/v1".utf8)
    static let columnsPerLine = 64
    private static let stanzaPrefix = Array("->".utf8)
    private static let footerPrefix = Array("---".utf8)

    var stanzas: [AgeStanza]
    var mac: [UInt8]

    /// A parsed header together with the bytes the MAC covers and where the payload starts.
    struct Parsed {
        var header: AgeHeader
        /// The header from the intro up to and including `---`.
        var authenticated: ArraySlice<UInt8>
        /// Offset of the first payload byte (the STREAM nonce).
        var payloadOffset: Int
    }

    /// Parses a header at the start of `bytes`, enforcing the canonical encoding.
    static func parse(_ bytes: [UInt8]) throws(AgeError) -> Parsed {
        var reader = LineReader(bytes: bytes)
        guard let intro = reader.next() else { throw failure("missing the version line") }
        guard intro.elementsEqual(Self.intro) else { throw failure("unsupported version line or not an age file") }
        var stanzas: [AgeStanza] = []
        while true {
            guard let line = reader.next() else { throw failure("header ends before the MAC line") }
            if line.starts(with: footerPrefix) {
                let mac = try parseFooter(line)
                let authenticated = bytes[..<(line.startIndex + footerPrefix.count)]
                return Parsed(
                    header: AgeHeader(stanzas: stanzas, mac: mac),
                    authenticated: authenticated, payloadOffset: reader.offset)
            }
            guard line.starts(with: stanzaPrefix) else { throw failure("unexpected line in header") }
            stanzas.append(try parseStanza(line, reader: &reader))
        }
    }

    private static func parseFooter(_ line: ArraySlice<UInt8>) throws(AgeError) -> [UInt8] {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].elementsEqual(footerPrefix) else { throw failure("malformed MAC line") }
        guard let mac = Base64.decode(parts[1], padded: false), mac.count == 32 else {
            throw failure("MAC is not 32 bytes of canonical unpadded base64")
        }
        return mac
    }

    private static func parseStanza(_ line: ArraySlice<UInt8>, reader: inout LineReader) throws(AgeError) -> AgeStanza {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].elementsEqual(stanzaPrefix) else { throw failure("malformed stanza line") }
        let arguments = parts.dropFirst()
        guard arguments.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 33 && $0 <= 126 } }) else {
            throw failure("stanza argument is empty or has characters outside printable ASCII")
        }
        var body: [UInt8] = []
        while true {
            guard let bodyLine = reader.next() else { throw failure("stanza body does not end with a short line") }
            guard bodyLine.count <= columnsPerLine else { throw failure("stanza body line longer than 64 columns") }
            guard let decoded = Base64.decode(bodyLine, padded: false) else {
                throw failure("stanza body is not canonical unpadded base64")
            }
            body += decoded
            if bodyLine.count < columnsPerLine { break }
        }
        let strings = arguments.map { String(decoding: $0, as: UTF8.self) }
        return AgeStanza(type: strings[0], arguments: Array(strings.dropFirst()), body: body)
    }

    /// The canonical encoding of everything the MAC covers: intro, stanzas and `---`.
    static func encodeAuthenticated(_ stanzas: [AgeStanza]) -> [UInt8] {
        var out = intro + [UInt8(ascii: "\n")]
        for stanza in stanzas {
            let line = (["->", stanza.type] + stanza.arguments).joined(separator: " ")
            out += Array(line.utf8) + [UInt8(ascii: "\n")]
            let encoded = Base64.encode(stanza.body, padded: false)
            var start = 0
            // Always end with a line shorter than 64 columns, even an empty one.
            while true {
                let end = min(start + columnsPerLine, encoded.count)
                out += encoded[start..<end] + [UInt8(ascii: "\n")]
                if end - start < columnsPerLine { break }
                start = end
            }
        }
        return out + footerPrefix
    }

    /// The header MAC: HMAC-SHA256 keyed by HKDF(file key, info "header") over the authenticated bytes.
    static func mac(fileKey: SymmetricKey, authenticated: some DataProtocol) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: authenticated, using: macKey(fileKey)))
    }

    /// Whether `mac` authenticates the header under `fileKey`, compared in constant time.
    static func verify(mac: [UInt8], fileKey: SymmetricKey, authenticated: some DataProtocol) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: authenticated, using: macKey(fileKey))
    }

    private static func macKey(_ fileKey: SymmetricKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: fileKey, salt: [UInt8](),
            info: Array("header".utf8), outputByteCount: 32)
    }

    private static func failure(_ message: String) -> AgeError {
        AgeError(.headerFailure, message)
    }
}

/// Splits bytes into LF-terminated lines; a final line without LF is not returned.
struct LineReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The next line without its LF, or nil at the end or before an unterminated line.
    mutating func next() -> ArraySlice<UInt8>? {
        guard let newline = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        defer { offset = newline + 1 }
        return bytes[offset..<newline]
    }
}
