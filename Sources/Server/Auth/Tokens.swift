import Crypto
import Foundation
import Manifests
import Render

/// What a token may do, each role including the ones before it.
public enum Role: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Read applications, resources, diffs, history, events.
    case viewer
    /// Also sync, refresh, rollback, suspend, resume.
    case `operator`
    /// Everything.
    case admin

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An authenticated caller.
public struct Principal: Sendable, Hashable {
    /// The token's name (for the audit log; never the token).
    public var name: String
    /// Its role.
    public var role: Role
    /// Application name globs it is limited to; empty: all.
    public var applications: [Glob]

    /// Whether the principal may see or act on application `app`.
    public func canAccess(_ app: String) -> Bool {
        applications.isEmpty || applications.contains { $0.matches(app) }
    }

    /// Whether the principal has at least `role` for `app`.
    public func allows(_ role: Role, on app: String? = nil) -> Bool {
        self.role >= role && (app.map(canAccess) ?? true)
    }
}

/// A malformed token file.
public struct TokenFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

/// Bearer tokens, stored only as SHA-256 hashes: `[{name, role, sha256, applications}]`.
public struct TokenStore: Sendable {
    struct Entry: Sendable {
        var digest: [UInt8]
        var principal: Principal
    }

    let entries: [Entry]

    /// Reads a tokens file (YAML or JSON).
    public init(file: String, bytes: [UInt8]) throws(TokenFileError) {
        let documents: [YAMLDocument]
        do { documents = try YAMLDecoder().decode(bytes, file: file) } catch { throw TokenFileError(file: file, message: error.description) }
        guard let list = documents.first?.value.arrayValue else { throw TokenFileError(file: file, message: "must be a list of tokens") }
        var entries: [Entry] = []
        for (index, item) in list.enumerated() {
            guard let name = item["name"]?.stringValue, !name.isEmpty else { throw TokenFileError(file: file, message: "token \(index + 1): name is required") }
            guard let roleText = item["role"]?.stringValue, let role = Role(rawValue: roleText) else {
                throw TokenFileError(file: file, message: "token \(name): role must be viewer, operator or admin")
            }
            guard let hex = item["sha256"]?.stringValue, let digest = WebhookVerifier.hexBytes(hex), digest.count == 32 else {
                throw TokenFileError(file: file, message: "token \(name): sha256 must be 64 hex digits (the SHA-256 of the token)")
            }
            var globs: [Glob] = []
            for pattern in item["applications"]?.arrayValue ?? [] {
                guard let text = pattern.stringValue, let glob = try? Glob(text) else {
                    throw TokenFileError(file: file, message: "token \(name): applications must be name globs")
                }
                globs.append(glob)
            }
            entries.append(Entry(digest: digest, principal: Principal(name: name, role: role, applications: globs)))
        }
        self.entries = entries
    }

    /// A store with one token, as `keelson demo` makes.
    public init(token: String, name: String, role: Role) {
        entries = [Entry(digest: Array(SHA256.hash(data: Data(token.utf8))), principal: Principal(name: name, role: role, applications: []))]
    }

    /// The principal for a bearer token, or `nil`. Every entry is compared in constant time.
    public func authenticate(_ token: String) -> Principal? {
        let digest = Array(SHA256.hash(data: Data(token.utf8)))
        var found: Principal?
        for entry in entries where WebhookVerifier.constantTimeEqual(entry.digest, digest) { found = found ?? entry.principal }
        return found
    }
}
