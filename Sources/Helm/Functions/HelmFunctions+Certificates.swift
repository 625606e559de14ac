import Foundation
import GoTemplate
import SwiftASN1
import X509

extension HelmFunctions {
    /// Sprig's certificate functions; keys and serial numbers come from `random`, `NotBefore` from `clock`.
    static func certificates(_ random: any RandomSource, clock: TemplateClock) -> [String: GoFunction] {
        let issuer = Issuer(random: random, clock: clock)
        let authority = GoParameter.object(SprigCertificate.type)
        return [
            "genCA": GoFunction([.string, .int]) { a, context in
                let key = try issuer.generatedKey(context, "genCA")
                return try issuer.authority(a[0].text, days: a[1].integer, key: key, context, "genCA")
            },
            "genCAWithKey": GoFunction([.string, .int, .string]) { a, context in
                try issuer.authority(a[0].text, days: a[1].integer, key: parsedKey(a[2].text), context, "genCAWithKey")
            },
            "genSelfSignedCert": GoFunction([.string, .list, .list, .int]) { a, context in
                let key = try issuer.generatedKey(context, "genSelfSignedCert")
                return try issuer.selfSigned(a, key: key, context, "genSelfSignedCert")
            },
            "genSelfSignedCertWithKey": GoFunction([.string, .list, .list, .int, .string]) { a, context in
                try issuer.selfSigned(a, key: parsedKey(a[4].text), context, "genSelfSignedCertWithKey")
            },
            "genSignedCert": GoFunction([.string, .list, .list, .int, authority]) { a, context in
                let key = try issuer.generatedKey(context, "genSignedCert")
                return try issuer.signed(a, key: key, context, "genSignedCert")
            },
            "genSignedCertWithKey": GoFunction([.string, .list, .list, .int, authority, .string]) { a, context in
                try issuer.signed(a, key: parsedKey(a[5].text), context, "genSignedCertWithKey")
            },
            "buildCustomCert": GoFunction([.string, .string]) { a, _ in try customCertificate(a[0].text, a[1].text) },
        ]
    }

    /// The `WithKey` forms' key, with Sprig's `parsing private key: ` prefix on failure.
    private static func parsedKey(_ pem: String) throws(GoFunctionError) -> SprigPrivateKey {
        do { return try SprigPrivateKey.parse(pem) } catch { throw GoFunctionError("parsing private key: " + error.message) }
    }

    /// Sprig's `buildCustomCertificate`: checks that both base64 texts hold a PEM certificate and a PEM private key.
    private static func customCertificate(_ certificate: String, _ key: String) throws(GoFunctionError) -> Value {
        guard let certificateBytes = GoBase.decode(certificate, alphabet: GoBase.base64, bitsPerSymbol: 6) else {
            throw GoFunctionError("unable to decode base64 certificate")
        }
        guard let keyBytes = GoBase.decode(key, alphabet: GoBase.base64, bitsPerSymbol: 6) else {
            throw GoFunctionError("unable to decode base64 private key")
        }
        let certificateText = String(decoding: certificateBytes, as: UTF8.self)
        let keyText = String(decoding: keyBytes, as: UTF8.self)
        _ = try Issuer.parseCertificate(certificateText, field: "decodedCert")
        do { _ = try SprigPrivateKey.parse(keyText) } catch { throw GoFunctionError("error parsing private key: " + error.message) }
        return .object(SprigCertificate(cert: certificateText, key: keyText))
    }
}

/// What the certificate functions share: where keys, serial numbers and the time come from.
private struct Issuer: Sendable {
    let random: any RandomSource
    let clock: TemplateClock

    /// A fresh 2048-bit RSA key, as Sprig generates for the forms without a key.
    func generatedKey(_ context: any FunctionContext, _ function: String) throws(GoFunctionError) -> SprigPrivateKey {
        var stream = KeyStream(random, template: context.templateName, purpose: function + ".key")
        do { return .rsa(try RSAKeyGenerator.generate(bits: 2048, stream: &stream)) } catch {
            throw GoFunctionError("error generating rsa key: \(error)")
        }
    }

    /// `generateCertificateAuthorityWithKeyInternal`.
    func authority(_ name: String, days: Int, key: SprigPrivateKey, _ context: any FunctionContext, _ function: String) throws -> Value {
        var template = try CertificateTemplate(commonName: name, days: days)
        template.isAuthority = true
        return try issue(template, key: key, issuer: nil, signer: key, context, function)
    }

    /// `generateSelfSignedCertificateWithKeyInternal`, from the arguments `cn, ips, alternateDNS, daysValid`.
    func selfSigned(_ a: [Value], key: SprigPrivateKey, _ context: any FunctionContext, _ function: String) throws -> Value {
        let template = try CertificateTemplate(commonName: a[0].text, ips: a[1], dnsNames: a[2], days: a[3].integer)
        return try issue(template, key: key, issuer: nil, signer: key, context, function)
    }

    /// `generateSignedCertificateWithKeyInternal`, from the arguments `cn, ips, alternateDNS, daysValid, ca`.
    func signed(_ a: [Value], key: SprigPrivateKey, _ context: any FunctionContext, _ function: String) throws -> Value {
        guard case .object(let object) = a[4], let authority = object as? SprigCertificate else {
            throw GoFunctionError("unable to decode certificate")
        }
        let issuer = try Self.parseCertificate(authority.cert, field: "decodedSignerCert")
        let signer: SprigPrivateKey
        do { signer = try SprigPrivateKey.parse(authority.key) } catch { throw GoFunctionError("error parsing private key: " + error.message) }
        let template = try CertificateTemplate(commonName: a[0].text, ips: a[1], dnsNames: a[2], days: a[3].integer)
        return try issue(template, key: key, issuer: issuer, signer: signer, context, function)
    }

    private func issue(
        _ template: CertificateTemplate, key: SprigPrivateKey, issuer: Certificate?, signer: SprigPrivateKey,
        _ context: any FunctionContext, _ function: String
    ) throws -> Value {
        let serial = random.bytes(16, template: context.templateName, purpose: function + ".serial")
        let nonceSeed = random.bytes(32, template: context.templateName, purpose: function + ".signature")
        let certificate = try template.sign(key: key, issuer: issuer, signer: signer, serial: serial, nonceSeed: nonceSeed, now: clock.now())
        return .object(SprigCertificate(cert: certificate, key: key.pem))
    }

    /// The first PEM block of `text` parsed as a certificate, with Sprig's error texts.
    static func parseCertificate(_ text: String, field: String) throws(GoFunctionError) -> Certificate {
        guard let block = PEMBlock.first(in: text) else { throw GoFunctionError("unable to decode certificate") }
        do { return try Certificate(derEncoded: block.bytes) } catch {
            // Go names the part it could not read: the outer SEQUENCE, or the to-be-signed one inside it.
            let outer = try? DER.parse(block.bytes)
            var part = "certificate"
            if let outer, case .constructed(let children) = outer.content, outer.identifier == .sequence {
                part = children.first { _ in true }?.identifier == .sequence ? "certificate" : "tbs certificate"
            }
            throw GoFunctionError("error parsing certificate: \(field).Bytes: x509: malformed \(part)")
        }
    }
}
