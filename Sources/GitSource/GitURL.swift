import Foundation

/// A transport git may use to reach a repository.
public enum GitTransport: String, Sendable, Hashable, CaseIterable {
    /// `https://` (allowed by default).
    case https
    /// `http://` (only when opted in: credentials and content travel in the clear).
    case http
    /// `ssh://` or `user@host:path` (allowed by default).
    case ssh
    /// `git://`, the unauthenticated `git daemon` protocol (only when opted in).
    case git
    /// `file://` or an absolute local path (allowed by default).
    case file
}

/// A repository URL that git may be given: the transport is known, options and
/// transport helpers (`ext::`, `fd::`) are refused, and any password is split off.
///
/// ```swift
/// let url = try GitURL("https://token:secret@example.com/org/repo.git?sig=abc")
/// url.description  // "https://example.com/org/repo.git?<redacted>"
/// ```
public struct GitURL: Sendable, Hashable, CustomStringConvertible {
    /// The transport.
    public let transport: GitTransport
    /// What is handed to git: the URL without any password (an ssh user name stays).
    public let value: String
    /// The URL with user information, query and fragment removed (`URLRedaction`): the only
    /// form that is ever printed.
    public let description: String
    /// Identifies the repository in the cache: scheme and host lower-cased, user, default
    /// port, trailing `/` and `.git` removed, so spellings of one repository share a mirror.
    public let cacheKey: String
    /// The user name written in the URL, if any.
    public let username: String?
    /// The password written in the URL, if any; never printed.
    let password: String?
    /// `scheme://host[:port]` lower-cased without a default port, for http(s) URLs: the only
    /// place their credentials are sent.
    let origin: String?
    /// The query and fragment written in the URL (`?sig=...`), scrubbed from git's output.
    let query: String?
    /// `cacheKey` without an ssh user, for `matchKey`.
    let repositoryKey: String

    /// Parses `string`, refusing what git must not be handed.
    public init(_ string: String) throws(GitError) {
        guard !string.isEmpty, !string.hasPrefix("-"),
            !string.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f || $0 == " " })
        else { throw GitError(.invalidRevision, "the repository URL is empty, starts with '-' or contains spaces or control characters") }
        // `.` and `..` segments (also percent-encoded) make one repository look like another to
        // anything that matches URLs (a Project's sourceRepos): a server resolves them, a glob does not.
        let path = string.split(separator: "?", maxSplits: 1).first.map(String.init) ?? string
        if !string.hasPrefix("/"), !string.lowercased().hasPrefix("file:"),
            path.split(separator: "/").contains(where: { [".", ".."].contains($0.removingPercentEncoding ?? String($0)) })
        {
            throw GitError(.invalidRevision, "the repository URL may not contain '.' or '..' path segments")
        }
        if let range = string.range(of: "://") {
            let scheme = string[..<range.lowerBound].lowercased()
            guard let transport = Self.schemes[scheme] else {
                throw GitError(.protocolNotAllowed, "the URL scheme '\(Self.printable(scheme))' is not supported")
            }
            let rest = string[range.upperBound...]
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            let path = String(rest[authorityEnd...])
            var user: String?
            var password: String?
            if let at = authority.lastIndex(of: "@") {
                let info = authority[..<at]
                authority = authority[authority.index(after: at)...]
                if let colon = info.firstIndex(of: ":") {
                    user = String(info[..<colon])
                    password = String(info[info.index(after: colon)...])
                } else {
                    user = String(info)
                }
            }
            let host = String(authority)
            guard transport == .file || !host.isEmpty else {
                throw GitError(.invalidRevision, "the repository URL has no host")
            }
            self.transport = transport
            self.username = user.flatMap { $0.isEmpty ? nil : $0 }
            self.password = password.flatMap { $0.isEmpty ? nil : $0 }
            let keptUser = transport == .ssh ? username.map { $0 + "@" } ?? "" : ""
            self.value = "\(scheme)://\(keptUser)\(host)\(path)"
            self.description = URLRedaction.redact("\(scheme)://\(host)\(path)")
            // On an ssh server two users' home-relative paths are two repositories: one mirror each.
            self.cacheKey = Self.key(scheme: scheme, host: keptUser + host, path: path)
            self.repositoryKey = Self.key(scheme: scheme, host: host, path: path)
            self.origin = [.http, .https].contains(transport) ? Self.origin(scheme: scheme, host: host) : nil
            self.query = Self.query(in: path)
        } else if string.contains("::") {
            // `ext::cmd`, `fd::0` and other `transport::address` forms run helper programs.
            throw GitError(.protocolNotAllowed, "transport helpers ('name::address') are not allowed")
        } else if string.hasPrefix("/") {
            self.transport = .file
            self.username = nil
            self.password = nil
            self.value = string
            self.description = URLRedaction.redact(string)
            self.cacheKey = Self.key(scheme: "file", host: "", path: string)
            self.repositoryKey = cacheKey
            self.origin = nil
            self.query = Self.query(in: string)
        } else if let colon = string.firstIndex(of: ":"), !string[..<colon].contains("/") {
            // scp-like `user@host:path`, which git treats as ssh.
            let authority = string[..<colon]
            let path = String(string[string.index(after: colon)...])
            let at = authority.lastIndex(of: "@")
            let host = String(at.map { authority[authority.index(after: $0)...] } ?? authority)
            guard !host.isEmpty, !path.isEmpty else { throw GitError(.invalidRevision, "the scp-like URL has no host or path") }
            self.transport = .ssh
            self.username = at.map { String(authority[..<$0]) }
            self.password = nil
            self.value = string
            self.description = URLRedaction.redact("\(host):\(path)")
            self.cacheKey = Self.key(scheme: "ssh", host: (username.map { $0 + "@" } ?? "") + host, path: "/" + path)
            self.repositoryKey = Self.key(scheme: "ssh", host: host, path: "/" + path)
            self.origin = nil
            self.query = Self.query(in: path)
        } else {
            throw GitError(
                .protocolNotAllowed, "'\(Self.printable(string))' is not a URL git may fetch (use https://, ssh://, file:// or an absolute path)")
        }
    }

    /// The paths git may open for a local (`file://` or absolute path) URL: git ignores a
    /// `file://` host and decodes `%xx`, so both spellings are given; empty for other transports.
    var localPaths: [String] {
        guard transport == .file else { return [] }
        var path = value
        if let range = path.range(of: "://") {
            let rest = path[range.upperBound...]
            path = String(rest[(rest.firstIndex(of: "/") ?? rest.endIndex)...])
        }
        return [path] + [path.removingPercentEncoding].compactMap { $0 }.filter { $0 != path }
    }

    private static let schemes: [String: GitTransport] = [
        "https": .https, "http": .http, "ssh": .ssh, "git+ssh": .ssh, "ssh+git": .ssh, "git": .git, "file": .file,
    ]

    private static let defaultPorts: [String: String] = ["https": "443", "http": "80", "ssh": "22", "git": "9418"]

    /// The repository as rules match it: `cacheKey` without query or fragment, percent-decoded,
    /// lower-cased (hosts and the common forges ignore case), so one repository has one spelling.
    public var matchKey: String {
        let base = repositoryKey.split(whereSeparator: { $0 == "?" || $0 == "#" }).first.map(String.init) ?? cacheKey
        var key = (base.removingPercentEncoding ?? base).lowercased()
        while key.hasSuffix("/") { key.removeLast() }
        if key.hasSuffix(".git") { key.removeLast(4) }
        return key
    }

    /// A repository pattern (a glob over URLs, any spelling git accepts) spelled as `matchKey`
    /// spells URLs: scheme aliases, user information, default ports, a trailing `.git` or `/`
    /// and case do not matter.
    public static func matchPattern(_ pattern: String) -> String {
        var text = pattern
        if !text.contains("://"), !text.hasPrefix("/"), let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
            // scp-like `user@host:path`.
            let authority = text[..<colon]
            let host = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
            text = "ssh://\(host)/\(text[text.index(after: colon)...])"
        } else if text.hasPrefix("/") {
            text = "file://" + text
        }
        guard let range = text.range(of: "://") else { return text.lowercased() }
        if text.hasPrefix("file://") { return key(scheme: "file", host: "", path: String(text.dropFirst(7))).lowercased() }
        let scheme = text[..<range.lowerBound].lowercased()
        let rest = text[range.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var key = key(scheme: String(scheme), host: String(authority), path: String(rest[authorityEnd...]))
        key = (key.removingPercentEncoding ?? key).lowercased()
        return key
    }

    private static func key(scheme: String, host: String, path: String) -> String {
        let normalScheme = schemes[scheme]?.rawValue ?? scheme
        var hostPart = host.lowercased()
        if let port = defaultPorts[normalScheme], hostPart.hasSuffix(":" + port) {
            hostPart.removeLast(port.count + 1)
        }
        var pathPart = path
        while pathPart.hasSuffix("/") { pathPart.removeLast() }
        if pathPart.hasSuffix(".git") { pathPart.removeLast(4) }
        return "\(normalScheme)://\(hostPart)\(pathPart)"
    }

    private static func origin(scheme: String, host: String) -> String {
        let normalScheme = schemes[scheme]?.rawValue ?? scheme
        var hostPart = host.lowercased()
        if let port = defaultPorts[normalScheme], hostPart.hasSuffix(":" + port) { hostPart.removeLast(port.count + 1) }
        return normalScheme + "://" + hostPart
    }

    private static func query(in path: String) -> String? {
        guard let start = path.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return nil }
        let query = path[path.index(after: start)...]
        return query.isEmpty ? nil : String(query)
    }

    /// A fragment of an unparseable URL that is safe to print: anything before an `@` and any query is dropped.
    private static func printable(_ text: some StringProtocol) -> String {
        let string = URLRedaction.redact(String(text))
        let tail = string.lastIndex(of: "@").map { string[string.index(after: $0)...] } ?? Substring(string)
        return String(tail.prefix(80))
    }
}
