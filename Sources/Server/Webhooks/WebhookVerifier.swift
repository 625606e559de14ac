import Crypto
import Foundation
import GitSource
import Manifests

/// The Git hosts whose push webhooks Keelson accepts.
public enum WebhookProvider: String, Sendable, Hashable, CaseIterable {
    case github, gitlab, gitea, bitbucket, generic
}

/// Why a webhook was refused, with the HTTP status it maps to at the server edge.
public struct WebhookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable {
        case unauthenticated, tooLarge, malformed, ignored
    }

    public var code: Code
    public var message: String

    /// 401, 413, 400, or 202 for events that are valid but change nothing.
    public var httpStatus: Int {
        switch code {
        case .unauthenticated: 401
        case .tooLarge: 413
        case .malformed: 400
        case .ignored: 202
        }
    }

    public var description: String { message }
}

/// A push: which repository and which branch or tag moved.
public struct PushEvent: Sendable, Hashable {
    /// Every URL the payload gives for the repository, normalised.
    public var repositories: Set<String>
    /// The branch (without `refs/heads/`), for a branch push.
    public var branch: String?
    /// The tag (without `refs/tags/`), for a tag push.
    public var tag: String?

    /// Creates a push event.
    public init(repositories: Set<String>, branch: String? = nil, tag: String? = nil) {
        self.repositories = repositories
        self.branch = branch
        self.tag = tag
    }
}

/// Verifies a webhook's signature or token before anything else, with the secret of the
/// provider named in the path, then reads the push.
public struct WebhookVerifier: Sendable {
    /// The largest body accepted (1 MiB).
    public static let maximumBodyBytes = 1 << 20

    let secrets: WebhookSecrets
    /// Whether pull-request events of GitHub, GitLab and Gitea are read (`--pr-plans`); without,
    /// they are ignored like every other event that is no push.
    let pullRequests: Bool

    /// Creates a verifier with each provider's secret.
    public init(secrets: WebhookSecrets, pullRequests: Bool = false) {
        self.secrets = secrets
        self.pullRequests = pullRequests
    }

    /// Checks the request's authentication for `provider`, then parses the push event (a pull
    /// request is `.ignored` here; `delivery` reads it). `headers` keys are compared case-insensitively.
    public func verify(_ provider: WebhookProvider, headers: [String: String], body: [UInt8]) throws(WebhookError) -> PushEvent {
        switch try delivery(provider, headers: headers, body: body) {
        case .push(let push): return push
        case .pullRequest: throw WebhookError(code: .ignored, message: "not a push event (a pull request)")
        }
    }

    /// Checks the request's authentication for `provider`, then parses the push or, when
    /// `pullRequests` is on, the pull request.
    public func delivery(_ provider: WebhookProvider, headers: [String: String], body: [UInt8]) throws(WebhookError) -> WebhookDelivery {
        guard body.count <= Self.maximumBodyBytes else { throw WebhookError(code: .tooLarge, message: "body larger than 1 MiB") }
        let header: (String) -> String? = { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value }
        guard let secret = secrets[provider], !secret.isEmpty else {
            throw WebhookError(code: .unauthenticated, message: "no webhook secret is configured for \(provider.rawValue)")
        }
        switch provider {
        case .github, .gitea:
            // GitHub: X-Hub-Signature-256 "sha256=<hex>"; Gitea/Forgejo: X-Gitea-Signature "<hex>" (or X-Hub-Signature-256).
            let given =
                header("X-Hub-Signature-256").map { $0.hasPrefix("sha256=") ? String($0.dropFirst(7)) : $0 }
                ?? header("X-Gitea-Signature") ?? header("X-Forgejo-Signature")
            try Self.checkHMAC(given, body, secret)
        case .gitlab:
            guard let token = header("X-Gitlab-Token"), Self.constantTimeEqual(Array(token.utf8), secret) else {
                throw WebhookError(code: .unauthenticated, message: "missing or wrong X-Gitlab-Token")
            }
        case .bitbucket:
            // Bitbucket Cloud and Server sign with X-Hub-Signature "sha256=<hex>".
            let given = (header("X-Hub-Signature") ?? header("X-Hub-Signature-256")).map { $0.hasPrefix("sha256=") ? String($0.dropFirst(7)) : $0 }
            try Self.checkHMAC(given, body, secret)
        case .generic:
            let given = header("X-Keelson-Signature").map { $0.hasPrefix("sha256=") ? String($0.dropFirst(7)) : $0 }
            try Self.checkHMAC(given, body, secret)
        }
        return try parse(provider, headers: header, body: body)
    }

    private static func checkHMAC(_ given: String?, _ body: [UInt8], _ secret: [UInt8]) throws(WebhookError) {
        guard let given, let signature = Self.hexBytes(given) else {
            throw WebhookError(code: .unauthenticated, message: "missing or malformed signature")
        }
        let expected = Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret)))
        guard Self.constantTimeEqual(signature, expected) else { throw WebhookError(code: .unauthenticated, message: "signature does not match") }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.lowercased().utf8)
        guard chars.count % 2 == 0, !chars.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The event names that are pushes (branch or tag), per provider; every other event is
    /// answered 202 and refreshes nothing, whatever `ref` its payload carries.
    static let pushEvents: [WebhookProvider: Set<String>] = [
        .github: ["push"], .gitea: ["push"], .gitlab: ["Push Hook", "Tag Push Hook"],
        .bitbucket: ["repo:push", "repo:refs_changed"], .generic: ["push"],
    ]

    /// The event header of `provider`'s deliveries; the generic receiver's payload is a push by
    /// definition, so its `X-Keelson-Event` header may be left out.
    static func event(_ provider: WebhookProvider, _ headers: (String) -> String?) -> String? {
        switch provider {
        case .github: headers("X-GitHub-Event")
        case .gitea: headers("X-Gitea-Event") ?? headers("X-Forgejo-Event") ?? headers("X-Gogs-Event") ?? headers("X-GitHub-Event")
        case .gitlab: headers("X-Gitlab-Event")
        case .bitbucket: headers("X-Event-Key")
        case .generic: headers("X-Keelson-Event") ?? "push"
        }
    }

    /// Reads the push, or the pull request, out of an authenticated body.
    func parse(_ provider: WebhookProvider, headers: (String) -> String?, body: [UInt8]) throws(WebhookError) -> WebhookDelivery {
        let payload: JSONValue
        do { payload = try JSONParser.parse(body, file: "webhook") } catch {
            throw WebhookError(code: .malformed, message: "body is not JSON: \(error.message)")
        }
        let event = Self.event(provider, headers)
        if pullRequests, let forge = Self.pullRequestEvents[provider], forge.event == event {
            return .pullRequest(try Self.parsePullRequest(forge.forge, payload))
        }
        guard Self.pushEvents[provider, default: []].contains(event ?? "") else {
            // Pings, pull requests, branch creation...: some carry a `ref`, none is a push.
            throw WebhookError(
                code: .ignored, message: event.map { "not a push event (\(String($0.prefix(64))))" } ?? "not a push event (no event header)")
        }
        return .push(try Self.parsePush(provider, payload))
    }

    /// Reads the push out of a push event's payload.
    static func parsePush(_ provider: WebhookProvider, _ payload: JSONValue) throws(WebhookError) -> PushEvent {
        var urls: [String?] = []
        var ref: String?
        switch provider {
        case .bitbucket:
            // Cloud: push.changes[].new.{type,name}; Server: changes[].ref.{type,displayId}.
            urls = [payload[path: ["repository", "links", "html", "href"]]?.stringValue]
            for link in payload[path: ["repository", "links", "clone"]]?.arrayValue ?? [] { urls.append(link["href"]?.stringValue) }
            if let new = payload[path: ["push", "changes"]]?.arrayValue?.first?["new"], let name = new["name"]?.stringValue {
                ref = (new["type"]?.stringValue == "tag" ? "refs/tags/" : "refs/heads/") + name
            } else if let changed = payload["changes"]?.arrayValue?.first?["ref"], let name = changed["displayId"]?.stringValue {
                ref = changed["id"]?.stringValue ?? ((changed["type"]?.stringValue == "TAG" ? "refs/tags/" : "refs/heads/") + name)
            }
            if let name = payload[path: ["repository", "full_name"]]?.stringValue { urls.append("bitbucket.org/" + name) }
        case .gitlab:
            urls = [
                payload[path: ["project", "git_http_url"]]?.stringValue, payload[path: ["project", "git_ssh_url"]]?.stringValue,
                payload[path: ["project", "web_url"]]?.stringValue, payload[path: ["repository", "url"]]?.stringValue,
            ]
            ref = payload["ref"]?.stringValue
        default:
            urls = [
                payload[path: ["repository", "clone_url"]]?.stringValue, payload[path: ["repository", "html_url"]]?.stringValue,
                payload[path: ["repository", "ssh_url"]]?.stringValue, payload[path: ["repository", "url"]]?.stringValue,
            ]
            ref = payload["ref"]?.stringValue
        }
        let repositories = Set(urls.compactMap { $0 }.map(RepositoryURL.normalize))
        guard !repositories.isEmpty, let ref else { throw WebhookError(code: .malformed, message: "not a push event: no repository or ref") }
        if ref.hasPrefix("refs/heads/") { return PushEvent(repositories: repositories, branch: String(ref.dropFirst("refs/heads/".count))) }
        if ref.hasPrefix("refs/tags/") { return PushEvent(repositories: repositories, tag: String(ref.dropFirst("refs/tags/".count))) }
        throw WebhookError(code: .ignored, message: "not a branch or tag push")
    }
}
