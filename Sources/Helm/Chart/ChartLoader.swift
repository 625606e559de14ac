import GoTemplate
import KeelsonFoundation

/// Loads charts from a directory (through a `SecureRoot`) or from a `.tgz` archive, classifying
/// files as Helm's loader does.
public enum ChartLoader {
    /// Limits for reading charts.
    public struct Limits: Sendable, Hashable {
        /// The most bytes all files of one archive may decompress to (Helm: 100 MiB).
        public var maximumTotalBytes: Int = 100 << 20
        /// The largest single file (Helm 3's former limit: 5 MiB).
        public var maximumFileBytes: Int = 5 << 20
        /// The most entries one archive may hold.
        public var maximumEntries: Int = 20_000
        /// The deepest nesting of subcharts.
        public var maximumDepth: Int = 32

        /// Creates limits.
        public init() {}
    }

    /// Loads a chart from named files (paths relative to the chart's root), as Helm's `LoadFiles`.
    public static func load(files: [ChartFile], limits: Limits = Limits()) throws(ChartError) -> Chart {
        try load(files: files, limits: limits, depth: 0)
    }

    static func load(files: [ChartFile], limits: Limits, depth: Int) throws(ChartError) -> Chart {
        guard depth <= limits.maximumDepth else {
            throw ChartError(.tooLarge, "subcharts are nested deeper than the maximum of \(limits.maximumDepth)")
        }
        var metadata: ChartMetadata?
        for file in files where file.name == "Chart.yaml" {
            do throws(ChartError) {
                var read = try ChartMetadata(document: try ChartYAML.document(file.text))
                if read.apiVersion.isEmpty { read.apiVersion = "v1" }
                metadata = read
            } catch {
                if error.message.hasPrefix("validation:") { throw ChartError(.invalidMetadata, error.message, path: "Chart.yaml") }
                throw ChartError(.invalidMetadata, "cannot load Chart.yaml: " + wrapped(error), path: "Chart.yaml")
            }
        }
        var chart = Chart(metadata: metadata ?? ChartMetadata(), raw: files)
        var subcharts: [String: [ChartFile]] = [:]
        for file in files {
            switch file.name {
            case "Chart.yaml":
                continue
            case "Chart.lock", "requirements.lock":
                do throws(ChartError) {
                    chart.lock = try ChartLock(document: try ChartYAML.document(file.text))
                } catch {
                    throw ChartError(.invalidMetadata, "cannot load \(file.name): " + wrapped(error), path: file.name)
                }
                if file.name == "requirements.lock", metadata?.apiVersion == "v1" { chart.files.append(file) }
            case "values.yaml":
                do throws(ChartError) {
                    chart.values = try ChartYAML.values(file.text)
                } catch {
                    throw ChartError(.invalidValues, "cannot load values.yaml: " + error.message, path: file.name)
                }
            case "values.schema.json":
                chart.schema = file.data
            case "requirements.yaml":
                do throws(ChartError) {
                    try chart.metadata.readRequirements(try ChartYAML.document(file.text))
                } catch {
                    throw ChartError(.invalidMetadata, "cannot load requirements.yaml: " + wrapped(error), path: file.name)
                }
                if chart.metadata.apiVersion == "v1" { chart.files.append(file) }
            case let name where name.hasPrefix("templates/"):
                chart.templates.append(file)
            case let name where name.hasPrefix("charts/"):
                if name.hasSuffix(".prov") {
                    chart.files.append(file)
                    continue
                }
                let inner = String(name.dropFirst("charts/".count))
                let subchart = String(inner.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0])
                subcharts[subchart, default: []].append(ChartFile(name: inner, data: file.data))
            default:
                chart.files.append(file)
            }
        }
        guard metadata != nil else { throw ChartError(.invalidMetadata, "Chart.yaml file is missing", path: "Chart.yaml") }
        guard ["v1", "v2"].contains(chart.metadata.apiVersion) else {
            throw ChartError(.invalidMetadata, "invalid chart apiVersion", path: "Chart.yaml")
        }
        try chart.metadata.validate()
        for (name, group) in subcharts.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix("_") || name.hasPrefix(".") { continue }
            if name.hasSuffix(".tgz"), let file = group.first, file.name != name {
                throw ChartError(.invalidArchive, "error unpacking subchart tar in \(chart.name): expected \(name), got \(file.name)")
            }
            do throws(ChartError) {
                if name.hasSuffix(".tgz") {
                    chart.dependencies.append(try load(archive: group[0].data, limits: limits, depth: depth + 1))
                } else {
                    let inner = group.compactMap { file -> ChartFile? in
                        let parts = file.name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                        return parts.count < 2 ? nil : ChartFile(name: String(parts[1]), data: file.data)
                    }
                    chart.dependencies.append(try load(files: inner, limits: limits, depth: depth + 1))
                }
            } catch {
                throw ChartError(error.code, "error unpacking subchart \(name) in \(chart.name): \(error.message)", path: "charts/" + name)
            }
        }
        return chart
    }

    /// Helm wraps YAML errors in `error converting YAML to JSON` / `error unmarshaling JSON`.
    private static func wrapped(_ error: ChartError) -> String {
        if error.message.hasPrefix("error converting") { return error.message }
        return "error unmarshaling JSON: while decoding JSON: " + error.message
    }

    /// Removes a leading UTF-8 byte order mark, as Helm does for every chart file.
    static func trimmingBOM(_ data: [UInt8]) -> [UInt8] {
        data.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(data.dropFirst(3)) : data
    }
}
