/// A failure to load, render or fetch a chart, with the text Helm would print and the file involved.
public struct HelmError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// A rendered document is not well-formed YAML.
        case parse
        /// A template failed to parse or execute (`required`, `fail`, a type error).
        case template
        /// The chart itself is invalid (Chart.yaml, layout, archive).
        case chart
        /// A values file or `--set` expression is invalid.
        case values
        /// The values do not meet the chart's `values.schema.json`.
        case schema
        /// The chart does not support the target Kubernetes version.
        case kubeVersion
        /// A limit was reached (template depth, render time, archive size).
        case limit
        /// The chart could not be fetched from its repository.
        case fetch
        /// A `--show-only` pattern names no rendered template.
        case showOnly
    }

    /// What kind of failure this is.
    public var code: Code
    /// The message, worded as Helm words it where Helm has the same failure.
    public var message: String
    /// The chart file involved, when there is one.
    public var file: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, file: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
    }

    public var description: String { message }
}

extension HelmError {
    /// A chart that failed to load or prepare.
    public init(_ error: ChartError) {
        let code: Code =
            switch error.code {
            case .schemaValidation: .schema
            case .incompatibleKubeVersion: .kubeVersion
            case .tooLarge: .limit
            case .invalidValues, .valuesMismatch: .values
            default: .chart
            }
        self.init(code, error.message, file: error.path)
    }

    /// Values files or `--set` flags that could not be read.
    public init(_ error: HelmValuesError) {
        self.init(.values, error.message, file: error.source)
    }
}
