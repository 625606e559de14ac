import Controller
import Crypto
import Foundation
import KeelsonFoundation
import Manifests

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

/// One entry of a token's `applications`: `NAMESPACE-GLOB/NAME-GLOB`, or a bare `NAME-GLOB`,
/// which matches names in the controller's namespace (`keelson`) only, so a glob written before
/// Applications lived in other namespaces does not silently reach them.
public struct ApplicationGlob: Sendable, Hashable, CustomStringConvertible {
    /// The namespace a bare name glob is limited to: the controller's own.
    public static let defaultNamespace = "keelson"

    /// The pattern as written in the tokens file.
    public let pattern: String
    let namespace: Glob
    let name: Glob

    /// Parses `NAMESPACE-GLOB/NAME-GLOB` or `NAME-GLOB` (limited to `controllerNamespace`); `nil` when malformed.
    public init?(_ pattern: String, controllerNamespace: String = ApplicationGlob.defaultNamespace) {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        guard let name = try? Glob(parts[parts.count - 1]), let namespace = try? Glob(parts.count == 2 ? parts[0] : controllerNamespace) else {
            return nil
        }
        self.pattern = pattern
        self.namespace = namespace
        self.name = name
    }

    /// Whether the application `namespace/name` matches.
    public func matches(namespace: String, name: String) -> Bool {
        self.namespace.matches(namespace) && self.name.matches(name)
    }

    public var description: String { pattern }
}

/// An authenticated caller.
public struct Principal: Sendable, Hashable {
    /// The token's name (for the audit log; never the token).
    public var name: String
    /// Its role.
    public var role: Role
    /// The applications it is limited to; empty: all.
    public var applications: [ApplicationGlob]
    /// Globs of the projects (`Application.spec.project`) it is limited to; empty: all.
    public var projects: [Glob]

    /// Creates a principal.
    public init(name: String, role: Role, applications: [ApplicationGlob] = [], projects: [Glob] = []) {
        self.name = name
        self.role = role
        self.applications = applications
        self.projects = projects
    }

    /// Whether the principal is limited to some projects (its reads then need each application's project).
    public var isProjectScoped: Bool { !projects.isEmpty }

    /// Whether the principal may see or act on the application `namespace/name` of `project`.
    public func canAccess(namespace: String, name: String, project: String) -> Bool {
        (applications.isEmpty || applications.contains { $0.matches(namespace: namespace, name: name) })
            && (projects.isEmpty || projects.contains { $0.matches(project) })
    }

    /// Whether the principal may see or act on the application `view`.
    public func canAccess(_ view: ApplicationView) -> Bool {
        canAccess(namespace: view.namespace, name: view.name, project: Self.project(of: view))
    }

    /// The project of `view`: the parsed spec's, or for an invalid spec the raw `spec.project`
    /// (`default` when absent), so a broken Application stays in its tenant's scope.
    static func project(of view: ApplicationView) -> String {
        view.application?.spec.project ?? view.object.object["spec"]?["project"]?.stringValue ?? "default"
    }
}

/// A malformed token file.
public struct TokenFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

/// Bearer tokens, stored only as SHA-256 hashes: `[{name, role, sha256, applications, projects}]`.
/// `applications` holds `NAMESPACE/NAME` globs (a bare `NAME` glob means namespace `keelson`);
/// `projects` holds globs of `Application.spec.project`. A token with both must match both.
public struct TokenStore: Sendable {
    struct Entry: Sendable {
        var digest: [UInt8]
        var principal: Principal
    }

    let entries: [Entry]

    /// Reads a tokens file (YAML or JSON).
    public init(file: String, bytes: [UInt8], controllerNamespace: String = ApplicationGlob.defaultNamespace) throws(TokenFileError) {
        let documents: [YAMLDocument]
        do { documents = try YAMLDecoder().decode(bytes, file: file) } catch { throw TokenFileError(file: file, message: error.description) }
        guard let list = documents.first?.value.arrayValue else { throw TokenFileError(file: file, message: "must be a list of tokens") }
        var entries: [Entry] = []
        for (index, item) in list.enumerated() {
            guard let name = item["name"]?.stringValue, !name.isEmpty else {
                throw TokenFileError(file: file, message: "token \(index + 1): name is required")
            }
            guard let roleText = item["role"]?.stringValue, let role = Role(rawValue: roleText) else {
                throw TokenFileError(file: file, message: "token \(name): role must be viewer, operator or admin")
            }
            guard let hex = item["sha256"]?.stringValue, let digest = WebhookVerifier.hexBytes(hex), digest.count == 32 else {
                throw TokenFileError(file: file, message: "token \(name): sha256 must be 64 hex digits (the SHA-256 of the token)")
            }
            var globs: [ApplicationGlob] = []
            for pattern in item["applications"]?.arrayValue ?? [] {
                guard let text = pattern.stringValue, let glob = ApplicationGlob(text, controllerNamespace: controllerNamespace) else {
                    throw TokenFileError(file: file, message: "token \(name): applications must be NAMESPACE/NAME or NAME globs")
                }
                globs.append(glob)
            }
            var projects: [Glob] = []
            for pattern in item["projects"]?.arrayValue ?? [] {
                guard let text = pattern.stringValue, !text.isEmpty, !text.contains("/"), let glob = try? Glob(text) else {
                    throw TokenFileError(file: file, message: "token \(name): projects must be project name globs")
                }
                projects.append(glob)
            }
            entries.append(Entry(digest: digest, principal: Principal(name: name, role: role, applications: globs, projects: projects)))
        }
        self.entries = entries
    }

    /// A store with one token, as `keelson demo` makes.
    public init(token: String, name: String, role: Role) {
        entries = [Entry(digest: Array(SHA256.hash(data: Data(token.utf8))), principal: Principal(name: name, role: role))]
    }

    /// The principal for a bearer token, or `nil`. Every entry is compared in constant time.
    public func authenticate(_ token: String) -> Principal? {
        let digest = Array(SHA256.hash(data: Data(token.utf8)))
        var found: Principal?
        for entry in entries where WebhookVerifier.constantTimeEqual(entry.digest, digest) { found = found ?? entry.principal }
        return found
    }
}
