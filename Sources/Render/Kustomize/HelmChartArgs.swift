import GoTemplate
import Helm
import Manifests

/// One chart of a kustomization's `helmCharts` (or of the legacy `helmChartInflationGenerator`),
/// read as kustomize v5.8's `types.HelmChart` is: strict fields, kustomize's defaults applied later.
struct HelmChartArgs: Sendable {
    /// How `valuesInline` combines with the values file.
    enum ValuesMerge: String, Sendable, CaseIterable {
        /// The inline values win over the file's (kustomize's default).
        case override
        /// The file's values win; the inline values only add.
        case merge
        /// The inline values replace the file.
        case replace
    }

    /// The chart's directory name under the chart home.
    var name: String
    var version = ""
    var repo = ""
    var releaseName = ""
    var namespace = ""
    var nameTemplate = ""
    var kubeVersion = ""
    var valuesFile = ""
    var additionalValuesFiles: [String] = []
    var valuesInline: JSONObject = [:]
    var valuesMerge = ValuesMerge.override
    var apiVersions: [String] = []
    var includeCRDs = false
    var skipHooks = false
    var skipTests = false
    /// `helmCharts NAME`, or the legacy field, for errors.
    var label: String

    /// The fields of kustomize's `HelmChart`; `debug` and `devel` are accepted and change nothing
    /// offline (`devel` only matters when pulling, `debug` only to helm's logging).
    static let fields: Set<String> = [
        "name", "version", "repo", "releaseName", "namespace", "additionalValuesFiles", "valuesFile", "valuesInline",
        "valuesMerge", "includeCRDs", "skipHooks", "apiVersions", "kubeVersion", "nameTemplate", "skipTests", "debug", "devel",
    ]
    /// The fields of the deprecated `HelmChartArgs`; `chartRepoName`, `helmBin`, `releaseNamespace` and
    /// `extraArgs` are read but unused, as in kustomize.
    static let legacyFields: Set<String> = [
        "chartName", "chartVersion", "chartRepoUrl", "chartHome", "chartRepoName", "helmBin", "helmHome", "values", "valuesLocal",
        "valuesMerge", "releaseName", "releaseNamespace", "extraArgs",
    ]
}

/// Reads one mapping of chart arguments with strict types, errors naming the kustomization file.
private struct ArgsReader {
    let object: JSONObject
    let kustomization: Kustomization
    let field: String

    func check(known: Set<String>) throws(RenderError) {
        for key in object.keys where !known.contains(key) {
            throw kustomization.error(field, "json: unknown field \"\(key)\"")
        }
    }

    func string(_ key: String) throws(RenderError) -> String {
        guard let value = object[key], !value.isNull else { return "" }
        guard case .string(let text) = value else { throw kustomization.error(field, "\(key): expected a string, found \(value.typeName)") }
        return text
    }

    func bool(_ key: String) throws(RenderError) -> Bool {
        guard let value = object[key], !value.isNull else { return false }
        guard let flag = value.boolValue else { throw kustomization.error(field, "\(key): expected a boolean, found \(value.typeName)") }
        return flag
    }

    func strings(_ key: String) throws(RenderError) -> [String] {
        guard let value = object[key], !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw kustomization.error(field, "\(key): expected a list of strings, found \(value.typeName)") }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item else {
                throw kustomization.error(field, "\(key): expected a list of strings, found \(item.typeName) in it")
            }
            result.append(text)
        }
        return result
    }

    func map(_ key: String) throws(RenderError) -> JSONObject {
        guard let value = object[key], !value.isNull else { return [:] }
        guard let map = value.objectValue else { throw kustomization.error(field, "\(key): expected a mapping, found \(value.typeName)") }
        return map
    }

    func merge(_ key: String) throws(RenderError) -> HelmChartArgs.ValuesMerge {
        let text = try string(key)
        if text.isEmpty { return .override }
        guard let merge = HelmChartArgs.ValuesMerge(rawValue: text) else {
            let legal = HelmChartArgs.ValuesMerge.allCases.map(\.rawValue).joined(separator: " ")
            throw kustomization.error(field, "valuesMerge must be one of [\(legal)], found '\(text)'")
        }
        return merge
    }
}

extension Kustomization {
    /// The chart home (`helmGlobals.chartHome`, else the legacy generator's last one, else `charts`) and
    /// every chart to inflate: the legacy generator's first, then `helmCharts`, as kustomize lists them.
    func helmCharts() throws(RenderError) -> (home: String, charts: [HelmChartArgs]) {
        var home = ""
        var charts: [HelmChartArgs] = []
        for object in try objects("helmChartInflationGenerator") {
            let reader = ArgsReader(object: object, kustomization: self, field: "helmChartInflationGenerator")
            try reader.check(known: HelmChartArgs.legacyFields)
            let name = try reader.string("chartName")
            var chart = HelmChartArgs(name: name, label: "helmChartInflationGenerator \(name)")
            chart.version = try reader.string("chartVersion")
            chart.repo = try reader.string("chartRepoUrl")
            chart.valuesFile = try reader.string("values")
            chart.valuesInline = try reader.map("valuesLocal")
            chart.valuesMerge = try reader.merge("valuesMerge")
            chart.releaseName = try reader.string("releaseName")
            _ = try (reader.string("helmHome"), reader.string("chartRepoName"), reader.string("helmBin"), reader.string("releaseNamespace"))
            _ = try reader.strings("extraArgs")
            let chartHome = try reader.string("chartHome")
            if !chartHome.isEmpty { home = chartHome }
            charts.append(chart)
        }
        if let globals = fields["helmGlobals"], !globals.isNull {
            guard let object = globals.objectValue else { throw error("helmGlobals", "expected a mapping, found \(globals.typeName)") }
            let reader = ArgsReader(object: object, kustomization: self, field: "helmGlobals")
            try reader.check(known: ["chartHome", "configHome"])
            _ = try reader.string("configHome")  // Helm's own settings: nothing is pulled, so nothing reads them.
            home = try reader.string("chartHome")
        }
        for object in try objects("helmCharts") {
            let reader = ArgsReader(object: object, kustomization: self, field: "helmCharts")
            try reader.check(known: HelmChartArgs.fields)
            let name = try reader.string("name")
            var chart = HelmChartArgs(name: name, label: "helmCharts \(name)")
            chart.version = try reader.string("version")
            chart.repo = try reader.string("repo")
            chart.releaseName = try reader.string("releaseName")
            chart.namespace = try reader.string("namespace")
            chart.nameTemplate = try reader.string("nameTemplate")
            chart.kubeVersion = try reader.string("kubeVersion")
            chart.valuesFile = try reader.string("valuesFile")
            chart.additionalValuesFiles = try reader.strings("additionalValuesFiles")
            chart.valuesInline = try reader.map("valuesInline")
            chart.valuesMerge = try reader.merge("valuesMerge")
            chart.apiVersions = try reader.strings("apiVersions")
            chart.includeCRDs = try reader.bool("includeCRDs")
            chart.skipHooks = try reader.bool("skipHooks")
            chart.skipTests = try reader.bool("skipTests")
            _ = try (reader.bool("debug"), reader.bool("devel"))
            charts.append(chart)
        }
        try readInlineValuesAsGo(&charts)
        for chart in charts where chart.name.isEmpty {
            throw error(chart.label.hasPrefix("helmCharts") ? "helmCharts" : "helmChartInflationGenerator", "chart name cannot be empty")
        }
        return (home.isEmpty ? "charts" : home, charts)
    }
}

extension Kustomization {
    /// kustomize decodes `valuesInline` (and `valuesLocal`) into Go maps with go-yaml's YAML 1.1 rules:
    /// `yes`/`off` are booleans, `y` as a key is `"true"`. Re-reads those fields from the file that way.
    fileprivate func readInlineValuesAsGo(_ charts: inout [HelmChartArgs]) throws(RenderError) {
        guard charts.contains(where: { !$0.valuesInline.isEmpty }) else { return }
        let document: Value
        do { document = try HelmYAML.decode(text) } catch { throw self.error("helmCharts", "valuesInline: \(error.message)") }
        guard let top = document.mapEntries else { return }
        var index = 0
        for (field, key) in [("helmChartInflationGenerator", "valuesLocal"), ("helmCharts", "valuesInline")] {
            guard case .list(let items, _)? = top[field] else { continue }
            for item in items {
                defer { index += 1 }
                guard index < charts.count, let entry = item.mapEntries, let values = entry[key]?.mapEntries else { continue }
                charts[index].valuesInline = Self.json(values)
            }
        }
    }

    private static func json(_ map: [String: Value]) -> JSONObject {
        var object: JSONObject = [:]
        for key in map.keys.sorted() { object[key] = json(map[key]!) }
        return object
    }

    private static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number, _): .number(JSONNumber(number))
        case .float(let number): .number(number.rounded() == number && abs(number) < 9e15 ? JSONNumber(Int64(number)) : JSONNumber(number))
        case .string(let text): .string(text)
        case .list(let items, _): .array(items.map(json))
        case .map(let map): .object(json(map.entries))
        default: .string(value.formatted)
        }
    }
}
