import Foundation
import Manifests
import Testing

@testable import Secrets

/// Any change to the authenticated parts of a SOPS file is refused with an error that carries no plaintext.
struct SOPSTamperTests {
    static let identity = AgeIdentity.generate()
    static let secret = "CANARY-tamper-9d1e"

    static func plaintext(_ format: SOPS.Format) -> String {
        switch format {
        case .yaml: "stringData:\n  password: \(secret)\n  user: admin\nnote_unencrypted: visible\nlist:\n  - a\n  - b\n"
        case .json: "{\"password\": \"\(secret)\", \"user\": \"admin\", \"note_unencrypted\": \"visible\", \"list\": [\"a\", \"b\"]}"
        case .dotenv: "password=\(secret)\nuser=admin\nnote_unencrypted=visible\n"
        }
    }

    static func encrypted(_ format: SOPS.Format) throws -> String {
        let bytes = try SOPS.encrypt(Array(plaintext(format).utf8), format: format, recipients: [identity.recipient])
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A part of the file that authentication covers, and the failures a change to it may cause.
    enum Region: String, CaseIterable, Sendable {
        case value, mac, ageKey, lastModified

        var codes: Set<SOPSError.Code> {
            switch self {
            case .value: [.authentication, .malformedValue]
            case .mac: [.authentication, .malformedValue, .macMismatch]
            // A changed stanza stops matching the identity; a changed body or armor fails age's checks.
            case .ageKey: [.authentication, .noMatchingKey]
            case .lastModified: [.authentication, .metadata]
            }
        }

        /// The character offsets of the region in an encrypted file of `format`.
        func range(in text: String, format: SOPS.Format) throws -> Range<Int> {
            let chars = Array(text.utf8)
            func offset(of needle: String, from start: Int = 0) throws -> Int {
                let n = Array(needle.utf8)
                let found = (start...(chars.count - n.count)).first { chars[$0..<($0 + n.count)].elementsEqual(n) }
                return try #require(found, "\(needle) not found")
            }
            func encrypted(after marker: String) throws -> Range<Int> {
                let start = try offset(of: "ENC[", from: try offset(of: marker))
                return start..<(try offset(of: "]", from: start) + 1)
            }
            switch (self, format) {
            case (.value, _): return try encrypted(after: "password")
            case (.mac, .yaml): return try encrypted(after: "mac: ")
            case (.mac, .json): return try encrypted(after: "\"mac\": ")
            case (.mac, .dotenv): return try encrypted(after: "sops_mac=")
            case (.ageKey, _):
                return try offset(of: "-----BEGIN AGE")..<(try offset(of: "-----END AGE ENCRYPTED FILE-----") + 32)
            case (.lastModified, _):
                let start = try offset(of: "lastmodified") + 12
                let digit = try #require((start..<chars.count).first { (0x30...0x39).contains(chars[$0]) })
                return digit..<(digit + 20)
            }
        }
    }

    /// Another character of the same class, so the file stays well-formed YAML, JSON or dotenv.
    static func flipped(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "A")..<UInt8(ascii: "Z"), UInt8(ascii: "a")..<UInt8(ascii: "z"), UInt8(ascii: "0")..<UInt8(ascii: "9"): byte + 1
        case UInt8(ascii: "Z"), UInt8(ascii: "z"): byte - 25
        case UInt8(ascii: "9"): UInt8(ascii: "0")
        default: UInt8(ascii: "A")
        }
    }

    // Changing any one character of an encrypted value, the MAC, the wrapped data key or the
    // timestamp the MAC is bound to fails, in every format, and the error never shows the secret.
    @Test(arguments: SOPS.Format.allCases, Region.allCases)
    func everyChangedCharacterIsRefused(_ format: SOPS.Format, _ region: Region) throws {
        let text = try Self.encrypted(format)
        let range = try region.range(in: text, format: format)
        try #require(!range.isEmpty)
        for index in range {
            var bytes = Array(text.utf8)
            if bytes[index] == UInt8(ascii: "\n") || bytes[index] == UInt8(ascii: " ") { continue }
            // The letter of a JSON `\n` escape: changing it breaks the JSON, not the encryption.
            if format == .json, bytes[index - 1] == UInt8(ascii: "\\") { continue }
            bytes[index] = Self.flipped(bytes[index])
            expectSOPSError(region.codes, hiding: [Self.secret, Self.identity.secretKeyString]) {
                _ = try SOPS.decrypt(bytes, format: format, identities: [Self.identity])
            }
        }
    }

    /// An edit to the plaintext structure of a YAML file, and the failure it must cause.
    struct Edit: Sendable, CustomStringConvertible {
        var description: String
        var from: String
        var to: String
        var code: SOPSError.Code
    }

    static let edits: [Edit] = [
        // Plaintext values are inside the MAC (without mac_only_encrypted).
        Edit(description: "change a plaintext value", from: "note_unencrypted: visible", to: "note_unencrypted: changed", code: .macMismatch),
        // A value's key path is its additional data, so renaming the key breaks it.
        Edit(description: "rename the key of an encrypted value", from: "  password:", to: "  passw0rd:", code: .authentication),
        // Removing a value changes what the MAC covers.
        Edit(description: "delete a plaintext value", from: "note_unencrypted: visible\n", to: "", code: .macMismatch),
        // Adding a plaintext value changes what the MAC covers.
        Edit(
            description: "add a plaintext value", from: "note_unencrypted: visible\n", to: "note_unencrypted: visible\nextra_unencrypted: x\n",
            code: .macMismatch),
        // An encrypted value moved to the plaintext side of the rules is refused, not shown.
        Edit(
            description: "make the MAC cover nothing", from: "unencrypted_suffix: _unencrypted", to: "encrypted_suffix: _nothing", code: .macMismatch),
    ]

    // Structural edits to a YAML file are caught by the path additional data or the MAC.
    @Test(arguments: edits)
    func structuralEditsAreRefused(_ edit: Edit) throws {
        let text = try Self.encrypted(.yaml)
        try #require(text.contains(edit.from))
        let edited = text.replacingOccurrences(of: edit.from, with: edit.to)
        expectSOPSError([edit.code], hiding: [Self.secret]) {
            _ = try SOPS.decrypt(Array(edited.utf8), format: .yaml, identities: [Self.identity])
        }
    }

    // Swapping two encrypted list items (same key path) changes the MAC's order of values.
    @Test func reorderedListItemsAreRefused() throws {
        let text = try Self.encrypted(.yaml)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let items = try #require(lines.firstIndex(of: "list:")).advanced(by: 1)
        var swapped = lines
        swapped.swapAt(items, items + 1)
        expectSOPSError([.macMismatch]) {
            _ = try SOPS.decrypt(Array(swapped.joined(separator: "\n").utf8), format: .yaml, identities: [Self.identity])
        }
    }

    // The untouched file still decrypts, so the failures above come from the edits alone.
    @Test(arguments: SOPS.Format.allCases)
    func untouchedFileDecrypts(_ format: SOPS.Format) throws {
        let plain = try SOPS.decrypt(Array(try Self.encrypted(format).utf8), format: format, identities: [Self.identity])
        #expect(try SOPSFixture.values(plain, format: format) == (try SOPSFixture.values(Array(Self.plaintext(format).utf8), format: format)))
    }
}
