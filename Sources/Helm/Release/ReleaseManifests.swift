import Foundation
import Manifests

/// One document of a rendered chart, as Helm splits, classifies and orders them.
public struct ReleaseDocument: Sendable, Hashable {
    /// The template it came from, as Helm names it (`mychart/templates/web.yaml`).
    public var source: String
    /// The document's text, trimmed as Helm trims it.
    public var content: String
    /// The object's `kind` (empty for a document without one).
    public var kind: String
    /// The object's `metadata.name`.
    public var name: String
    /// The hook this document is, if any.
    public var hook: HelmHook?
    /// Whether `helm.sh/resource-policy: keep` protects it from deletion.
    public var keep: Bool
}

/// A rendered release: ordinary objects and hooks, each in Helm's order.
public struct ReleaseManifests: Sendable {
    /// The ordinary objects, in Helm's install order.
    public var manifests: [ReleaseDocument]
    /// The hooks, in Helm's install order (weights order them only when they run).
    public var hooks: [ReleaseDocument]
    /// Hook annotations naming events Helm does not know (their objects are left out), for a warning.
    public var skippedHooks: [(source: String, annotation: String)]

    /// Splits, classifies and sorts rendered templates (`path → text`) as Helm 4 does: files by path,
    /// documents in file order, then stably by kind.
    public init(rendered: [String: String]) throws(HelmError) {
        var manifests: [ReleaseDocument] = []
        var hooks: [ReleaseDocument] = []
        var skipped: [(String, String)] = []
        for path in rendered.keys.sorted() {
            for content in Self.split(rendered[path]!) {
                let head = try Self.head(of: content, source: path)
                var document = ReleaseDocument(
                    source: path, content: content, kind: head.kind, name: head.name, hook: nil,
                    keep: head.annotations[HelmHook.resourcePolicyAnnotation]?.lowercased() == "keep")
                switch HelmHook.read(annotations: head.annotations) {
                case .none: manifests.append(document)
                case .hook(let hook):
                    document.hook = hook
                    hooks.append(document)
                case .unknown(let annotation): skipped.append((path, annotation))
                }
            }
        }
        self.manifests = InstallOrder.sorted(manifests, kind: \.kind)
        self.hooks = InstallOrder.sorted(hooks, kind: \.kind)
        self.skippedHooks = skipped
    }

    /// Helm's `SplitManifests`: documents separated by `---` lines, each trimmed, blank ones dropped.
    public static func split(_ text: String) -> [String] {
        var documents: [String] = []
        var current: [Substring] = []
        func flush() {
            let document = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if !document.isEmpty { documents.append(document) }
            current = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("---"), line.dropFirst(3).allSatisfy(\.isWhitespace) {
                flush()
            } else {
                current.append(line)
            }
        }
        flush()
        return documents
    }

    private struct Head {
        var kind = ""
        var name = ""
        var annotations: [String: String] = [:]
    }

    private static func head(of content: String, source: String) throws(HelmError) -> Head {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLDecoder().decode(Array(content.utf8), file: source)
        } catch {
            throw HelmError(.parse, "YAML parse error on \(source): \(error.message)", file: source)
        }
        var head = Head()
        guard let object = documents.first?.value.objectValue else { return head }
        head.kind = object["kind"]?.stringValue ?? ""
        let metadata = object["metadata"]?.objectValue
        head.name = metadata?["name"]?.stringValue ?? ""
        for (key, value) in metadata?["annotations"]?.objectValue ?? [:] {
            if let text = value.stringValue { head.annotations[key] = text }
        }
        return head
    }
}
