import GoTemplate

/// Helm's dependency processing before rendering (`ProcessDependencies`): subcharts matched to
/// `dependencies:` entries and renamed by `alias`, disabled by `tags` and `condition`, then
/// `import-values` copied from children into parents.
enum ChartDependencies {
    /// The chart with only its enabled subcharts (aliased), and `import-values` applied to the
    /// defaults. `values` are the user's values for the root chart.
    static func process(_ chart: Chart, values: [String: Value], warnings: inout [String]) throws(ChartError) -> Chart {
        var chart = chart
        try processEnabled(&chart, values: values, path: "", warnings: &warnings)
        try processImports(&chart, warnings: &warnings)
        return chart
    }

    /// `processDependencyEnabled`.
    private static func processEnabled(_ chart: inout Chart, values: [String: Value], path: String, warnings: inout [String]) throws(ChartError) {
        guard !chart.metadata.dependencies.isEmpty else { return }
        var requirements = chart.metadata.dependencies
        // Subcharts no entry asks for stay; each entry takes (a copy of) the first matching one.
        var kept = chart.dependencies.filter { existing in
            !requirements.contains { $0.name == existing.name && HelmSemver.isCompatible(range: $0.version, version: existing.metadata.version) }
        }
        for index in requirements.indices {
            let requirement = requirements[index]
            if var match = chart.dependencies.first(where: {
                $0.name == requirement.name && HelmSemver.isCompatible(range: requirement.version, version: $0.metadata.version)
            }) {
                if !requirement.alias.isEmpty { match.metadata.name = requirement.alias }
                kept.append(match)
            }
            if !requirement.alias.isEmpty { requirements[index].name = requirement.alias }
            requirements[index].enabled = true
        }
        chart.dependencies = kept
        chart.metadata.dependencies = requirements
        var coalescing = ValuesCoalescing(merge: false)
        let coalesced = try coalescing.coalesce(chart, values)
        warnings += coalescing.warnings
        applyTags(&chart.metadata.dependencies, coalesced, warnings: &warnings)
        applyConditions(&chart.metadata.dependencies, coalesced, path: path, warnings: &warnings)
        let disabled = Set(chart.metadata.dependencies.filter { !$0.enabled }.map(\.name))
        chart.dependencies.removeAll { disabled.contains($0.metadata.name) }
        chart.metadata.dependencies.removeAll { disabled.contains($0.name) }
        for index in chart.dependencies.indices {
            try processEnabled(&chart.dependencies[index], values: coalesced, path: path + chart.dependencies[index].name + ".", warnings: &warnings)
        }
    }

    /// `tags:` in the values: a dependency with any true tag is enabled, with only false ones disabled.
    private static func applyTags(_ requirements: inout [ChartDependency], _ values: [String: Value], warnings: inout [String]) {
        guard let tags = values["tags"]?.mapEntries else { return }
        for index in requirements.indices {
            var hasTrue = false
            var hasFalse = false
            for tag in requirements[index].tags {
                guard let value = tags[tag] else { continue }
                if case .bool(let flag) = value {
                    if flag { hasTrue = true } else { hasFalse = true }
                } else {
                    warnings.append("returned non-bool value tag=\(tag) chart=\(requirements[index].name)")
                }
            }
            if !hasTrue && hasFalse {
                requirements[index].enabled = false
            } else if hasTrue || (!hasTrue && !hasFalse) {
                requirements[index].enabled = true
            }
        }
    }

    /// `condition:`: comma-separated paths; the first that resolves to a bool decides.
    private static func applyConditions(_ requirements: inout [ChartDependency], _ values: [String: Value], path: String, warnings: inout [String]) {
        for index in requirements.indices {
            for condition in requirements[index].condition.trimmingWhitespace().split(separator: ",", omittingEmptySubsequences: false) {
                guard !condition.isEmpty else { continue }
                guard let value = ValuePath.value(values, path + condition) else { continue }
                if case .bool(let flag) = value {
                    requirements[index].enabled = flag
                    break
                }
                warnings.append("returned non-bool value path=\(condition) chart=\(requirements[index].name)")
            }
        }
    }

    /// `processDependencyImportValues`: children first, then this chart's own imports.
    private static func processImports(_ chart: inout Chart, warnings: inout [String]) throws(ChartError) {
        for index in chart.dependencies.indices { try processImports(&chart.dependencies[index], warnings: &warnings) }
        guard !chart.metadata.dependencies.isEmpty else { return }
        var merging = ValuesCoalescing(merge: true)
        let merged = try merging.coalesce(chart, [:])
        var imported: [String: Value] = [:]
        for index in chart.metadata.dependencies.indices {
            let requirement = chart.metadata.dependencies[index]
            var normalized: [Value] = []
            for entry in requirement.importValues {
                switch entry {
                case .map(let map):
                    let pair = map.entries
                    let child = (pair["child"] ?? .null).formatted
                    let parent = (pair["parent"] ?? .null).formatted
                    normalized.append(.map(["child": .string(child), "parent": .string(parent)], element: .string))
                    guard let table = ValuePath.table(merged, requirement.name + "." + child) else {
                        warnings.append("ImportValues missing table from chart \(requirement.name): \(child)")
                        continue
                    }
                    imported = merging.coalesceTables(imported, ValuePath.nest(parent, table))
                case .string(let name):
                    let child = "exports." + name
                    normalized.append(.map(["child": .string(child), "parent": .string(".")], element: .string))
                    guard let table = ValuePath.table(merged, requirement.name + "." + child) else {
                        warnings.append("ImportValues missing table: \(child)")
                        continue
                    }
                    imported = merging.coalesceTables(imported, table)
                default:
                    continue
                }
            }
            chart.metadata.dependencies[index].importValues = normalized
        }
        chart.values = merging.coalesceTables(merged, imported)
        warnings += merging.warnings
    }
}
