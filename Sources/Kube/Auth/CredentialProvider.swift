import Foundation
import Logging

/// Supplies the `Authorization` header for each request: a fixed token, a token file re-read
/// when it changes, or an exec plugin's credential cached until it expires.
public actor CredentialProvider {
    private let credentials: KubeConfiguration.Credentials
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var fileToken: (stamp: FileStamp, token: String)?
    private var execCredential: ExecCredential?
    /// How many times an exec plugin has run (for tests and metrics).
    public private(set) var pluginRuns = 0

    /// How long before expiry a cached exec credential is refreshed.
    public static let expiryMargin: TimeInterval = 10

    /// Creates a provider; `now` is the wall clock against which exec credentials expire.
    public init(
        _ credentials: KubeConfiguration.Credentials, now: @escaping @Sendable () -> Date = Date.init, logger: Logger = Logger(label: "keelson.kube")
    ) {
        self.credentials = credentials
        self.now = now
        self.logger = logger
    }

    /// The `Authorization` header value, or `nil` when none is needed.
    public func authorization() async throws(KubeError) -> String? {
        switch credentials {
        case .none:
            return nil
        case .token(let token):
            return "Bearer " + token
        case .basic(let username, let password):
            return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        case .tokenFile(let path):
            return "Bearer " + (try readTokenFile(path))
        case .exec(let config, let server, let ca):
            if let cached = execCredential, let token = cached.token,
                cached.expiration.map({ $0.timeIntervalSince(now()) > Self.expiryMargin }) ?? true
            {
                return "Bearer " + token
            }
            let credential = try await ExecPlugin.run(config, server: server, certificateAuthorityPEM: ca)
            pluginRuns += 1
            logger.debug(
                "exec credential refreshed",
                metadata: ["k8s.exec": "\(config.command)", "k8s.expires": "\(credential.expiration.map { "\($0)" } ?? "never")"])
            guard let token = credential.token else {
                throw KubeError(.credentials, "exec plugin \(config.command) returned a client certificate; only tokens are supported")
            }
            execCredential = credential
            return "Bearer " + token
        }
    }

    /// Forgets cached credentials after the server rejected them (401), so the next request
    /// re-reads the token file or re-runs the plugin.
    public func invalidate() {
        fileToken = nil
        execCredential = nil
    }

    private func readTokenFile(_ path: String) throws(KubeError) -> String {
        let stamp = FileStamp(path)
        if let fileToken, let stamp, fileToken.stamp == stamp { return fileToken.token }
        let bytes: [UInt8]
        do {
            bytes = try Kubeconfig.readFile(path, what: "token file", limit: KubeConfiguration.maximumCredentialFileSize, from: path)
        } catch {
            throw KubeError(.credentials, "cannot read token file \(path)", cause: error)
        }
        let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw KubeError(.credentials, "token file \(path) is empty") }
        if let stamp { fileToken = (stamp, token) }
        logger.debug("token file read", metadata: ["k8s.tokenFile": "\(path)"])
        return token
    }
}

/// What identifies one version of a file without reading it: inode, size and modification time
/// (a rotated service-account token is a new file behind a symlink).
struct FileStamp: Equatable {
    var inode: UInt64
    var size: UInt64
    var modified: Date

    init?(_ path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        modified = attributes[.modificationDate] as? Date ?? .distantPast
    }
}
