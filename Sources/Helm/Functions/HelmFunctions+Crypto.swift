import Crypto
import Foundation
import GoTemplate
import _CryptoExtras

extension HelmFunctions {
    /// Sprig's cryptographic functions; keys, IVs and salts come from `random`.
    static func crypto(_ random: any RandomSource) -> [String: GoFunction] {
        [
            "encryptAES": GoFunction([.string, .string]) { a, context in
                guard !a[1].text.isEmpty else { return .string("") }
                var content = GoString.bytes(a[1].text)
                let padding = 16 - content.count % 16
                content += [UInt8](repeating: UInt8(padding), count: padding)
                let iv = random.bytes(16, template: context.templateName, purpose: "encryptAES.iv")
                let sealed = try AES._CBC.encrypt(content, using: aesKey(a[0].text), iv: AES._CBC.IV(ivBytes: iv), noPadding: true)
                return .string(Data(iv + sealed).base64EncodedString())
            },
            "decryptAES": GoFunction([.string, .string]) { a, _ in
                guard !a[1].text.isEmpty else { return .string("") }
                guard let crypt = GoBase.decode(a[1].text, alphabet: GoBase.base64, bitsPerSymbol: 6) else {
                    throw GoFunctionError("illegal base64 data at input byte \(GoBase.firstInvalid(a[1].text, alphabet: GoBase.base64, group: 4))")
                }
                guard crypt.count >= 16 else { throw GoFunctionError("runtime error: slice bounds out of range [:16] with capacity \(crypt.count)") }
                guard (crypt.count - 16) % 16 == 0 else { throw GoFunctionError("crypto/cipher: input not full blocks") }
                let plain = try AES._CBC.decrypt(crypt[16...], using: aesKey(a[0].text), iv: AES._CBC.IV(ivBytes: crypt[..<16]), noPadding: true)
                let bytes = Array(plain)
                guard let last = bytes.last, Int(last) <= bytes.count else {
                    throw GoFunctionError("runtime error: slice bounds out of range")
                }
                return .string(String(decoding: bytes[..<(bytes.count - Int(last))], as: UTF8.self))
            },
            "bcrypt": GoFunction([.string]) { a, context in .string(bcrypt(a[0].text, random, context)) },
            "htpasswd": GoFunction([.string, .string]) { a, context in
                if a[0].text.contains(":") { return .string("invalid username: \(a[0].text)") }
                return .string(a[0].text + ":" + bcrypt(a[1].text, random, context))
            },
            "derivePassword": GoFunction([.uint32, .string, .string, .string, .string]) { a, _ in
                .string(
                    MasterPassword.derive(
                        counter: UInt32(truncatingIfNeeded: a[0].integer), type: a[1].text, password: a[2].text, user: a[3].text, site: a[4].text))
            },
            "getHostByName": GoFunction([.string]) { a, _ in
                throw GoFunctionError("getHostByName \(a[0].text): Keelson renders charts without network access")
            },
            "genPrivateKey": GoFunction([.string]) { a, context in
                let purpose = "genPrivateKey." + a[0].text
                switch a[0].text {
                case "", "rsa":
                    var stream = KeyStream(random, template: context.templateName, purpose: purpose)
                    return .string(SprigPrivateKey.rsa(try RSAKeyGenerator.generate(bits: 4096, stream: &stream)).pem)
                case "dsa":
                    var stream = KeyStream(random, template: context.templateName, purpose: purpose)
                    return .string(SprigPrivateKey.dsa(DSAKeyGenerator.generate(stream: &stream)).pem)
                case "ecdsa", "ed25519": break
                default: return .string("Unknown type \(a[0].text)")
                }
                let seed = random.bytes(32, template: context.templateName, purpose: purpose)
                switch a[0].text {
                case "ecdsa": return .string(PrivateKeyPEM.ecdsa(try P256.Signing.PrivateKey(rawRepresentation: seed)))
                default: return .string(PrivateKeyPEM.ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: seed)))
                }
            },
        ]
    }

    /// Go's `bcrypt.GenerateFromPassword` at the default cost 10, with Sprig's error text.
    private static func bcrypt(_ password: String, _ random: any RandomSource, _ context: any FunctionContext) -> String {
        guard GoString.bytes(password).count <= 72 else { return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes" }
        let salt = random.bytes(16, template: context.templateName, purpose: "bcrypt.salt")
        return Bcrypt.hash(GoString.bytes(password), salt: salt, cost: 10)
    }

    /// Sprig's AES key: the password's bytes, zero-padded or cut to 32.
    private static func aesKey(_ password: String) -> SymmetricKey {
        var key = Array(password.utf8.prefix(32))
        key += [UInt8](repeating: 0, count: 32 - key.count)
        return SymmetricKey(data: key)
    }
}
