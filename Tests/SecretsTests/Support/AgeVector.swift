import Crypto
import Foundation

@testable import Secrets

/// One C2SP CCTV age vector: text headers, a blank line, then the (possibly zlib-compressed) file.
struct AgeVector: Sendable, CustomStringConvertible {
    var name: String
    var expect: String
    var payloadSHA256: String?
    var fileKeyHex: String?
    var identities: [String]
    var passphrases: [String]
    var armored: Bool
    var comment: String?
    var file: [UInt8]

    var description: String { name }

    /// The folder of vectors; throws a message naming every place looked at when it is absent.
    static func directory() throws -> URL {
        try SharedTestData.directory("age-cctv")
    }

    /// Every vector file name, sorted; throws when the folder is missing so the suite fails rather than skips.
    static func allNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory().path)
            .filter { !$0.hasPrefix(".") }
            .sorted()
    }

    static func load(_ name: String) throws -> AgeVector {
        let bytes = Array(try Data(contentsOf: directory().appendingPathComponent(name)))
        guard let split = (0..<(bytes.count - 1)).first(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }) else {
            throw TestDataError(description: "\(name): no blank line after the headers")
        }
        var vector = AgeVector(name: name, expect: "", identities: [], passphrases: [], armored: false, file: [])
        var compressed = false
        for line in String(decoding: bytes[..<split], as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "expect": vector.expect = value
            case "payload": vector.payloadSHA256 = value
            case "file key": vector.fileKeyHex = value
            case "identity": vector.identities.append(value)
            case "passphrase": vector.passphrases.append(value)
            case "armored": vector.armored = value == "yes"
            case "comment": vector.comment = value
            case "compressed": compressed = value == "zlib"
            default: break
            }
        }
        let body = Array(bytes[(split + 2)...])
        vector.file = compressed ? try Inflate.zlib(body) : body
        return vector
    }

    /// The lower-case hex SHA-256 that `payload:` headers carry.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Why this vector cannot run here, or nil when it can.
    var unsupportedReason: String? {
        if identities.contains(where: { $0.hasPrefix("AGE-SECRET-KEY-PQ-") }) {
            return "needs an mlkem768x25519 (post-quantum hybrid) identity, which Keelson does not implement"
        }
        return nil
    }

    /// Decrypts with the vector's identities, or else with each passphrase until one is not a mismatch.
    func decrypt() throws -> Result<[UInt8], AgeError> {
        let format: Age.InputFormat = armored ? .armored : .detect
        if passphrases.isEmpty || !identities.isEmpty {
            let keys = try identities.map { try AgeIdentity($0) }
            return Result { () throws(AgeError) in try Age.decrypt(file, identities: keys, format: format) }
        }
        var outcome = Result<[UInt8], AgeError>.failure(AgeError(.noMatch, "no passphrase"))
        for passphrase in passphrases {
            outcome = Result { () throws(AgeError) in try Age.decrypt(file, passphrase: passphrase, format: format) }
            if case .failure(let error) = outcome, error.code == .noMatch { continue }
            break
        }
        return outcome
    }

    /// The failure the vector demands, or nil for `success`.
    var expectedCode: AgeError.Code? {
        get throws {
            if expect == "success" { return nil }
            guard let code = AgeError.Code(rawValue: expect) else {
                throw TestDataError(description: "\(name): unknown expectation \(expect)")
            }
            return code
        }
    }
}
