import Foundation
import Synchronization

/// The real moto server (`moto_server`, AWS's APIs on loopback, installed by `scripts/test`) on a
/// free port, for as long as `body` runs. Secrets are written through boto3, the AWS SDK moto's
/// own users test with, so what Keelson's client reads was written by the real SDK.
///
/// ```swift
/// try await RealMoto.withRunning { moto in
///     try await moto.createSecret("prod/db", value: #"{"password":"x"}"#, tags: ["team": "a"])
///     moto.stop()           // the store is down
///     try await moto.start() // up again, empty
/// }
/// ```
public final class RealMoto: Sendable {
    /// Whether `moto_server` and boto3 are installed.
    public static var isAvailable: Bool { ProcessRunner.isAvailable("moto_server") && ProcessRunner.isAvailable("python3") }

    /// The port, kept across restarts.
    public let port: Int
    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    /// The region secrets are made in.
    public let region = "us-east-1"
    private let directory: TemporaryDirectory
    private let process = Mutex<BackgroundProcess?>(nil)

    private init(directory: TemporaryDirectory, port: Int) {
        self.directory = directory
        self.port = port
    }

    /// Runs `body` with a started server; stops it afterwards.
    public static func withRunning<T>(_ body: (RealMoto) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "moto")
        defer { directory.remove() }
        let moto = RealMoto(directory: directory, port: try Ports.free())
        try await moto.start()
        defer { moto.stop() }
        return try await body(moto)
    }

    /// Starts the server (again) on its port and waits until it answers; a restarted moto is empty.
    public func start() async throws {
        let started = try BackgroundProcess("moto_server", ["-H", "127.0.0.1", "-p", "\(port)"], log: directory.path + "/moto.log")
        process.withLock { $0 = started }
        try await Ports.waitUntilListening(port, timeout: .seconds(60))
    }

    /// Stops the server: every call fails to connect until `start()`.
    public func stop() {
        let running = process.withLock { process in
            defer { process = nil }
            return process
        }
        // moto_server ignores SIGTERM while it serves; a kill is what "the store is down" means anyway.
        running?.kill()
    }

    /// Creates a secret holding `value` with `tags`; returns its version id.
    @discardableResult
    public func createSecret(_ name: String, value: String, tags: [String: String] = [:]) async throws -> String {
        let tagList = tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] }
        return try await boto3("create_secret", try Self.json(["Name": name, "SecretString": value, "Tags": tagList]))
    }

    /// Puts a new current version of `name` (a rotation); returns its version id.
    @discardableResult
    public func putSecretValue(_ name: String, value: String) async throws -> String {
        try await boto3("put_secret_value", try Self.json(["SecretId": name, "SecretString": value]))
    }

    /// Deletes `name` at once.
    public func deleteSecret(_ name: String) async throws {
        _ = try await boto3("delete_secret", try Self.json(["SecretId": name, "ForceDeleteWithoutRecovery": true]))
    }

    /// Calls one Secrets Manager method through boto3 with `arguments` (passed on standard input,
    /// never on the command line); returns the reply's `VersionId`.
    private func boto3(_ method: String, _ input: Data) async throws -> String {
        let script = """
            import boto3, json, sys
            client = boto3.client("secretsmanager", endpoint_url=sys.argv[1], region_name=sys.argv[2],
                                  aws_access_key_id="testing", aws_secret_access_key="testing")
            reply = getattr(client, sys.argv[3])(**json.load(sys.stdin))
            print(reply.get("VersionId", ""))
            """
        let result = try await ProcessRunner.run(
            "python3", ["-c", script, endpoint, region, method], environment: ProcessInfo.processInfo.environment, input: input)
        guard result.status == 0 else { throw RealMotoError(message: "boto3 \(method) failed: \(result.errorOutput.suffix(400))") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension RealMoto {
    static func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
}

/// A boto3 call that failed.
public struct RealMotoError: Error, CustomStringConvertible {
    /// What failed.
    public var message: String
    public var description: String { message }
}
