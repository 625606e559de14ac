import Crypto
import Foundation
import KeelsonTesting

/// Test charts packaged by the real `helm` (found on `PATH`), with its state kept in a temporary folder.
struct ChartSourceFixtures {
    let folder: TemporaryDirectory

    init() throws { folder = try TemporaryDirectory(prefix: "keelson-charts") }

    /// Runs `helm` with its config, cache and registry logins inside the test folder; throws its stderr on failure.
    @discardableResult
    func helm(_ arguments: [String]) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        for (name, sub) in [("HELM_CONFIG_HOME", "config"), ("HELM_CACHE_HOME", "cache"), ("HELM_DATA_HOME", "data")] {
            environment[name] = folder.path + "/helm-" + sub
        }
        let result = try await HelmReference.run(arguments, environment: environment)
        guard result.status == 0 else {
            throw CocoaError(
                .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "helm \(arguments.joined(separator: " ")): \(result.errorOutput)"])
        }
        return result.output
    }

    /// Packages chart `name` at each of `versions` into `into` (a folder under the test folder); returns the archive paths.
    @discardableResult
    func package(_ name: String, versions: [String], into: String) async throws -> [String: String] {
        let source = "src-\(name)"
        try folder.write("\(source)/Chart.yaml", "apiVersion: v2\nname: \(name)\nversion: 0.1.0\n")
        try folder.write("\(source)/templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n")
        try FileManager.default.createDirectory(atPath: folder.path + "/" + into, withIntermediateDirectories: true)
        var archives: [String: String] = [:]
        for version in versions {
            try await helm(["package", folder.path + "/" + source, "--version", version, "-d", folder.path + "/" + into])
            archives[version] = "\(folder.path)/\(into)/\(name)-\(version).tgz"
        }
        return archives
    }

    /// The bytes of `path`.
    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// `sha256:HEX` of `bytes`.
    static func digest(_ bytes: [UInt8]) -> String { "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }
}
