/// Applies Flux `$imagepolicy` setters: rewrites only the scalars whose line carries a marker
/// for a known policy, keeping every other byte of the file.
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
            edits.set(site, to: value, file: file)
        }
        return edits.apply(to: bytes)
    }

    /// Every scalar with a setter marker on its line.
    static func markedSites(in map: YAMLSourceMap) throws(ImageAutomationError) -> [(ScalarSite, SetterMarker)] {
        var result: [(ScalarSite, SetterMarker)] = []
        let (sites, uneditableLines) = map.scanValues()
        for line in uneditableLines {
            let text = String(decoding: map.lines.bytes[map.lines.starts[line - 1]..<map.lines.end(ofLine: line)], as: UTF8.self)
            if let hash = text.range(of: " #"), text[hash.upperBound...].contains("\"\(SetterMarker.key)\"") {
                throw ImageAutomationError(.setter, "the marked value is not a single-line scalar and cannot be edited in place", subject: "\(map.file):\(line)")
            }
        }
        for site in sites {
            guard let comment = site.trailingComment,
                let marker = try SetterMarker.parse(comment: comment, at: "\(map.file):\(site.line)")
            else { continue }
            result.append((site, marker))
        }
        return result
    }
}
