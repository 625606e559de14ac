import Foundation
import KeelsonFoundation
import Manifests

/// The credential an exec plugin returned (`ExecCredential.status`). Its description never
/// shows the token.
public struct ExecCredential: Sendable, CustomStringConvertible {
    /// The bearer token, if the plugin returned one.
    public var token: String?
    /// When the credential expires; `nil` means it is good until the server rejects it.
    public var expiration: Date?
    /// Whether the plugin returned a client certificate (not used by this client yet).
    public var hasClientCertificate: Bool

    /// `ExecCredential(expires: …)`.
    public var description: String {
        "ExecCredential(token: \(token == nil ? "none" : "redacted"), expires: \(expiration.map { "\($0)" } ?? "never"))"
    }
}

/// Runs exec credential plugins (`client.authentication.k8s.io/v1`) the way client-go does.
public enum ExecPlugin {
    /// The API versions whose `ExecCredential` this client reads.
    public static let supportedAPIVersions: Set<String> = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]
    /// The most bytes of plugin output read.
    static let maximumOutput = 1 << 20

    /// Runs the plugin and parses its credential.
    static func run(
        _ config: Kubeconfig.ExecConfig, server: String, certificateAuthorityPEM: [UInt8]?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(KubeError) -> ExecCredential {
        let what = "exec plugin \(config.command)"
        guard supportedAPIVersions.contains(config.apiVersion) else {
            throw KubeError(.credentials, "\(what): apiVersion \(config.apiVersion) is not supported")
        }
        if config.interactiveMode == "Always" {
            throw KubeError(.credentials, "\(what) requires an interactive terminal (interactiveMode: Always)")
        }
        var env = environment
        for variable in config.env { env[variable.name] = variable.value }
        env["KUBERNETES_EXEC_INFO"] = JSONWriter.compact(execInfo(config, server: server, ca: certificateAuthorityPEM))
        guard let executable = locate(config.command, path: env["PATH"]) else {
            let hint = config.installHint.isEmpty ? "" : " (\(config.installHint))"
            throw KubeError(.credentials, "\(what) was not found\(hint)")
        }
        let output: PluginOutput
        do {
            output = try await runProcess(executable, arguments: config.args, environment: env)
        } catch {
            throw KubeError(.credentials, "\(what) could not be started", cause: error)
        }
        guard output.status == 0 else {
            // stderr is the plugin's diagnostic; stdout (where the token would be) is never shown.
            let detail = String(decoding: output.stderr.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw KubeError(.credentials, "\(what) exited with status \(output.status)\(detail.isEmpty ? "" : ": \(detail)")")
        }
        guard output.stdout.count <= maximumOutput else {
            throw KubeError(.credentials, "\(what) wrote more than \(maximumOutput) bytes")
        }
        return try parse(output.stdout, expectedAPIVersion: config.apiVersion, what: what)
    }

    /// Parses a plugin's standard output.
    static func parse(_ bytes: [UInt8], expectedAPIVersion: String, what: String) throws(KubeError) -> ExecCredential {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, file: what) } catch {
            // The parse error may quote the output, which holds the token: keep only the position.
            throw KubeError(.credentials, "\(what) did not write a JSON ExecCredential (at \(error.location))")
        }
        guard value["kind"]?.stringValue == "ExecCredential" else {
            throw KubeError(.credentials, "\(what) wrote an object that is not an ExecCredential")
        }
        guard value["apiVersion"]?.stringValue == expectedAPIVersion else {
            throw KubeError(
                .credentials, "\(what) answered with apiVersion \(value["apiVersion"]?.stringValue ?? "none"), expected \(expectedAPIVersion)")
        }
        let status = value["status"]
        let token = status?["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let hasCertificate = status?["clientCertificateData"]?.stringValue != nil
        guard token != nil || hasCertificate else { throw KubeError(.credentials, "\(what) returned neither a token nor a client certificate") }
        var expiration: Date?
        if let text = status?["expirationTimestamp"]?.stringValue {
            guard let date = parseTimestamp(text) else { throw KubeError(.credentials, "\(what) returned an unreadable expirationTimestamp") }
            expiration = date
        }
        return ExecCredential(token: token, expiration: expiration, hasClientCertificate: hasCertificate)
    }

    static func execInfo(_ config: Kubeconfig.ExecConfig, server: String, ca: [UInt8]?) -> JSONValue {
        var spec: JSONValue = ["interactive": false]
        if config.provideClusterInfo {
            var cluster: JSONValue = ["server": .string(server)]
            if let ca { cluster["certificate-authority-data"] = .string(Data(ca).base64EncodedString()) }
            spec["cluster"] = cluster
        }
        return ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": spec]
    }

    /// RFC 3339 with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    static func locate(_ command: String, path: String?) -> String? {
        if command.contains("/") { return FileManager.default.isExecutableFile(atPath: command) ? command : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct PluginOutput: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    /// Runs the plugin through `Program` (Foundation's `Process.run()` reads past directory
    /// entries while listing `/proc/self/fd` and can crash a process that holds many
    /// descriptors, as a busy controller does). Output is bounded.
    static func runProcess(_ executable: String, arguments: [String], environment: [String: String]) async throws -> PluginOutput {
        let record = try await Program.run(executable, arguments, environment: environment, outputLimit: 1 << 20, errorLimit: 1 << 20)
        return PluginOutput(status: record.status ?? -1, stdout: record.stdout, stderr: record.stderr)
    }
}
