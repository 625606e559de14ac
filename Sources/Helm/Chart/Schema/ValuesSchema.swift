import GoTemplate

/// Validation of a chart tree's final values against each chart's `values.schema.json`, with
/// Helm's error text.
public enum ValuesSchema {
    /// Validates `values` against `chart`'s schema and each subchart's against its own; the
    /// error lists every chart whose schema is broken.
    public static func validate(chart: Chart, values: [String: Value]) throws(ChartError) {
        let report = try failures(chart: chart, values: values)
        guard !report.isEmpty else { return }
        throw ChartError(.schemaValidation, "values don't meet the specifications of the schema(s) in the following chart(s):\n" + report)
    }

    /// Helm's `ValidateAgainstSchema` text: `NAME:\n- at '...': ...\n` per failing chart.
    static func failures(chart: Chart, values: [String: Value]) throws(ChartError) -> String {
        var report = ""
        if let schema = chart.schema {
            do throws(ChartError) {
                let validator = SchemaValidator(schema: try JSONDocument.parse(schema))
                let top = try validator.validate(.map(values))
                if !top.isEmpty { report += "\(chart.name):\n" + top.flatMap { $0.lines(indent: 0) }.joined(separator: "\n") + "\n" }
            } catch {
                report += "\(chart.name):\n" + error.message
            }
        }
        for sub in chart.dependencies {
            guard let raw = values[sub.name], !raw.isNull else { continue }
            guard let subValues = raw.mapEntries else {
                report += "\(sub.name):\ninvalid type for values: expected object (map), got \(raw.goType.name)\n"
                continue
            }
            report += try failures(chart: sub, values: subValues)
        }
        return report
    }
}
