import GoTemplate

/// YAML reading for the chart loader, through Helm's own reader (`HelmYAML`: sigs.k8s.io/yaml's
/// YAML 1.1 typing, every number a float).
enum ChartYAML {
    /// One YAML document as a value (`Chart.yaml`, `Chart.lock`, `requirements.yaml`).
    static func document(_ text: String) throws(ChartError) -> Value {
        do {
            return try HelmYAML.decode(text)
        } catch {
            throw ChartError(.invalidValues, error.message)
        }
    }

    /// A values file as Helm's `LoadValues` reads it: every document's map merged in order.
    static func values(_ text: String) throws(ChartError) -> [String: Value] {
        do {
            return try HelmYAML.loadValues(text)
        } catch {
            throw ChartError(.invalidValues, error.message)
        }
    }
}
