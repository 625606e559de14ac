import Foundation
import KeelsonTesting
import KubeSandbox
import Testing

/// The outcome of one kubectl run.
struct KubectlResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the real kubectl against a sandbox, with a private kubeconfig and discovery cache.
struct Kubectl: Sendable {
    /// Where kubectl is expected; tests skip with a reason when it is missing.
    static let path = ProcessInfo.processInfo.environment["KUBECTL"] ?? "/usr/bin/kubectl"
    /// Whether kubectl is installed.
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// kubectl 1.28.3, the oldest client the sandbox is tried with.
    static func v128() throws -> String { try ReferenceKubectl.v128.path() }

    let kubeconfig: String
    let cacheDir: String
    let workDir: URL
    /// The kubectl binary.
    var binary = Kubectl.path

    /// The same sandbox and folders driven by another kubectl binary (with a cache of its own).
    func using(_ binary: String) -> Kubectl {
        Kubectl(kubeconfig: kubeconfig, cacheDir: cacheDir + "-" + UUID().uuidString, workDir: workDir, binary: binary)
    }

    /// Runs `kubectl ARGS`, feeding `stdin`; stops it once its output so far satisfies `until`
    /// (for `--watch`, which runs until stopped), and after `timeout` at the latest.
    @discardableResult
    func run(
        _ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60), until: (@Sendable (String) -> Bool)? = nil
    ) async throws -> KubectlResult {
        let id = UUID().uuidString
        let outURL = workDir.appendingPathComponent("\(id).out")
        let errURL = workDir.appendingPathComponent("\(id).err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        var input = ChildProcess.Stream.null
        if let stdin {
            let inURL = workDir.appendingPathComponent("\(id).in")
            try Data(stdin.utf8).write(to: inURL)
            input = .file(inURL.path)
        }
        let pid = try ChildProcess.spawn(
            binary, ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir] + arguments,
            environment: ["HOME": workDir.path, "PATH": "/usr/bin:/bin", "KUBECTL_KUBERC": "false"],
            stdin: input, stdout: .file(outURL.path), stderr: .file(errURL.path))
        // Reaped on a thread of its own; killed after `timeout` (a `--watch` runs until then).
        let status: Int32 = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in Thread { continuation.resume(returning: ChildProcess.wait(pid)) }.start() }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { kill(pid, SIGTERM) }
                return nil
            }
            if let until {
                group.addTask {
                    while !Task.isCancelled {
                        if until((try? String(contentsOf: outURL, encoding: .utf8)) ?? "") {
                            kill(pid, SIGTERM)
                            return nil
                        }
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                    return nil
                }
            }
            var status: Int32 = -1
            for await result in group {
                if let result {
                    status = result
                    group.cancelAll()
                }
            }
            return status
        }
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return KubectlResult(status: status, stdout: out, stderr: err)
    }

    /// Runs kubectl and requires success, returning stdout.
    @discardableResult
    func ok(_ arguments: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await run(arguments, stdin: stdin)
        #expect(result.status == 0, "kubectl \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Runs kubectl and parses its JSON output.
    func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValueBox {
        let out = try await ok(arguments + ["-o", "json"], sourceLocation: sourceLocation)
        return try JSONValueBox(out)
    }
}

/// Runs `body` against a fresh sandbox on a random port with a kubeconfig in a temporary folder.
@discardableResult
func withSandbox<Result: Sendable>(
    _ configure: (inout SandboxConfiguration) -> Void = { _ in },
    _ body: @Sendable (Kubectl, SandboxEndpoint) async throws -> Result
) async throws -> Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = SandboxConfiguration(port: 0, kubeconfigPath: dir.appendingPathComponent("kubeconfig").path)
    configure(&configuration)
    return try await Sandbox.withRunning(configuration) { endpoint in
        let kubectl = Kubectl(
            kubeconfig: endpoint.kubeconfigPath!, cacheDir: dir.appendingPathComponent("cache").path, workDir: dir)
        return try await body(kubectl, endpoint)
    }
}
