import Crypto
import Foundation

/// A plaintext leaf as SOPS types it: the `type:` field of an `ENC[…]` value.
enum SOPSScalar: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case bytes([UInt8])
    case comment(String)

    /// The `type:` name sops writes.
    var typeName: String {
        switch self {
        case .string: "str"
        case .int: "int"
        case .float: "float"
        case .bool: "bool"
        case .bytes: "bytes"
        case .comment: "comment"
        }
    }

    /// The bytes sops encrypts and feeds to the MAC: Go's decimal forms, booleans title-cased.
    var canonicalBytes: [UInt8] {
        switch self {
        case .string(let s), .comment(let s): Array(s.utf8)
        case .int(let i): Array(String(i).utf8)
        case .float(let d): Array(GoFloat.format(d).utf8)
        case .bool(let b): Array((b ? "True" : "False").utf8)
        case .bytes(let b): b
        }
    }

    /// Reads decrypted bytes back into the type named by `type:`, as sops' Go parsers accept them.
    init?(type: String, plaintext: [UInt8]) {
        let text = String(decoding: plaintext, as: UTF8.self)
        switch type {
        case "str":
            guard let s = String(validating: plaintext, as: UTF8.self) else { return nil }
            self = .string(s)
        case "int", "int64":
            guard let i = Int64(text) else { return nil }
            self = .int(i)
        case "float":
            guard let d = GoFloat.parse(text) else { return nil }
            self = .float(d)
        case "bool":
            switch text {
            case "1", "t", "T", "TRUE", "true", "True": self = .bool(true)
            case "0", "f", "F", "FALSE", "false", "False": self = .bool(false)
            default: return nil
            }
        case "bytes": self = .bytes(plaintext)
        case "comment": self = .comment(text)
        default: return nil
        }
    }
}

/// AES-256-GCM over single values in sops' `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` form.
///
/// The additional data is the value's key path joined with `:` plus a trailing `:`, so a
/// value moved to another key no longer authenticates.
enum SOPSCipher {
    /// sops draws 32-byte IVs; GCM hashes any length above 12 down to its counter block.
    static let ivSize = 32
    static let tagSize = 16
    private static let prefix = "ENC[AES256_GCM,"

    /// The additional authenticated data for a value at `path`.
    static func additionalData(path: [String]) -> [UInt8] {
        Array((path.joined(separator: ":") + ":").utf8)
    }

    /// Whether `text` has the shape of an encrypted value (not whether it authenticates).
    static func looksEncrypted(_ text: String) -> Bool {
        text.hasPrefix(prefix) && text.hasSuffix("]")
    }

    /// Encrypts a typed value under the data key.
    static func encrypt(_ value: SOPSScalar, key: SymmetricKey, additionalData: [UInt8]) -> String {
        let iv = (0..<ivSize).map { _ in UInt8.random(in: .min ... .max) }
        // A nonce of at least 12 bytes is always accepted, so this cannot fail.
        let nonce = try! AES.GCM.Nonce(data: iv)
        let sealed = try! AES.GCM.seal(value.canonicalBytes, using: key, nonce: nonce, authenticating: additionalData)
        return "ENC[AES256_GCM,data:\(Base64.encodeString(sealed.ciphertext, padded: true))"
            + ",iv:\(Base64.encodeString(iv, padded: true))"
            + ",tag:\(Base64.encodeString(sealed.tag, padded: true)),type:\(value.typeName)]"
    }

    /// Decrypts and types one value; `what` names it in errors (a key path, never the value).
    static func decrypt(_ text: String, key: SymmetricKey, additionalData: [UInt8], what: String)
        throws(SOPSError) -> SOPSScalar
    {
        let (data, iv, tag, type) = try parse(text, what: what)
        let plaintext: Data
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: data, tag: tag)
            plaintext = try AES.GCM.open(box, using: key, authenticating: additionalData)
        } catch {
            throw SOPSError(
                .authentication,
                "\(what) does not authenticate under the data key "
                    + "(modified, moved to another key, or encrypted with another key)")
        }
        guard let scalar = SOPSScalar(type: type, plaintext: Array(plaintext)) else {
            throw SOPSError(.malformedValue, "\(what) does not decrypt to a valid \"\(type)\" value")
        }
        return scalar
    }

    private static func parse(_ text: String, what: String) throws(SOPSError)
        -> (data: [UInt8], iv: [UInt8], tag: [UInt8], type: String)
    {
        func malformed(_ reason: String) -> SOPSError {
            SOPSError(.malformedValue, "\(what) is not a valid ENC[AES256_GCM,…] value: \(reason)")
        }
        guard looksEncrypted(text) else { throw malformed("wrong prefix or suffix") }
        let body = text.dropFirst(prefix.count).dropLast()
        let fields = body.split(separator: ",", omittingEmptySubsequences: false)
        let names = ["data:", "iv:", "tag:", "type:"]
        guard fields.count == names.count, zip(fields, names).allSatisfy({ $0.hasPrefix($1) }) else {
            throw malformed("expected data, iv, tag and type fields")
        }
        func decode(_ index: Int) -> [UInt8]? {
            Base64.decode(Array(fields[index].dropFirst(names[index].count).utf8), padded: true)
        }
        guard let data = decode(0), let iv = decode(1), let tag = decode(2) else {
            throw malformed("data, iv or tag is not canonical base64")
        }
        guard iv.count >= 12, iv.count <= 1024 else { throw malformed("iv is \(iv.count) bytes") }
        guard tag.count == tagSize else { throw malformed("tag is \(tag.count) bytes, not \(tagSize)") }
        let type = String(fields[3].dropFirst(names[3].count))
        guard ["str", "int", "int64", "float", "bool", "bytes", "comment"].contains(type) else {
            throw malformed("unknown type")
        }
        return (data, iv, tag, type)
    }
}
