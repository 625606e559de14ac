import GoTemplate

/// Dotted paths into values, as Helm's `Values.Table` and `Values.PathValue` read them.
enum ValuePath {
    /// The table at `path` (`a.b`), or nil when a step is missing or not a table.
    static func table(_ values: [String: Value], _ path: String) -> [String: Value]? {
        var table = values
        for step in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = table[String(step)]?.mapEntries else { return nil }
            table = next
        }
        return table
    }

    /// The non-table value at `path`, or nil when there is none.
    static func value(_ values: [String: Value], _ path: String) -> Value? {
        var steps = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let last = steps.removeLast()
        let table = steps.isEmpty ? values : self.table(values, steps.joined(separator: "."))
        guard let value = table?[last] else { return nil }
        if case .map = value { return nil }
        return value
    }

    /// `pathToMap`: `data` nested under the dotted `path` (`.` is the top).
    static func nest(_ path: String, _ data: [String: Value]) -> [String: Value] {
        if path == "." { return data }
        var current = data
        for step in path.split(separator: ".", omittingEmptySubsequences: false).reversed() { current = [String(step): .map(current)] }
        return current
    }
}
