import Crypto
import Foundation
import GoTemplate
import SwiftASN1
import X509

/// Sprig's `getBaseCertTemplate` and Go's `x509.CreateCertificate` as Sprig calls them: a 128-bit random serial,
/// `NotBefore` now and `NotAfter` `days` later, digital signature and key encipherment (plus certificate signing
/// for a CA), server and client authentication, the DNS and IP names, SHA-256 subject key identifiers for CAs.
struct CertificateTemplate {
    var commonName: String
    var ips: [[UInt8]] = []
    var dnsNames: [String] = []
    var days: Int
    var isAuthority = false

    /// A template with Sprig's checks of the `ips` and `alternateDNS` lists.
    init(commonName: String, ips: Value = .null, dnsNames: Value = .null, days: Int) throws(GoFunctionError) {
        self.commonName = commonName
        self.days = days
        for ip in Self.items(ips) {
            guard case .string(let text) = ip else { throw GoFunctionError("error parsing ip: \(ip.formatted) is not a string") }
            guard let address = Self.parseIP(text) else { throw GoFunctionError("error parsing ip: \(text)") }
            self.ips.append(address)
        }
        for name in Self.items(dnsNames) {
            guard case .string(let text) = name else {
                throw GoFunctionError("error processing alternate dns name: \(name.formatted) is not a string")
            }
            self.dnsNames.append(text)
        }
    }

    /// The certificate for `key`, signed by `signer` as `issuer` (nil: self-signed), in PEM.
    func sign(
        key: SprigPrivateKey, issuer: Certificate?, signer: SprigPrivateKey, serial: [UInt8], nonceSeed: [UInt8], now: Date
    ) throws(GoFunctionError) -> String {
        do {
            let (signingKey, algorithm) = try signer.seededSigner(seed: nonceSeed)
            let publicKey = try key.publicKey()
            if let issuer, issuer.publicKey != signingKey.publicKey {
                throw GoFunctionError("error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey")
            }
            let subject = try subjectName()
            let issuerName = issuer?.subject ?? subject
            var extensions: [Certificate.Extension] = [
                try Certificate.Extension(
                    KeyUsage(digitalSignature: true, keyEncipherment: true, keyCertSign: isAuthority), critical: true),
                try Certificate.Extension(ExtendedKeyUsage([.serverAuth, .clientAuth]), critical: false),
                try Certificate.Extension(
                    isAuthority ? BasicConstraints.isCertificateAuthority(maxPathLength: nil) : .notCertificateAuthority, critical: true),
            ]
            if isAuthority {
                let digest = SHA256.hash(data: publicKey.subjectPublicKeyInfoBytes)
                extensions.append(try Certificate.Extension(SubjectKeyIdentifier(keyIdentifier: Array(digest.prefix(20))[...]), critical: false))
            }
            if let issuer, issuerName != subject, let identifier = try issuer.extensions.subjectKeyIdentifier?.keyIdentifier {
                extensions.append(try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: identifier), critical: false))
            }
            let names = dnsNames.map(GeneralName.dnsName) + ips.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) }
            if !names.isEmpty {
                extensions.append(try Certificate.Extension(SubjectAlternativeNames(names), critical: subject.isEmpty))
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(bytes: serial), publicKey: publicKey, notValidBefore: now,
                notValidAfter: now.addingTimeInterval(TimeInterval(days) * 86_400), issuer: issuerName, subject: subject,
                signatureAlgorithm: algorithm, extensions: Certificate.Extensions(extensions), issuerPrivateKey: signingKey)
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return PrivateKeyPEM.pem("CERTIFICATE", serializer.serializedBytes)
        } catch let error as GoFunctionError {
            throw error
        } catch {
            throw GoFunctionError("error creating certificate: \(error)")
        }
    }

    /// `pkix.Name{CommonName: cn}`: no attribute for an empty name; a PrintableString when Go's `asn1` would
    /// choose one, else UTF8String.
    private func subjectName() throws -> DistinguishedName {
        guard !commonName.isEmpty else { return DistinguishedName() }
        let printable = commonName.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || " '()+,-./:=?".unicodeScalars.contains(scalar))
        }
        let attribute =
            printable
            ? try RelativeDistinguishedName.Attribute(type: .RDNAttributeType.commonName, printableString: commonName)
            : RelativeDistinguishedName.Attribute(type: .RDNAttributeType.commonName, utf8String: commonName)
        return DistinguishedName([RelativeDistinguishedName(attribute)])
    }

    /// The items of a `[]interface{}` argument (nil: none).
    private static func items(_ value: Value) -> [Value] {
        if case .list(let items, _) = value { return items }
        return []
    }

    /// Go's `net.ParseIP`, in the form `x509` marshals: four bytes for an IPv4 address (IPv4-mapped included).
    static func parseIP(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if !text.contains(":"), inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard text.contains(":"), inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
