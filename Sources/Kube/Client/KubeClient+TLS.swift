import NIOSSL

extension KubeConfiguration.TLS {
    /// The NIOSSL client configuration for these settings. The errors name which piece of
    /// material was unreadable, never its contents.
    public func makeTLSConfiguration() throws(KubeconfigError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let ca = certificateAuthorityPEM {
            let certificates: [NIOSSLCertificate]
            do { certificates = try NIOSSLCertificate.fromPEMBytes(ca) } catch {
                throw KubeconfigError(.invalid, "certificate-authority is not a PEM certificate bundle", cause: error)
            }
            guard !certificates.isEmpty else { throw KubeconfigError(.invalid, "certificate-authority holds no certificates") }
            configuration.trustRoots = .certificates(certificates)
        }
        if let certificatePEM = clientCertificatePEM, let keyPEM = clientKeyPEM {
            let chain: [NIOSSLCertificate]
            do { chain = try NIOSSLCertificate.fromPEMBytes(certificatePEM) } catch {
                throw KubeconfigError(.invalid, "client-certificate is not a PEM certificate", cause: error)
            }
            guard !chain.isEmpty else { throw KubeconfigError(.invalid, "client-certificate holds no certificates") }
            let key: NIOSSLPrivateKey
            do { key = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem) } catch {
                // The cause is NIOSSL's error type, which does not carry key bytes.
                throw KubeconfigError(.invalid, "client-key is not a PEM private key", cause: error)
            }
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
        }
        if insecureSkipVerify { configuration.certificateVerification = .none }
        return configuration
    }
}
