import Foundation

/// How git authenticates to one repository. Values are never printed: `description` names
/// only the kind.
public enum GitCredentials: Sendable, Hashable, CustomStringConvertible {
    /// No credentials: a server that asks for some gets a refusal, never a prompt.
    case none
    /// HTTPS basic authentication.
    case basic(username: String, password: String)
    /// An HTTPS token, sent as the password of `username`.
    case token(String, username: String = "x-access-token")
    /// An ssh private key, checked against `knownHosts` (strict host key checking unless turned off).
    case ssh(privateKey: String, knownHosts: String?, strictHostKeyChecking: Bool = true)

    /// Basic credentials read from two files (a mounted Kubernetes Secret, for example).
    public static func basic(usernameFile: String, passwordFile: String) throws(GitError) -> GitCredentials {
        .basic(username: try readSecret(usernameFile), password: try readSecret(passwordFile))
    }

    /// A token read from a file.
    public static func token(file: String, username: String = "x-access-token") throws(GitError) -> GitCredentials {
        .token(try readSecret(file), username: username)
    }

    /// An ssh key and, optionally, known hosts read from files.
    public static func ssh(privateKeyFile: String, knownHostsFile: String?, strictHostKeyChecking: Bool = true) throws(GitError) -> GitCredentials {
        .ssh(
            privateKey: try readSecret(privateKeyFile, trim: false),
            knownHosts: try knownHostsFile.map { (path) throws(GitError) in try readSecret(path, trim: false) },
            strictHostKeyChecking: strictHostKeyChecking)
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .basic: "basic(<redacted>)"
        case .token: "token(<redacted>)"
        case .ssh: "ssh(<redacted>)"
        }
    }

    /// The user name and password an askpass helper hands to git, if any.
    var httpPair: (username: String, password: String)? {
        switch self {
        case .basic(let username, let password): (username, password)
        case .token(let token, let username): (username, token)
        case .none, .ssh: nil
        }
    }

    /// The secret strings to scrub from anything git prints.
    var secrets: [String] {
        switch self {
        case .none: []
        case .basic(_, let password): [password]
        case .token(let token, _): [token]
        case .ssh(let key, _, _): [key]
        }
    }

    private static func readSecret(_ path: String, trim: Bool = true) throws(GitError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GitError(.authentication, "cannot read the credential file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        return trim ? text.trimmingCharacters(in: .whitespacesAndNewlines) : text
    }
}

/// A repository to fetch from or push to: a URL and the credentials for it.
public struct GitRemote: Sendable, Hashable, CustomStringConvertible {
    /// The URL, without any password.
    public let url: GitURL
    /// The credentials; a password written in the URL becomes basic credentials.
    public let credentials: GitCredentials

    /// Creates a remote from a URL string and credentials.
    public init(_ url: String, credentials: GitCredentials = .none) throws(GitError) {
        try self.init(url: GitURL(url), credentials: credentials)
    }

    /// Creates a remote from a parsed URL and credentials.
    public init(url: GitURL, credentials: GitCredentials = .none) {
        self.url = url
        if case .none = credentials, let password = url.password {
            self.credentials = .basic(username: url.username ?? "git", password: password)
        } else {
            self.credentials = credentials
        }
    }

    public var description: String { url.description }

    /// Removes URLs' user information and queries, the URL's own query and the credential values
    /// from text git printed.
    func scrub(_ text: String) -> String {
        var result = URLRedaction.scrub(text)
        for secret in credentials.secrets + [url.password, url.query].compactMap({ $0 }) where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: URLRedaction.marker)
        }
        return result
    }
}
