/// `dependsOn` between applications: what each waits for, and cycles.
public enum Dependencies {
    /// The cycles in `graph` (application → the applications it depends on), each listed once,
    /// starting at its smallest name.
    public static func cycles(_ graph: [String: [String]]) -> [[String]] {
        var found = Set<[String]>()
        func visit(_ node: String, _ path: [String]) {
            if let index = path.firstIndex(of: node) {
                let cycle = Array(path[index...])
                let start = cycle.indices.min { cycle[$0] < cycle[$1] }!
                found.insert(Array(cycle[start...] + cycle[..<start]))
                return
            }
            for next in graph[node] ?? [] { visit(next, path + [node]) }
        }
        for node in graph.keys.sorted() { visit(node, []) }
        return found.sorted { $0.joined(separator: ",") < $1.joined(separator: ",") }
    }

    /// The dependencies of `app` that are not yet synced and healthy, given `ready`.
    public static func waiting(_ app: String, graph: [String: [String]], ready: Set<String>) -> [String] {
        (graph[app] ?? []).filter { !ready.contains($0) }
    }
}
