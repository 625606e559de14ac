import Crypto
import Manifests
import Registry

/// The registries whose push notifications trigger a scan, mounted at `/hooks/registry/<provider>`.
public enum RegistryWebhookProvider: String, Sendable, Hashable, CaseIterable {
    /// Docker Hub: no signature, so a secret token in the URL (path or `?token=`).
    case dockerhub
    /// GitHub Container Registry: GitHub's `package` event, signed with `X-Hub-Signature-256`.
    case ghcr
    /// Harbor: the configured secret in the `Authorization` header.
    case harbor
    /// Anything else: `{"image": "..."}` signed with `X-Signature: sha256=<hex HMAC-SHA256>`.
    case generic
}

/// The shared secrets, one per provider; a provider without one refuses every request.
public struct RegistryWebhookSecrets: Sendable {
    /// The token Docker Hub's webhook URL carries.
    public var dockerHubToken: String?
    /// The GitHub webhook secret (HMAC key) for GHCR.
    public var github: String?
    /// The value Harbor sends in `Authorization`.
    public var harbor: String?
    /// The HMAC key of generic webhooks.
    public var generic: String?

    /// Creates the secrets.
    public init(dockerHubToken: String? = nil, github: String? = nil, harbor: String? = nil, generic: String? = nil) {
        self.dockerHubToken = dockerHubToken
        self.github = github
        self.harbor = harbor
        self.generic = generic
    }

    /// One HMAC key for the providers that sign (GHCR and generic); Docker Hub and Harbor, whose
    /// secret travels in plain text, get none, so a leaked token is never a signing key.
    public init(hmac secret: String) {
        self.init(github: secret.isEmpty ? nil : secret, generic: secret.isEmpty ? nil : secret)
    }

    /// One secret per provider: keys `dockerhub`, `ghcr`, `harbor`, `generic`, and `secret` for the
    /// signing providers without their own. A plain-text token equal to a signing key is refused.
    public init(keys: [String: String], source: String) throws(ImageAutomationError) {
        self.init()
        for (key, value) in keys where !value.isEmpty {
            switch key {
            case "dockerhub": dockerHubToken = value
            case "ghcr": github = value
            case "harbor": harbor = value
            case "generic": generic = value
            case "secret": break
            default: throw ImageAutomationError(.credentials, "unknown key \(key) (known: dockerhub, ghcr, harbor, generic, secret)", subject: source)
            }
        }
        if let shared = keys["secret"], !shared.isEmpty {
            github = github ?? shared
            generic = generic ?? shared
        }
        let signing = [github, generic].compactMap { $0 }
        if [dockerHubToken, harbor].compactMap({ $0 }).contains(where: signing.contains) {
            throw ImageAutomationError(
                .credentials, "the dockerhub and harbor tokens travel in plain text; they must differ from every signing secret", subject: source)
        }
    }

    /// The secret `provider` is checked with, if one is configured.
    public func secret(for provider: RegistryWebhookProvider) -> String? {
        let value: String? =
            switch provider {
            case .dockerhub: dockerHubToken
            case .ghcr: github
            case .harbor: harbor
            case .generic: generic
            }
        return value?.isEmpty == false ? value : nil
    }
}

/// Why a registry webhook was refused, with the HTTP status it maps to at the server edge.
/// Messages never quote a secret, a signature or a header value.
public struct RegistryWebhookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable {
        /// No provider of that name.
        case unknownProvider
        /// No secret is configured for the provider.
        case notConfigured
        /// The token or signature is missing or wrong.
        case unauthenticated
        /// The body is larger than allowed.
        case tooLarge
        /// The body is not the provider's payload.
        case malformed
        /// A valid event that is not a push (a ping, a deletion).
        case ignored
    }

    /// What is wrong.
    public var code: Code
    /// One line for the response and the log.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// 404, 403, 401, 413, 400, or 202 for events that are valid but change nothing.
    public var httpStatus: Int {
        switch code {
        case .unknownProvider: 404
        case .notConfigured: 403
        case .unauthenticated: 401
        case .tooLarge: 413
        case .malformed: 400
        case .ignored: 202
        }
    }

    public var description: String { message }
}

/// Answers which ImagePolicies watch an image repository (the service is the production one).
public protocol ImagePolicyDirectory: Sendable {
    /// The policies (`NAMESPACE:NAME`) whose repository is `image`'s.
    func policies(watching image: ImageReference) async -> [String]
}

/// Verifies a registry's push notification before reading it, then names the ImagePolicies to
/// rescan. Framework-free: the server passes the provider from the path, the headers, the
/// body and any token from the URL.
///
/// ```swift
/// let handler = RegistryWebhookHandler(secrets: secrets, policies: imageService)
/// let ids = try await handler.handle(provider: "ghcr", headers: headers, body: body)
/// await imageService.rescan(ids)
/// ```
public struct RegistryWebhookHandler: Sendable {
    /// The largest body read (Docker Hub and Harbor payloads are a few KiB).
    public static let defaultMaximumBodyBytes = 256 * 1024

    let secrets: RegistryWebhookSecrets
    let directory: any ImagePolicyDirectory
    let maximumBodyBytes: Int

    /// Creates a handler.
    public init(secrets: RegistryWebhookSecrets, policies: any ImagePolicyDirectory, maximumBodyBytes: Int = defaultMaximumBodyBytes) {
        self.secrets = secrets
        self.directory = policies
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// Verifies and reads the request; returns the policies watching the pushed repository
    /// (empty when none does). `token` is the secret from the URL path or query (Docker Hub).
    public func handle(
        provider name: String, headers: [String: String], body: [UInt8], token: String? = nil
    ) async throws(RegistryWebhookError) -> [String] {
        let event = try verify(provider: name, headers: headers, body: body, token: token)
        var policies: [String] = []
        for image in event.images { policies += await directory.policies(watching: image) }
        return Array(Set(policies)).sorted()
    }

    /// Checks the size, then the token or signature, then reads the pushed repositories.
    public func verify(
        provider name: String, headers: [String: String], body: [UInt8], token: String? = nil
    ) throws(RegistryWebhookError) -> RegistryPushEvent {
        guard let provider = RegistryWebhookProvider(rawValue: name.lowercased()) else {
            throw RegistryWebhookError(
                .unknownProvider,
                "unknown registry webhook provider (known: \(RegistryWebhookProvider.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard body.count <= maximumBodyBytes else { throw RegistryWebhookError(.tooLarge, "body larger than \(maximumBodyBytes) bytes") }
        guard let secret = secrets.secret(for: provider) else {
            throw RegistryWebhookError(.notConfigured, "no secret is configured for \(provider.rawValue) webhooks")
        }
        let header = { (wanted: String) in headers.first { $0.key.lowercased() == wanted.lowercased() }?.value }
        switch provider {
        case .dockerhub:
            guard let token, WebhookSecret.equal(token, secret) else {
                throw RegistryWebhookError(.unauthenticated, "missing or wrong token in the webhook URL")
            }
        case .harbor:
            guard let given = header("Authorization"), WebhookSecret.equal(given, secret) else {
                throw RegistryWebhookError(.unauthenticated, "missing or wrong Authorization header")
            }
        case .ghcr:
            try WebhookSecret.checkSignature(header("X-Hub-Signature-256"), body: body, key: secret, header: "X-Hub-Signature-256")
        case .generic:
            try WebhookSecret.checkSignature(header("X-Signature"), body: body, key: secret, header: "X-Signature")
        }
        let payload: JSONValue
        do { payload = try JSONParser.parse(body, file: "webhook") } catch {
            throw RegistryWebhookError(.malformed, "body is not JSON: \(error.message)")
        }
        return try RegistryPushEvent(provider, payload: payload, event: header("X-GitHub-Event"))
    }
}

/// Constant-time secret checks.
enum WebhookSecret {
    /// Whether `given` equals `expected`, in time that depends on neither: both are MACed with
    /// a fresh random key and the MACs compared by swift-crypto's constant-time check.
    static func equal(_ given: String, _ expected: String) -> Bool {
        let key = SymmetricKey(size: .bits256)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(expected.utf8), using: key)
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Array(given.utf8), using: key)
    }

    /// Checks `sha256=<hex>` against the HMAC-SHA256 of `body` under `key`.
    static func checkSignature(_ value: String?, body: [UInt8], key: String, header: String) throws(RegistryWebhookError) {
        guard let value else { throw RegistryWebhookError(.unauthenticated, "missing \(header)") }
        guard value.hasPrefix("sha256="), let signature = hexDecoded(value.dropFirst(7)), signature.count == 32 else {
            throw RegistryWebhookError(.unauthenticated, "\(header) is not sha256=<64 hex digits>")
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: body, using: SymmetricKey(data: Array(key.utf8))) else {
            throw RegistryWebhookError(.unauthenticated, "\(header) does not match the body")
        }
    }

    static func hexDecoded(_ text: Substring) -> [UInt8]? {
        let digits = text.utf8.map { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
            default: nil
            }
        }
        guard digits.count % 2 == 0, !digits.contains(nil) else { return nil }
        let values = digits.compactMap { $0 }
        return stride(from: 0, to: values.count, by: 2).map { values[$0] << 4 | values[$0 + 1] }
    }
}
