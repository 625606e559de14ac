import Yams

extension YAMLSourceMap {
    /// Every editable scalar that is a mapping value or a sequence item, in document order,
    /// each once (aliases are not followed).
    func valueSites() -> [ScalarSite] { scanValues().sites }

    /// Every editable value scalar, and the lines of value scalars that cannot be edited in
    /// place (block, multi-line or escaped scalars).
    func scanValues() -> (sites: [ScalarSite], uneditableLines: [Int]) {
        var sites: [ScalarSite] = []
        var uneditable: [Int] = []
        var seen: Set<Int> = []
        func visit(_ node: Node) {
            switch node {
            case .scalar:
                if let site = site(of: node) {
                    if seen.insert(site.range.lowerBound).inserted { sites.append(site) }
                } else if let line = node.mark?.line {
                    uneditable.append(line)
                }
            case .mapping(let mapping):
                for (_, value) in mapping { visit(value) }
            case .sequence(let sequence):
                for item in sequence { visit(item) }
            case .alias:
                break
            }
        }
        documents.forEach(visit)
        return (sites, uneditable)
    }
}
