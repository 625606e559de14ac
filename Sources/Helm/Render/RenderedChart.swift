import GoTemplate
import Manifests

/// A rendered chart: the `crds/` files, the ordinary objects and the hooks, each in Helm's order.
public struct RenderedChart: Sendable {
    /// The CRD files of the chart tree (`crds/`), whole, in tree order.
    public var crds: [ReleaseDocument]
    /// The ordinary objects.
    public var manifests: [ReleaseDocument]
    /// The hooks.
    public var hooks: [ReleaseDocument]
    /// What Helm would print as warnings (values type conflicts, unknown hook events).
    public var warnings: [String]

    /// The operation a render is for: only its hooks take part.
    public enum Operation: Sendable, Hashable {
        /// The first sync of a release.
        case install
        /// A later sync.
        case upgrade

        /// The hook events this operation runs.
        public var events: Set<HelmHook.Event> {
            self == .install ? [.preInstall, .postInstall] : [.preUpgrade, .postUpgrade]
        }
    }

    /// What `helm template` prints: `---` and a `# Source:` line before each document.
    public func templateOutput(includeCRDs: Bool = false, skipTests: Bool = false, noHooks: Bool = false) -> String {
        var output = ""
        func write(_ document: ReleaseDocument) { output += "---\n# Source: \(document.source)\n\(document.content)\n" }
        if includeCRDs { crds.forEach(write) }
        manifests.forEach(write)
        if !noHooks {
            for hook in hooks where !(skipTests && hook.hook?.events.contains(.test) == true) { write(hook) }
        }
        return output
    }

    /// `helm template --show-only PATTERN...`: Helm splits the printed text into documents again and,
    /// for each pattern in turn, keeps those whose `# Source:` path below the chart's folder
    /// (`templates/web.yaml`, `charts/db/templates/x.yaml`) it matches as Go's `filepath.Match`
    /// does. A document without its own `# Source:` line (the second of a multi-document CRD file)
    /// is never shown; a pattern matching nothing fails with Helm's message.
    public func templateOutput(
        includeCRDs: Bool = false, skipTests: Bool = false, noHooks: Bool = false, showOnly patterns: [String]
    ) throws(HelmError) -> String {
        let chunks = ReleaseManifests.split(templateOutput(includeCRDs: includeCRDs, skipTests: skipTests, noHooks: noHooks))
        let paths = chunks.map(Self.sourcePath)
        var output = ""
        for pattern in patterns {
            let matching = chunks.indices.filter { paths[$0].map { GoPathPattern.matches(pattern, $0) } ?? false }
            guard !matching.isEmpty else { throw HelmError(.showOnly, "could not find template \(pattern) in chart") }
            for index in matching { output += "---\n\(chunks[index])\n" }
        }
        return output
    }

    /// The path after the chart's name on a chunk's first `# Source: CHART/PATH` line (Helm's
    /// `# Source: [^/]+/(.+)`).
    private static func sourcePath(_ chunk: String) -> String? {
        guard let marker = chunk.range(of: "# Source: ") else { return nil }
        let rest = chunk[marker.upperBound...]
        guard let slash = rest.firstIndex(of: "/"), slash > rest.startIndex else { return nil }
        let path = rest[rest.index(after: slash)...].prefix { $0 != "\n" }
        return path.isEmpty ? nil : String(path)
    }

    /// The objects a sync of `operation` applies: the CRDs (when asked), the ordinary objects, and
    /// the hooks of that operation, their `helm.sh/hook` annotation narrowed to its events.
    public func objects(for operation: RenderedChart.Operation, includeCRDs: Bool = true) throws(HelmError) -> [Manifest] {
        var objects: [Manifest] = []
        func decode(_ document: ReleaseDocument) throws(HelmError) -> [Manifest] {
            do {
                return try Manifest.decode(Array(document.content.utf8), file: document.source)
            } catch {
                throw HelmError(.parse, "\(document.source): \(error.description)", file: document.source)
            }
        }
        if includeCRDs { for crd in crds { objects += try decode(crd) } }
        for manifest in manifests { objects += try decode(manifest) }
        for document in hooks {
            guard let hook = document.hook else { continue }
            let events = hook.events.filter { operation.events.contains($0) }
            guard !events.isEmpty else { continue }
            for var object in try decode(document) {
                if events.count != hook.events.count {
                    object.setAnnotation(HelmHook.annotation, events.map(\.rawValue).joined(separator: ","))
                }
                objects.append(object)
            }
        }
        return objects
    }
}
