/// Applies Flux `$imagepolicy` setters: rewrites only the scalars marked for a known policy (the
/// marker after the value, or alone on the line above it), keeping every other byte of the file.
///
/// ```swift
/// let updater = SetterUpdater(policies: ["flux-system:app": SelectedImage(name: "ghcr.io/o/app", tag: "1.2.0")])
/// if let update = try updater.update(bytes, file: "deploy.yaml") { write(update.bytes) }
/// ```
public struct SetterUpdater: Sendable {
    /// The selected image of each policy, by `NAMESPACE:NAME`.
    public var policies: [String: SelectedImage]

    /// Creates an updater for `policies`.
    public init(policies: [String: SelectedImage]) { self.policies = policies }

    /// The updated file, or `nil` when no marked value changes (the file must not be rewritten).
    public func update(_ bytes: [UInt8], file: String) throws(ImageAutomationError) -> FileUpdate? {
        // As Flux screens files: one without the marker key is never parsed, let alone written.
        guard bytes.firstRange(of: Array(SetterMarker.key.utf8)) != nil else { return nil }
        let map = try YAMLSourceMap(bytes, file: file)
        var edits = TextEdits()
        for (site, marker) in try Self.markedSites(in: map) {
            guard let selected = policies[marker.policy], let value = selected.value(for: marker.field) else { continue }
            edits.set(site, to: value, file: file, policy: marker.policy)
        }
        return edits.apply(to: bytes)
    }

    /// Every scalar with a setter marker: a comment after it on its line, or (as Flux accepts)
    /// a comment that is the whole of the line directly above it.
    static func markedSites(in map: YAMLSourceMap) throws(ImageAutomationError) -> [(ScalarSite, SetterMarker)] {
        var result: [(ScalarSite, SetterMarker)] = []
        let (sites, uneditableLines) = map.scanValues()
        for line in uneditableLines {
            let text = String(decoding: map.lines.bytes[map.lines.starts[line - 1]..<map.lines.end(ofLine: line)], as: UTF8.self)
            let trailing = text.range(of: " #").map { text[$0.upperBound...].contains("\"\(SetterMarker.key)\"") } ?? false
            let above = try map.headMarker(above: line)
            if trailing || above != nil {
                throw ImageAutomationError(
                    .setter, "the marked value is not a single-line scalar and cannot be edited in place", subject: "\(map.file):\(line)")
            }
        }
        var valuesPerLine: [Int: Int] = [:]
        for site in sites { valuesPerLine[site.line, default: 0] += 1 }
        for site in sites {
            let location = "\(map.file):\(site.line)"
            if let comment = site.trailingComment, let marker = try SetterMarker.parse(comment: comment, at: location) {
                result.append((site, marker))
            } else if let marker = try map.headMarker(above: site.line) {
                guard valuesPerLine[site.line] == 1 else {
                    throw ImageAutomationError(
                        .setter, "the setter on the line above marks a line with several values; put the marker after the value", subject: location)
                }
                result.append((site, marker))
            }
        }
        return result
    }
}

extension YAMLSourceMap {
    /// The setter marker written alone on the line above `line` (`# {"$imagepolicy": ...}`), if any.
    func headMarker(above line: Int) throws(ImageAutomationError) -> SetterMarker? {
        guard line >= 2 else { return nil }
        let text = String(decoding: lines.bytes[lines.starts[line - 2]..<lines.end(ofLine: line - 1)], as: UTF8.self)
        let trimmed = text.trimmingBlanks
        guard trimmed.first == "#" else { return nil }
        return try SetterMarker.parse(comment: String(trimmed.dropFirst()), at: "\(file):\(line - 1)")
    }
}
