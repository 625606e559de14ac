/// A chart that could not be loaded, processed or given values, with Helm's wording.
///
/// `message` is the text Helm prints after `Error: ` for the same chart (without the
/// `INSTALLATION FAILED:` prefix `helm install` adds); `path` names the file inside the chart
/// when one is at fault.
///
/// ```swift
/// do { _ = try ChartLoader.load(archive: bytes) } catch { print(error.message) }
/// ```
public struct ChartError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// `Chart.yaml` is missing, unreadable or invalid.
        case invalidMetadata
        /// A values file or `requirements.yaml` could not be read.
        case invalidValues
        /// The archive is not a gzipped tar, or breaks Helm's archive rules.
        case invalidArchive
        /// The archive or directory is over a size or entry limit.
        case tooLarge
        /// A file could not be read through the chart's `SecureRoot`.
        case unreadable
        /// `.helmignore` has a rule Helm rejects.
        case invalidIgnoreRule
        /// The chart's `kubeVersion` excludes the target Kubernetes version.
        case incompatibleKubeVersion
        /// The chart cannot be installed (a library chart).
        case notInstallable
        /// User values conflict with the chart's structure.
        case valuesMismatch
        /// The final values break a `values.schema.json`.
        case schemaValidation
        /// A `values.schema.json` cannot be used (invalid JSON, a remote `$ref`).
        case invalidSchema
    }

    /// What kind of failure this is.
    public var code: Code
    /// Helm's message for it.
    public var message: String
    /// The file inside the chart at fault, when one is.
    public var path: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { message }
}
