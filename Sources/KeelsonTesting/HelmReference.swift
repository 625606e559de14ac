import Foundation

/// The real `helm` (4.2.3, installed by `scripts/test`), run as the reference the chart renderer is
/// compared with.
public enum HelmReference {
    /// One document of `helm template` output.
    public struct Document: Sendable, Hashable {
        /// The `# Source:` path.
        public var source: String
        /// The document text after the `# Source:` line.
        public var content: String
    }

    /// The `helm` binary: on PATH, or where scripts/test installs it; throws `HelmMissing` (which
    /// says how to install it) when neither has it.
    public static func executable() throws -> String {
        if let found = ProcessRunner.which("helm") { return found }
        let tools = ProcessInfo.processInfo.environment["KEELSON_TOOLS"] ?? NSHomeDirectory() + "/.cache/keelson"
        let cached = tools + "/helm-v4.2.3/helm"
        guard FileManager.default.isExecutableFile(atPath: cached) else { throw HelmMissing() }
        return cached
    }

    /// Runs `helm ARGUMENTS` and returns its result; throws `HelmMissing` when helm is not installed.
    public static func run(_ arguments: [String], directory: String? = nil, environment: [String: String]? = nil) async throws
        -> ProcessResult
    {
        try await ProcessRunner.run(try executable(), arguments, directory: directory, environment: environment)
    }

    /// `helm template RELEASE CHART ARGUMENTS`, split into documents; throws with Helm's error text
    /// when it fails.
    public static func template(_ release: String, _ chart: String, _ arguments: [String] = []) async throws -> [Document] {
        let result = try await run(["template", release, chart] + arguments)
        guard result.status == 0 else { throw Failed(message: result.errorOutput) }
        return documents(result.output)
    }

    /// Splits `helm template`'s output into its documents: each starts with a `---` line followed by
    /// a `# Source:` line (a `---` inside a document's text stays in it).
    public static func documents(_ output: String) -> [Document] {
        var documents: [Document] = []
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < lines.count {
            if lines[index] == "---", index + 1 < lines.count, lines[index + 1].hasPrefix("# Source: ") {
                documents.append(Document(source: String(lines[index + 1].dropFirst(10)), content: ""))
                index += 2
                continue
            }
            if !documents.isEmpty {
                let content = documents[documents.count - 1].content
                documents[documents.count - 1].content = content.isEmpty ? String(lines[index]) : content + "\n" + lines[index]
            }
            index += 1
        }
        return documents
    }

    /// `helm` failed; `message` is its standard error.
    public struct Failed: Error, CustomStringConvertible {
        /// Helm's standard error.
        public var message: String
        public var description: String { message }
    }

    /// `helm` is not installed.
    public struct HelmMissing: Error, CustomStringConvertible {
        public var description: String {
            "helm 4.2.3 is not installed: run scripts/test, which installs it into ~/.cache/keelson/helm-v4.2.3"
        }
    }
}
