import Crypto
import Foundation
import _CryptoExtras

/// Sprig's `derivePassword`: the Master Password algorithm (scrypt of the master password salted with the user's
/// name, HMAC-SHA256 of the site, then a character template of the password type).
enum MasterPassword {
    /// The character templates of each password type.
    static let templates: [String: [String]] = [
        "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long": [
            "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno", "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv",
            "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno",
        ],
        "medium": ["CvcnoCvc", "CvcCvcno"],
        "short": ["Cvcn"],
        "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
        "pin": ["nnnn"],
    ]

    /// The characters each template letter draws from.
    static let characters: [Character: [UInt8]] = [
        "V": Array("AEIOU".utf8),
        "C": Array("BCDFGHJKLMNPQRSTVWXYZ".utf8),
        "v": Array("aeiou".utf8),
        "c": Array("bcdfghjklmnpqrstvwxyz".utf8),
        "A": Array("AEIOUBCDFGHJKLMNPQRSTVWXYZ".utf8),
        "a": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz".utf8),
        "n": Array("0123456789".utf8),
        "o": Array("@&%?,=[]_:-+*$#!'^~;()/.".utf8),
        "x": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()".utf8),
    ]

    /// The site password, or Sprig's message for an unknown type.
    static func derive(counter: UInt32, type: String, password: String, user: String, site: String) -> String {
        guard let templates = templates[type] else { return "cannot find password template \(type)" }
        let scope = Array("com.lyndir.masterpassword".utf8)
        let salt = scope + bigEndian(UInt32(truncatingIfNeeded: user.utf8.count)) + Array(user.utf8)
        let key: SymmetricKey
        do {
            key = try KDF.Scrypt.deriveKey(
                from: Array(password.utf8), salt: salt, outputByteCount: 64, rounds: 32_768, blockSize: 8, parallelism: 2)
        } catch {
            return "failed to derive password: \(error)"
        }
        let message = scope + bigEndian(UInt32(truncatingIfNeeded: site.utf8.count)) + Array(site.utf8) + bigEndian(counter)
        let seed = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        let template = templates[Int(seed[0]) % templates.count]
        let bytes = template.enumerated().map { index, letter in
            let choices = characters[letter] ?? []
            return choices[Int(seed[index + 1]) % choices.count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
}
