import AsyncHTTPClient
import Foundation
import Manifests
import NIOCore
import NIOHTTP1

extension VaultClient {
    /// One API call.
    struct Call: Sendable {
        var method: HTTPMethod
        /// The path after `/v1/`, its segments escaped.
        var path: String
        var query: String?
        var body: JSONValue?
        /// Strings that must never appear in an error built from this call's answer (the
        /// plaintext or ciphertext sent, a credential).
        var sensitive: [String] = []

        init(_ method: HTTPMethod, _ segments: [String], query: String? = nil, body: JSONValue? = nil, sensitive: [String] = []) {
            self.method = method
            self.path = "/v1/" + segments.flatMap { $0.split(separator: "/") }.map { VaultClient.escape(String($0)) }.joined(separator: "/")
            self.query = query
            self.body = body
            self.sensitive = sensitive
        }
    }

    /// The most Vault `errors` entries and characters of each carried into a message.
    static let maxReportedErrors = 3
    static let maxReportedErrorLength = 200

    /// Sends `call` with a token, logging in first when needed and once more after a 403 from
    /// a login's token; returns the answer's JSON (nil for 204).
    func send(_ call: Call) async throws(VaultError) -> JSONValue? {
        let token = try await currentToken()
        let (status, body) = try await exchange(call, token: token)
        if status == 403, !isStaticToken {
            // The login may have been revoked or expired early: log in once more.
            session.withLock { if $0?.token == token { $0 = nil } }
            let fresh = try await currentToken()
            let (retryStatus, retryBody) = try await exchange(call, token: fresh)
            return try interpret(call, status: retryStatus, body: retryBody, sensitive: call.sensitive + [fresh])
        }
        return try interpret(call, status: status, body: body, sensitive: call.sensitive + [token])
    }

    var isStaticToken: Bool {
        if case .token = configuration.auth { return true }
        return false
    }

    /// The cached token, or a new login's.
    func currentToken() async throws(VaultError) -> String {
        let now = self.now()
        let cached = session.withLock { $0 }
        if let cached, cached.renewAt.map({ now < $0 }) ?? true { return cached.token }
        let fresh = try await login()
        session.withLock { $0 = fresh }
        // The login being replaced would otherwise live on until its TTL ends.
        if let cached, !isStaticToken { await revoke(cached.token) }
        return fresh.token
    }

    /// The longest a revocation waits: it is a courtesy, the token expires with its TTL anyway.
    static let revokeTimeout = Duration.seconds(5)

    /// Revokes a login's token with `auth/token/revoke-self`; any failure is ignored, and the
    /// token appears in no message.
    func revoke(_ token: String) async {
        _ = try? await exchange(Call(.POST, ["auth", "token", "revoke-self"]), token: token, timeout: Self.revokeTimeout)
    }

    /// Logs in with the configured method.
    func login() async throws(VaultError) -> Session {
        let mount: String
        var body: JSONObject
        var sensitive: [String]
        switch configuration.auth {
        case .token(let token): return Session(token: token, renewAt: nil)
        case .appRole(let appRoleMount, let roleID, let secretID):
            mount = appRoleMount
            body = ["role_id": .string(roleID), "secret_id": .string(secretID)]
            sensitive = [roleID, secretID]
        case .kubernetes(let kubernetesMount, let role, let jwtSource):
            mount = kubernetesMount
            let jwt: String
            do { jwt = try await jwtSource() } catch {
                throw VaultError(
                    .authentication, "cannot get a ServiceAccount token for the Kubernetes login: \(error)",
                    address: configuration.address, path: "/v1/auth/\(mount)/login")
            }
            body = ["role": .string(role), "jwt": .string(jwt)]
            sensitive = [jwt]
        }
        let call = Call(.POST, ["auth", mount, "login"], body: .object(body), sensitive: sensitive)
        let (status, answer) = try await exchange(call, token: nil)
        let value: JSONValue?
        do {
            value = try interpret(call, status: status, body: answer, sensitive: sensitive)
        } catch {
            var failed = error
            if error.code != .transport && error.code != .responseTooLarge {
                failed.code = .authentication
                failed.message = "\(configuration.auth.method) login failed: " + error.message
            }
            throw failed
        }
        guard let auth = value?["auth"], let token = auth["client_token"]?.stringValue, !token.isEmpty else {
            throw VaultError(
                .malformedResponse, "the login answer has no auth.client_token", address: configuration.address, path: call.path, status: status)
        }
        let lease = auth["lease_duration"]?.intValue ?? 0
        let renewSeconds = Double(configuration.renewBefore.components.seconds)
        let renewAt = lease > 0 ? now().addingTimeInterval(max(Double(lease) / 2, Double(lease) - renewSeconds)) : nil
        return Session(token: token, renewAt: renewAt)
    }

    /// The raw exchange: status and body bytes, within the limits.
    func exchange(_ call: Call, token: String?, timeout: Duration? = nil) async throws(VaultError) -> (Int, [UInt8]) {
        var request = HTTPClientRequest(url: configuration.address + call.path + (call.query.map { "?" + $0 } ?? ""))
        request.method = call.method
        request.headers.add(name: "Accept", value: "application/json")
        request.tlsConfiguration = tls
        if let token { request.headers.add(name: "X-Vault-Token", value: token) }
        if let namespace = configuration.namespace, !namespace.isEmpty { request.headers.add(name: "X-Vault-Namespace", value: namespace) }
        if let body = call.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: JSONWriter.compact(body)))
        }
        let response: HTTPClientResponse
        do {
            response = try await Self.transport.execute(
                request, timeout: .nanoseconds(Int64((timeout ?? configuration.requestTimeout) / .nanoseconds(1))))
        } catch {
            // AsyncHTTPClient's errors name the failure (refused, TLS, timeout), never headers or bodies.
            throw VaultError(.transport, "no answer: \(error)", address: configuration.address, path: call.path, cause: error)
        }
        let status = Int(response.status.code)
        do {
            let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            return (status, Array(buffer.readableBytesView))
        } catch {
            throw VaultError(
                .responseTooLarge, "the answer exceeds \(configuration.maxResponseBytes) bytes or was cut off",
                address: configuration.address, path: call.path, status: status)
        }
    }

    /// The answer as JSON on success; else an error with Vault's own `errors`, when they are safe to repeat.
    func interpret(_ call: Call, status: Int, body: [UInt8], sensitive: [String]) throws(VaultError) -> JSONValue? {
        let value = body.isEmpty ? nil : try? JSONParser.parse(body, file: call.path)
        if (200..<300).contains(status) {
            if status == 204 || body.isEmpty { return nil }
            guard let value else {
                throw VaultError(.malformedResponse, "the answer is not JSON", address: configuration.address, path: call.path, status: status)
            }
            return value
        }
        let reported = Self.safeErrors(value?["errors"]?.arrayValue ?? [], sensitive: sensitive)
        var message = reported.isEmpty ? "Vault answered HTTP \(status)" : reported.joined(separator: "; ")
        let code: VaultError.Code
        switch status {
        case 404:
            switch Self.notFoundKind(value) {
            case .secret:
                code = .notFound
            case .deletedVersion(let text):
                code = .notFound
                message = text
            case .route:
                code = .status
                message = "no such API path (is the mount right?): " + message
            case .notVault:
                code = .status
                message = "HTTP 404 with an answer that is not Vault's JSON (a proxy or ingress, or a wrong address?)"
            }
        case 403: code = .permissionDenied
        default: code = .status
        }
        throw VaultError(code, message, address: configuration.address, path: call.path, status: status)
    }

    /// What a 404 answer means.
    enum NotFoundKind: Equatable {
        /// Vault's own `{"errors": [...]}`: no secret or key at the path.
        case secret
        /// A KV v2 version that was deleted or destroyed (Vault and OpenBao answer 404 with the
        /// version's metadata and `data: null`).
        case deletedVersion(String)
        /// Vault has no handler there: the mount or the API path is wrong, not the secret missing.
        case route
        /// Not Vault's JSON at all: something in front of it, or another server.
        case notVault
    }

    /// Classifies a 404 by its body, so only Vault's own answer counts as a missing secret.
    static func notFoundKind(_ value: JSONValue?) -> NotFoundKind {
        guard let value, value.objectValue != nil else { return .notVault }
        if let metadata = value["data"]?["metadata"], metadata.objectValue != nil, value["data"]?["data"] == .null {
            return .deletedVersion(deletionMessage(metadata) ?? "the secret version has no data")
        }
        guard let errors = value["errors"]?.arrayValue else { return .notVault }
        if errors.contains(where: { $0.stringValue?.hasPrefix("no handler for route") == true }) { return .route }
        return .secret
    }

    /// Why a KV v2 version holds no data, from its metadata; nil when it says neither.
    static func deletionMessage(_ metadata: JSONValue) -> String? {
        let version = metadata["version"]?.intValue.map { " \($0)" } ?? ""
        if metadata["destroyed"]?.boolValue == true { return "the secret version\(version) was destroyed" }
        if let deleted = metadata["deletion_time"]?.stringValue, !deleted.isEmpty { return "the secret version\(version) was deleted" }
        return nil
    }

    /// Vault's error strings that may be repeated: few, short, one line, and holding none of
    /// the call's sensitive strings (nor anything that looks like a transit ciphertext or token).
    static func safeErrors(_ errors: [JSONValue], sensitive: [String]) -> [String] {
        var safe: [String] = []
        for error in errors.prefix(maxReportedErrors) {
            guard var text = error.stringValue else { continue }
            text = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
            let leaks =
                sensitive.contains { !$0.isEmpty && text.contains($0) } || text.contains("vault:v") || text.contains("hvs.")
                || text.contains("s.") && text.split(separator: " ").contains { $0.hasPrefix("s.") && $0.count > 20 }
            if leaks {
                safe.append("(an error message withheld because it may quote a credential or value)")
            } else {
                safe.append(text.count > maxReportedErrorLength ? String(text.prefix(maxReportedErrorLength)) + "…" : text)
            }
        }
        return safe
    }

    /// Percent-escapes one path segment.
    static func escape(_ segment: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }
}
