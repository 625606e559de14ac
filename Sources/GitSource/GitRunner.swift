import Foundation
import Logging

/// One git command to run: arguments after the fixed safety options, the directory, and
/// the remote whose credentials it may use.
public struct GitInvocation: Sendable {
    /// The arguments, starting with the subcommand; positionals follow a `--`.
    public var arguments: [String]
    /// The directory to run in (passed as `git -C`), or `nil` for the runner's private home.
    public var directory: String?
    /// The remote whose credentials and allowed transport apply, if the command talks to one.
    public var remote: GitRemote?
    /// Extra environment variables (author identity, for example).
    public var environment: [String: String]
    /// A timeout for this call instead of the configured one.
    public var timeout: Duration?

    /// Creates an invocation.
    public init(_ arguments: [String], in directory: String? = nil, remote: GitRemote? = nil,
                environment: [String: String] = [:], timeout: Duration? = nil) {
        self.arguments = arguments
        self.directory = directory
        self.remote = remote
        self.environment = environment
        self.timeout = timeout
    }

    /// The subcommand, for messages.
    var subcommand: String { arguments.first ?? "git" }
}

/// What a finished git command printed.
public struct GitOutput: Sendable {
    /// The exit status, or `nil` when the process ended by a signal.
    public var status: Int32?
    /// Standard output (bounded).
    public var stdout: String
    /// Standard error with credentials removed (bounded).
    public var stderr: String

    /// Creates an output record.
    public init(status: Int32?, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Whether git exited with status 0.
    public var succeeded: Bool { status == 0 }
}

/// Runs git commands; the production type is `GitRunner`, tests may wrap it.
public protocol GitCommandRunning: Sendable {
    /// Runs `invocation` and returns its output whatever the exit status; throws on a timeout,
    /// a refused transport or a process that could not be started.
    func run(_ invocation: GitInvocation) async throws(GitError) -> GitOutput
    /// The clock that timeouts and retry delays are measured with.
    var clock: any Clock<Duration> { get }
    /// The transports a remote may use.
    var allowedTransports: Set<GitTransport> { get }
}

extension GitCommandRunning {
    /// Throws `.protocolNotAllowed` unless `remote`'s transport is allowed; nothing runs.
    public func permit(_ remote: GitRemote) throws(GitError) {
        guard allowedTransports.contains(remote.url.transport) else {
            throw GitError(.protocolNotAllowed, "the \(remote.url.transport.rawValue) transport is not allowed", repository: remote.description)
        }
    }

    /// Runs `invocation` and throws a classified `GitError` unless git exits with status 0.
    @discardableResult
    public func check(_ invocation: GitInvocation) async throws(GitError) -> GitOutput {
        let output = try await run(invocation)
        guard output.succeeded else { throw GitFailureClassifier.error(for: invocation, output: output) }
        return output
    }
}

/// Settings for `GitRunner`.
public struct GitRunnerConfiguration: Sendable {
    /// The git program: a path, or a name looked up on `PATH`.
    public var gitExecutable: String = "git"
    /// The transports a remote may use; `http` and `git` are off unless added here.
    public var allowedTransports: Set<GitTransport> = [.https, .ssh, .file]
    /// How long one git command may run before its process group is killed.
    public var timeout: Duration = .seconds(120)
    /// The most bytes of standard output kept; more fails the command.
    public var maximumOutputBytes: Int = 16 << 20
    /// The most bytes of standard error kept; more fails the command.
    public var maximumErrorBytes: Int = 1 << 20
    /// The clock for timeouts and retry delays.
    public var clock: any Clock<Duration> = ContinuousClock()

    /// Creates the default configuration.
    public init() {}
}

/// Runs the `git` CLI safely: argument arrays only, hooks off, no prompts, no system or
/// global configuration, allowed transports only, a timeout that kills the whole process
/// group, bounded output, and credentials handed over through private 0600 files.
///
/// ```swift
/// let runner = try GitRunner(configuration: GitRunnerConfiguration(), logger: logger)
/// let out = try await runner.check(GitInvocation(["ls-remote", "--", url.value], remote: remote))
/// ```
public final class GitRunner: GitCommandRunning {
    /// The settings in force.
    public let configuration: GitRunnerConfiguration
    /// A private directory used as `HOME`, holding the askpass helper; removed on deinit.
    public let home: String
    let logger: Logger

    /// The clock that timeouts are measured with.
    public var clock: any Clock<Duration> { configuration.clock }
    /// The transports a remote may use.
    public var allowedTransports: Set<GitTransport> { configuration.allowedTransports }

    /// Creates a runner with a fresh private home directory.
    public init(configuration: GitRunnerConfiguration = GitRunnerConfiguration(), logger: Logger = Logger(label: "keelson.git")) throws(GitError) {
        self.configuration = configuration
        self.logger = logger
        do {
            home = try PrivateFiles.makeDirectory(prefix: "keelson-git-home")
            try PrivateFiles.write(Self.askpassScript, to: home + "/askpass", mode: 0o700)
        } catch {
            throw GitError(.command, "cannot prepare a private home for git", cause: error)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: home) }

    /// Fixed options placed before every subcommand.
    static let safetyOptions: [String] = [
        "-c", "core.hooksPath=/dev/null",
        "-c", "credential.helper=",
        "-c", "core.fsmonitor=false",
        "-c", "gc.auto=0",
        "-c", "maintenance.auto=false",
        "-c", "submodule.recurse=false",
        "-c", "protocol.version=2",
        "-c", "advice.detachedHead=false",
        "-c", "init.defaultBranch=main",
    ]

    /// Prints the username or password file named in the environment, or fails, so git never prompts.
    static let askpassScript = """
        #!/bin/sh
        case "$1" in
          [Uu]sername*) f="$KEELSON_GIT_USERNAME_FILE" ;;
          [Pp]assword*) f="$KEELSON_GIT_PASSWORD_FILE" ;;
          *) exit 1 ;;
        esac
        [ -n "$f" ] && [ -r "$f" ] || exit 1
        cat "$f"

        """

    public func run(_ invocation: GitInvocation) async throws(GitError) -> GitOutput {
        if let remote = invocation.remote { try permit(remote) }
        let secrets: String
        do {
            secrets = try PrivateFiles.makeDirectory(prefix: "secrets", in: home)
        } catch {
            throw GitError(.command, "cannot create a private directory for credentials", cause: error)
        }
        defer { try? FileManager.default.removeItem(atPath: secrets) }
        var environment = try baseEnvironment()
        do {
            environment.merge(try credentialEnvironment(for: invocation.remote, in: secrets)) { $1 }
        } catch {
            throw GitError(.command, "cannot write credentials to a private file", repository: invocation.remote?.description, cause: error)
        }
        environment.merge(invocation.environment) { $1 }
        var arguments = Self.safetyOptions
        // Without a directory git would discover whatever repository the process runs in.
        arguments += ["-C", invocation.directory ?? home]
        arguments += invocation.arguments
        let timeout = invocation.timeout ?? configuration.timeout
        let repository = invocation.remote?.description
        logger.debug("git \(invocation.subcommand)", metadata: repository.map { ["keelson.repo": "\($0)"] } ?? [:])
        let raw = try await ProcessLauncher.run(
            executable: configuration.gitExecutable, arguments: arguments, environment: environment,
            timeout: timeout, clock: configuration.clock,
            outputLimit: configuration.maximumOutputBytes, errorLimit: configuration.maximumErrorBytes,
            what: "git \(invocation.subcommand)", repository: repository)
        let scrub: (String) -> String = { invocation.remote?.scrub($0) ?? Redaction.stripUserinfo($0) }
        return GitOutput(status: raw.status, stdout: raw.stdout, stderr: scrub(raw.stderr))
    }

    private func baseEnvironment() throws(GitError) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var allowed = configuration.allowedTransports.map(\.rawValue).sorted()
        if configuration.allowedTransports.contains(.ssh) { allowed.append("git+ssh") }
        return [
            "PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "XDG_CONFIG_HOME": home + "/.config",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": home + "/askpass",
            "SSH_ASKPASS": home + "/askpass",
            "SSH_ASKPASS_REQUIRE": "never",
            "GIT_ALLOW_PROTOCOL": allowed.joined(separator: ":"),
            "GIT_SSH_COMMAND": SSHCommand.build(key: nil, knownHosts: nil, strict: true),
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_OPTIONAL_LOCKS": "0",
            "LC_ALL": "C",
            "LANG": "C",
        ]
    }

    private func credentialEnvironment(for remote: GitRemote?, in directory: String) throws -> [String: String] {
        guard let remote else { return [:] }
        if let pair = remote.credentials.httpPair {
            try PrivateFiles.write(pair.username, to: directory + "/username", mode: 0o600)
            try PrivateFiles.write(pair.password, to: directory + "/password", mode: 0o600)
            return ["KEELSON_GIT_USERNAME_FILE": directory + "/username", "KEELSON_GIT_PASSWORD_FILE": directory + "/password"]
        }
        if case .ssh(let key, let knownHosts, let strict) = remote.credentials {
            let keyText = key.hasSuffix("\n") ? key : key + "\n"
            try PrivateFiles.write(keyText, to: directory + "/identity", mode: 0o600)
            var hostsPath: String?
            if let knownHosts {
                try PrivateFiles.write(knownHosts, to: directory + "/known_hosts", mode: 0o600)
                hostsPath = directory + "/known_hosts"
            }
            return ["GIT_SSH_COMMAND": SSHCommand.build(key: directory + "/identity", knownHosts: hostsPath, strict: strict)]
        }
        return [:]
    }
}

/// Builds `GIT_SSH_COMMAND`, which git hands to a shell: every word is single-quoted.
enum SSHCommand {
    /// The ssh command line for a key and known-hosts file; strict host checking unless `strict` is false.
    static func build(key: String?, knownHosts: String?, strict: Bool) -> String {
        var words = ["ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes"]
        words += ["-o", "StrictHostKeyChecking=" + (strict ? "yes" : "no")]
        words += ["-o", "UserKnownHostsFile=" + (knownHosts ?? "/dev/null")]
        if let key { words += ["-i", key] }
        return words.map(shellQuote).joined(separator: " ")
    }

    /// `text` as one shell word.
    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Private files and directories for secrets.
enum PrivateFiles {
    /// Creates a fresh 0700 directory under `parent` (the temporary directory by default).
    static func makeDirectory(prefix: String, in parent: String? = nil) throws -> String {
        let base = parent ?? FileManager.default.temporaryDirectory.path
        let path = base + "/" + prefix + "-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    /// Writes `text` to `path`, created with `mode` before any byte is written.
    static func write(_ text: String, to path: String, mode: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(text.utf8))
    }
}
