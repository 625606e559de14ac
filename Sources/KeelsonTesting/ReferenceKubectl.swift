import Foundation

/// A kubectl release the tests compare with besides the machine's own (which stays on PATH for
/// the sandbox tests): where `scripts/test` installed it, named by an environment variable, else
/// in its cache folder (`$KEELSON_TOOLS`, by default `~/.cache/keelson`).
public struct ReferenceKubectl: Sendable {
    /// The release, e.g. `1.37.1`.
    public let version: String
    /// The variable scripts/test sets to the executable's path.
    public let variable: String

    /// kubectl 1.37.1 with kustomize v5.8.1: the reference of the Kustomize tests.
    public static let v137 = ReferenceKubectl(version: "1.37.1", variable: "KEELSON_KUBECTL_137")
    /// kubectl 1.28.3: the oldest client the sandbox is tried with.
    public static let v128 = ReferenceKubectl(version: "1.28.3", variable: "KEELSON_KUBECTL_128")

    /// The release is not installed.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// The executable's path.
    public func path() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let tools = environment["KEELSON_TOOLS"] ?? NSHomeDirectory() + "/.cache/keelson"
        for path in [environment[variable], tools + "/kubectl-v\(version)/kubectl"].compactMap({ $0 })
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw Missing(description: "kubectl \(version) is not installed: run scripts/test, which sets \(variable)")
    }

    /// Whether the release is installed.
    public var isAvailable: Bool { (try? path()) != nil }
}
