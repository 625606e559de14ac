import GoTemplate

/// Sprig's `certificate` struct: a PEM certificate and its PEM private key, as `genCA` and its kin return.
struct SprigCertificate: GoObject {
    /// The Go type `%T` prints.
    static let type = GoType("sprig.certificate")

    /// The PEM certificate.
    var cert: String
    /// The PEM private key.
    var key: String

    var goType: GoType { Self.type }
    func field(_ name: String) -> Value? {
        switch name {
        case "Cert": .string(cert)
        case "Key": .string(key)
        default: nil
        }
    }
    func method(_ name: String) -> GoFunction? { nil }
    var jsonValue: Value { .map(["Cert": .string(cert), "Key": .string(key)]) }
    var jsonFieldOrder: [String]? { ["Cert", "Key"] }
    var formatted: String { "{\(cert) \(key)}" }
}
