import GoTemplate

/// The values a chart renders with, prepared as `helm template` / `helm install` does before
/// rendering: the installable check, the `dependencies:` check, dependency processing,
/// coalescing, schema validation and the `kubeVersion` check.
///
/// ```swift
/// let prepared = try ChartValues.prepare(chart: chart, user: ["replicas": .float(3)])
/// for node in prepared.chart.tree() { _ = ChartValues.scoped(prepared.values, for: node) }
/// ```
public enum ChartValues {
    /// A chart ready to render.
    public struct Prepared: Sendable {
        /// The chart after dependency processing: disabled subcharts removed, aliases applied,
        /// imported values in the defaults.
        public var chart: Chart
        /// The coalesced values of the root chart (`.Values`); a subchart's are under its name.
        public var values: [String: Value]
        /// What Helm would log as warnings while coalescing (type conflicts, non-bool conditions).
        public var warnings: [String]
    }

    /// Prepares `chart` with the user's values (`-f` files and `--set` already merged).
    /// `kubeVersion` is `.Capabilities.KubeVersion` (Helm's default `v1.36.0`).
    public static func prepare(
        chart: Chart, user: [String: Value], kubeVersion: String = "v1.36.0", skipSchemaValidation: Bool = false
    ) throws(ChartError) -> Prepared {
        try checkInstallable(chart)
        try checkDependencies(chart)
        var warnings: [String] = []
        let processed = try ChartDependencies.process(chart, values: user, warnings: &warnings)
        let values = try coalesce(processed, user: user, warnings: &warnings)
        if !skipSchemaValidation { try ValuesSchema.validate(chart: processed, values: values) }
        try checkKubeVersion(processed, kubeVersion: kubeVersion)
        return Prepared(chart: processed, values: values, warnings: warnings)
    }

    /// `CoalesceValues`: the chart's defaults (and its subcharts') under `user`.
    public static func coalesce(_ chart: Chart, user: [String: Value], warnings: inout [String]) throws(ChartError) -> [String: Value] {
        var coalescing = ValuesCoalescing(merge: false)
        let values = try coalescing.coalesce(chart, user)
        warnings += coalescing.warnings
        return values
    }

    /// The `.Values` a template of `node` sees: the root's values, or the table under the
    /// subchart's path (empty when missing).
    public static func scoped(_ values: [String: Value], for node: Chart.Node) -> [String: Value] {
        var current = values
        for name in node.valuesPath {
            guard let next = current[name]?.mapEntries else { return [:] }
            current = next
        }
        return current
    }

    /// Helm refuses to install anything but an application chart.
    public static func checkInstallable(_ chart: Chart) throws(ChartError) {
        guard ["", "application"].contains(chart.metadata.type) else {
            throw ChartError(.notInstallable, "\(chart.metadata.type) charts are not installable")
        }
    }

    /// Every `dependencies:` entry must have its chart in `charts/`.
    public static func checkDependencies(_ chart: Chart) throws(ChartError) {
        let missing = chart.metadata.dependencies.map(\.name).filter { name in !chart.dependencies.contains { $0.name == name } }
        guard missing.isEmpty else {
            throw ChartError(
                .invalidMetadata,
                "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: "
                    + "found in Chart.yaml, but missing in charts/ directory: " + missing.joined(separator: ", "))
        }
    }

    /// The root chart's `kubeVersion` constraint against the target Kubernetes version.
    public static func checkKubeVersion(_ chart: Chart, kubeVersion: String) throws(ChartError) {
        let constraint = chart.metadata.kubeVersion
        guard !constraint.isEmpty, !HelmSemver.isCompatible(range: constraint, version: kubeVersion) else { return }
        throw ChartError(.incompatibleKubeVersion, "chart requires kubeVersion: \(constraint) which is incompatible with Kubernetes \(kubeVersion)")
    }
}
