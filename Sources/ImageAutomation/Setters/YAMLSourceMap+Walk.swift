import Yams

extension YAMLSourceMap {
    /// Every editable scalar that is a mapping value or a sequence item, in document order,
    /// each once (aliases are not followed).
    func valueSites() -> [ScalarSite] {
        var sites: [ScalarSite] = []
        var seen: Set<Int> = []
        func visit(_ node: Node) {
            switch node {
            case .scalar:
                if let site = site(of: node), seen.insert(site.range.lowerBound).inserted { sites.append(site) }
            case .mapping(let mapping):
                for (_, value) in mapping { visit(value) }
            case .sequence(let sequence):
                for item in sequence { visit(item) }
            case .alias:
                break
            }
        }
        documents.forEach(visit)
        return sites
    }
}
