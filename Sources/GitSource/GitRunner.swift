import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

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
    public init(
        _ arguments: [String], in directory: String? = nil, remote: GitRemote? = nil,
        environment: [String: String] = [:], timeout: Duration? = nil
    ) {
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

    /// `git --version`'s answer, such as `git version 2.47.3`. A long-running process asks once at
    /// start-up, so a missing or broken git is an error at once rather than at the first sync.
    public func version() async throws(GitError) -> String {
        let output = try await check(GitInvocation(["--version"], timeout: .seconds(30)))
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
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
    /// Where the private home is made (and stale ones are looked for); the system's temporary
    /// directory when `nil`.
    public var temporaryDirectory: String?

    /// Creates the default configuration.
    public init() {}
}

/// Runs the `git` CLI safely: argument arrays only, hooks off, no prompts, no system or
/// global configuration, allowed transports only, a timeout that kills the whole process
/// group, bounded output, https credentials handed over in the askpass helper's environment
/// (never in a file) and only for the remote's own scheme, host and port, and (where
/// `setpriv` exists) git and its helpers killed when this process dies.
///
/// ```swift
/// let runner = try GitRunner(configuration: GitRunnerConfiguration(), logger: logger)
/// let out = try await runner.check(GitInvocation(["ls-remote", "--", url.value], remote: remote))
/// ```
public final class GitRunner: GitCommandRunning {
    /// The settings in force.
    public let configuration: GitRunnerConfiguration
    /// A private directory used as `HOME`, holding the helper scripts; removed on deinit. Its
    /// name carries this process's id so that a later process removes it after a SIGKILL.
    public let home: String
    /// `setpriv`, when found: git then runs under a parent-death signal.
    let setpriv: String?
    /// The git program's path, when it exists (the supervising shell would only say "not found").
    let gitPath: String?
    let logger: Logger

    /// The clock that timeouts are measured with.
    public var clock: any Clock<Duration> { configuration.clock }
    /// The transports a remote may use.
    public var allowedTransports: Set<GitTransport> { configuration.allowedTransports }
    /// Whether git processes are killed when this process dies (`setpriv` was found).
    public var gitDiesWithThisProcess: Bool { setpriv != nil }

    /// Creates a runner with a fresh private home directory, first removing the homes of
    /// runners whose process is gone.
    public init(configuration: GitRunnerConfiguration = GitRunnerConfiguration(), logger: Logger = Logger(label: "keelson.git")) throws(GitError) {
        self.configuration = configuration
        self.logger = logger
        let temporary = configuration.temporaryDirectory ?? FileManager.default.temporaryDirectory.path
        for removed in PrivateHome.removeStale(in: temporary) {
            logger.info("removed the private git home of a process that is gone", metadata: ["keelson.path": "\(removed)"])
        }
        do {
            home = try PrivateHome.make(in: temporary)
            try PrivateFiles.write(Self.askpassScript, to: home + "/askpass", mode: 0o700)
            try PrivateFiles.write(Self.superviseScript, to: home + "/supervise", mode: 0o700)
        } catch {
            throw GitError(.command, "cannot prepare a private home for git", cause: SubprocessFailure(description: "\(error)"))
        }
        setpriv = PrivateHome.findExecutable("setpriv")
        let git = configuration.gitExecutable
        gitPath = git.contains("/") ? (FileManager.default.isExecutableFile(atPath: git) ? git : nil) : PrivateHome.findExecutable(git)
        if setpriv == nil {
            logger.warning("setpriv (util-linux) is not installed: git processes outlive a killed controller")
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

    /// Answers git's `Username for 'URL': ` and `Password for 'URL': ` from the environment, only
    /// when URL's scheme, host and port are the remote's own (a redirect to another host gets
    /// nothing); otherwise fails, so git never prompts.
    static let askpassScript = #"""
        #!/bin/sh
        q="'"
        url=$(printf '%s' "$1" | tr 'A-Z' 'a-z')
        case "$url" in *"$q"*"$q"*) ;; *) exit 1 ;; esac
        url=${url#*"$q"}
        url=${url%%"$q"*}
        scheme=${url%%://*}
        authority=${url#*://}
        authority=${authority%%/*}
        authority=${authority##*@}
        case "$scheme:$authority" in
          https:*:443) authority=${authority%:443} ;;
          http:*:80) authority=${authority%:80} ;;
        esac
        [ -n "$KEELSON_GIT_ORIGIN" ] && [ "$scheme://$authority" = "$KEELSON_GIT_ORIGIN" ] || exit 1
        case "$1" in
          [Uu]sername*) printf '%s\n' "$KEELSON_GIT_USERNAME" ;;
          [Pp]assword*) printf '%s\n' "$KEELSON_GIT_PASSWORD" ;;
          *) exit 1 ;;
        esac

        """#

    /// Runs git (its arguments) under `setpriv --pdeathsig TERM`: when the process that started
    /// it dies, the whole process group (git, `git-remote-https`, ssh) is killed. The parent
    /// check closes the window in which the parent died before the signal was armed.
    static let superviseScript = #"""
        #!/bin/sh
        trap 'kill -KILL 0' TERM
        [ "$PPID" = "$KEELSON_PARENT_PID" ] || exit 125
        "$@" &
        wait $!

        """#

    public func run(_ invocation: GitInvocation) async throws(GitError) -> GitOutput {
        if let remote = invocation.remote { try permit(remote) }
        // Only an ssh key needs a file (ssh reads keys from files); it lives in the private home.
        var secrets: String?
        defer { if let secrets { try? FileManager.default.removeItem(atPath: secrets) } }
        var environment = try baseEnvironment()
        do {
            if case .ssh = invocation.remote?.credentials {
                secrets = try PrivateFiles.makeDirectory(prefix: "secrets", in: home)
            }
            environment.merge(try credentialEnvironment(for: invocation.remote, in: secrets)) { $1 }
        } catch {
            throw GitError(
                .command, "cannot write credentials to a private file", repository: invocation.remote?.description,
                cause: SubprocessFailure(description: "\(error)"))
        }
        environment.merge(invocation.environment) { $1 }
        var arguments = Self.safetyOptions
        // Without a directory git would discover whatever repository the process runs in.
        arguments += ["-C", invocation.directory ?? home]
        arguments += invocation.arguments
        var executable = configuration.gitExecutable
        if let setpriv {
            guard let gitPath else {
                throw GitError(
                    .command, "git \(invocation.subcommand) could not be run", repository: invocation.remote?.description,
                    cause: SubprocessFailure(description: "\(executable) is not an executable file"))
            }
            arguments = ["--pdeathsig", "TERM", "--", home + "/supervise", gitPath] + arguments
            executable = setpriv
        }
        let timeout = invocation.timeout ?? configuration.timeout
        let repository = invocation.remote?.description
        logger.debug("git \(invocation.subcommand)", metadata: repository.map { ["keelson.repo": "\($0)"] } ?? [:])
        let raw = try await ProcessLauncher.run(
            executable: executable, arguments: arguments, environment: environment,
            timeout: timeout, clock: configuration.clock,
            outputLimit: configuration.maximumOutputBytes, errorLimit: configuration.maximumErrorBytes,
            what: "git \(invocation.subcommand)", repository: repository)
        let scrub: (String) -> String = { invocation.remote?.scrub($0) ?? URLRedaction.scrub($0) }
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
            "KEELSON_PARENT_PID": "\(getpid())",
            "LC_ALL": "C",
            "LANG": "C",
        ]
    }

    /// The askpass helper's variables for https credentials; for an ssh key, files in `directory`.
    private func credentialEnvironment(for remote: GitRemote?, in directory: String?) throws -> [String: String] {
        guard let remote else { return [:] }
        if let pair = remote.credentials.httpPair, let origin = remote.url.origin {
            return ["KEELSON_GIT_USERNAME": pair.username, "KEELSON_GIT_PASSWORD": pair.password, "KEELSON_GIT_ORIGIN": origin]
        }
        if case .ssh(let key, let knownHosts, let strict) = remote.credentials, let directory {
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

    /// Writes `text` to `path`, created with `mode` before any byte is written. The descriptor is
    /// close-on-exec: a child forked meanwhile must not keep it, or running the file fails
    /// with "text file busy".
    static func write(_ text: String, to path: String, mode: Int) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            bytes = bytes.dropFirst(written)
        }
    }
}
