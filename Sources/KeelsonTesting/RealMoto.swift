import Foundation
import Synchronization

/// The real moto server (`moto_server`, AWS's APIs on loopback, installed by `scripts/test`) on a
/// free port, for as long as `body` runs. Secrets and KMS keys are made through boto3, the AWS SDK
/// moto's own users test with, so what Keelson's clients read was written by the real SDK.
///
/// ```swift
/// try await RealMoto.withRunning { moto in
///     try await moto.createSecret("prod/db", value: #"{"password":"x"}"#, tags: ["team": "a"])
///     let arn = try await moto.createKMSKey()
///     moto.stop()           // the store is down
///     try await moto.start() // up again, empty
/// }
/// ```
public final class RealMoto: Sendable {
    /// Whether `moto_server` and boto3 are installed.
    public static var isAvailable: Bool { ProcessRunner.isAvailable("moto_server") && ProcessRunner.isAvailable("python3") }

    /// The port, kept across restarts.
    public let port: Int
    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_SECRETS_MANAGER` or `AWS_ENDPOINT_URL_KMS`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    /// The region secrets and keys are made in.
    public let region = "us-east-1"
    /// Whether the server checks signatures and access keys (moto's IAM authentication).
    public let requiresCredentials: Bool
    private let directory: TemporaryDirectory
    private let process = Mutex<BackgroundProcess?>(nil)
    private let key = Mutex(MotoAccessKey(id: "testing", secret: "testing"))

    private init(directory: TemporaryDirectory, port: Int, requiresCredentials: Bool) {
        self.directory = directory
        self.port = port
        self.requiresCredentials = requiresCredentials
    }

    /// An access key the server accepts: any key, unless it requires credentials; then the key of
    /// an IAM user allowed everything, made when the server started.
    public var accessKey: MotoAccessKey { key.withLock { $0 } }

    /// Runs `body` with a started server; stops it afterwards. With `requiringCredentials`, moto
    /// checks every request's signature and access key, so wrong credentials are refused.
    public static func withRunning<T>(requiringCredentials: Bool = false, _ body: (RealMoto) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "moto")
        defer { directory.remove() }
        let moto = RealMoto(directory: directory, port: try Ports.free(), requiresCredentials: requiringCredentials)
        try await moto.start()
        defer { moto.stop() }
        return try await body(moto)
    }

    /// Starts the server (again) on its port and waits until it answers; a restarted moto is empty.
    public func start() async throws {
        // moto lets the first N requests through unauthenticated: the three that make the IAM user and its key.
        let environment = requiresCredentials ? ["INITIAL_NO_AUTH_ACTION_COUNT": "3"] : nil
        let started = try BackgroundProcess(
            "moto_server", ["-H", "127.0.0.1", "-p", "\(port)"], log: directory.path + "/moto.log", environment: environment)
        process.withLock { $0 = started }
        try await Ports.waitUntilListening(port, timeout: .seconds(60))
        if requiresCredentials { try await makeAccessKey() }
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

    /// Creates a symmetric KMS key; returns its ARN.
    public func createKMSKey(description: String = "keelson test key") async throws -> String {
        try await boto3("create_key", try Self.json(["Description": description]), service: "kms", field: "KeyMetadata.Arn")
    }

    /// Makes an IAM user allowed everything and its access key, which later calls sign with.
    private func makeAccessKey() async throws {
        let script = """
            import boto3, json, sys
            iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name=sys.argv[2],
                               aws_access_key_id="testing", aws_secret_access_key="testing")
            iam.create_user(UserName="keelson")
            iam.put_user_policy(UserName="keelson", PolicyName="all", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
            key = iam.create_access_key(UserName="keelson")["AccessKey"]
            print(key["AccessKeyId"] + " " + key["SecretAccessKey"])
            """
        let result = try await ProcessRunner.run("python3", ["-c", script, endpoint, region], environment: ProcessInfo.processInfo.environment)
        let parts = result.output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard result.status == 0, parts.count == 2 else {
            throw RealMotoError(message: "creating the IAM access key failed: \(result.errorOutput.suffix(400))")
        }
        key.withLock { $0 = MotoAccessKey(id: parts[0], secret: parts[1]) }
    }

    /// Calls one method of `service` through boto3 with `arguments` (passed on standard input,
    /// never on the command line, as is the access key); returns the reply's `field`, a dotted path.
    private func boto3(_ method: String, _ input: Data, service: String = "secretsmanager", field: String = "VersionId") async throws -> String {
        let script = """
            import boto3, json, os, sys
            client = boto3.client(sys.argv[4], endpoint_url=sys.argv[1], region_name=sys.argv[2],
                                  aws_access_key_id=os.environ["MOTO_KEY_ID"], aws_secret_access_key=os.environ["MOTO_KEY_SECRET"])
            reply = getattr(client, sys.argv[3])(**json.load(sys.stdin))
            for name in sys.argv[5].split("."):
                reply = reply.get(name, "") if isinstance(reply, dict) else ""
            print(reply)
            """
        var environment = ProcessInfo.processInfo.environment
        let key = accessKey
        environment["MOTO_KEY_ID"] = key.id
        environment["MOTO_KEY_SECRET"] = key.secret
        let result = try await ProcessRunner.run(
            "python3", ["-c", script, endpoint, region, method, service, field], environment: environment, input: input)
        guard result.status == 0 else { throw RealMotoError(message: "boto3 \(method) failed: \(result.errorOutput.suffix(400))") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension RealMoto {
    static func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
}

/// An access key moto accepts.
public struct MotoAccessKey: Sendable, Hashable {
    /// The access key id.
    public var id: String
    /// The secret access key.
    public var secret: String
}

/// A boto3 call that failed.
public struct RealMotoError: Error, CustomStringConvertible {
    /// What failed.
    public var message: String
    public var description: String { message }
}
