import HummingbirdTLS
import NIOSSL

extension ServerConfiguration {
    /// The HTTPS settings of a PEM certificate chain and its private key (TLS 1.2 at least),
    /// read now so a bad file stops the start-up; errors name the files, never the key.
    public static func loadTLS(certificate: String, key: String) throws(ServerConfigurationError) -> TLSConfiguration {
        let chain: [NIOSSLCertificateSource]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) } } catch {
            throw ServerConfigurationError("--tls-cert \(certificate): cannot be read as a PEM certificate chain")
        }
        guard !chain.isEmpty else { throw ServerConfigurationError("--tls-cert \(certificate): no certificate in the file") }
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw ServerConfigurationError("--tls-key \(key): cannot be read as a PEM private key")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
        tls.minimumTLSVersion = .tlsv12
        return tls
    }
}
