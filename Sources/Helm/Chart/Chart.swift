import GoTemplate

/// A Helm chart as Helm's loader builds it: metadata, default values, schema, templates, the
/// other files (`.Files`), and its subcharts.
///
/// ```swift
/// let root = try SecureRoot(directory: checkout)
/// let chart = try ChartLoader.load(directory: root, path: "charts/web")
/// for node in chart.tree() { print(node.fullPath, node.chart.templates.map(\.name)) }
/// ```
public struct Chart: Sendable {
    /// `Chart.yaml`.
    public var metadata: ChartMetadata
    /// `Chart.lock` (or `requirements.lock`), when present.
    public var lock: ChartLock?
    /// The files under `templates/`, named from the chart's root (`templates/deploy.yaml`).
    public var templates: [ChartFile]
    /// `values.yaml`, numbers read as floats.
    public var values: [String: Value]
    /// `values.schema.json`'s bytes, when present.
    public var schema: [UInt8]?
    /// Every other file (`.Files`): `crds/`, `README.md`, `.helmignore`, `charts/*.prov`…
    public var files: [ChartFile]
    /// Every file of the chart itself as loaded (not those of its subcharts).
    public var raw: [ChartFile]
    /// The subcharts: loaded from `charts/` (sorted by name), and after dependency processing
    /// the enabled ones, renamed by their alias.
    public var dependencies: [Chart]

    /// Creates a chart.
    public init(
        metadata: ChartMetadata, lock: ChartLock? = nil, templates: [ChartFile] = [], values: [String: Value] = [:],
        schema: [UInt8]? = nil, files: [ChartFile] = [], raw: [ChartFile] = [], dependencies: [Chart] = []
    ) {
        self.metadata = metadata
        self.lock = lock
        self.templates = templates
        self.values = values
        self.schema = schema
        self.files = files
        self.raw = raw
        self.dependencies = dependencies
    }

    /// The chart's name (its alias once dependencies are processed).
    public var name: String { metadata.name }

    /// Whether this is a library chart.
    public var isLibrary: Bool { metadata.isLibrary }

    /// The chart's own CRD files: `crds/` entries ending `.yaml`, `.yml` or `.json` (any case).
    public var crds: [ChartFile] {
        files.filter { file in
            guard file.name.hasPrefix("crds/"), let dot = file.name.lastIndex(of: ".") else { return false }
            return [".yaml", ".yml", ".json"].contains(file.name[dot...].lowercased())
        }
    }

    /// One chart of a tree, with the path Helm names its templates under.
    public struct Node: Sendable {
        /// `parent/charts/child`, as Helm's `ChartFullPath` builds it.
        public var fullPath: String
        /// `parent.child`, as Helm's `ChartPath` builds it.
        public var dottedPath: String
        /// The value path from the root chart's values to this chart's (`["child"]`; empty for the root).
        public var valuesPath: [String]
        /// The chart itself.
        public var chart: Chart
        /// Whether this is the root chart.
        public var isRoot: Bool { valuesPath.isEmpty }
    }

    /// This chart and every subchart, depth first, parents before children.
    public func tree() -> [Node] {
        var nodes: [Node] = []
        func visit(_ chart: Chart, fullPath: String, dottedPath: String, valuesPath: [String]) {
            nodes.append(Node(fullPath: fullPath, dottedPath: dottedPath, valuesPath: valuesPath, chart: chart))
            for child in chart.dependencies {
                visit(
                    child, fullPath: fullPath + "/charts/" + child.name, dottedPath: dottedPath + "." + child.name,
                    valuesPath: valuesPath + [child.name])
            }
        }
        visit(self, fullPath: name, dottedPath: name, valuesPath: [])
        return nodes
    }

    /// Every CRD file of the tree with the name Helm gives it (`parent/charts/child/crds/x.yaml`).
    public func allCRDs() -> [ChartFile] {
        tree().flatMap { node in node.chart.crds.map { ChartFile(name: node.fullPath + "/" + $0.name, data: $0.data) } }
    }
}

/// A file of a chart: its path inside the chart and its bytes (a UTF-8 byte order mark removed).
public struct ChartFile: Sendable, Hashable {
    /// The path from the chart's root, `/`-separated (`templates/_helpers.tpl`).
    public var name: String
    /// The bytes.
    public var data: [UInt8]

    /// Creates a file.
    public init(name: String, data: [UInt8]) {
        self.name = name
        self.data = data
    }

    /// The bytes as UTF-8 text.
    public var text: String { String(decoding: data, as: UTF8.self) }
}
