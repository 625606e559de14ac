import Foundation
import GoTemplate
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
        var scanned: [String: [ScannedDocument]] = [:]
        for path in rendered.keys.sorted() { scanned[path] = try Self.scan(rendered[path]!, path: path) }
        self.init(scanned: scanned)
    }

    /// A document of a rendered file with its head.
    struct ScannedDocument: Sendable {
        var content: String
        var head: ObjectHead
    }

    /// The documents of one rendered file with their heads (`rendered` for the file `path`).
    static func scan(_ rendered: String, path: String) throws(HelmError) -> [ScannedDocument] {
        var documents: [ScannedDocument] = []
        for (index, content) in split(rendered).enumerated() {
            documents.append(ScannedDocument(content: content, head: try head(of: content, source: path, index: index, file: rendered)))
        }
        return documents
    }

    /// Classifies and sorts files already split and read (`path → documents`).
    init(scanned: [String: [ScannedDocument]]) {
        var manifests: [ReleaseDocument] = []
        var hooks: [ReleaseDocument] = []
        var skipped: [(String, String)] = []
        for path in scanned.keys.sorted() {
            for scannedDocument in scanned[path]! {
                let head = scannedDocument.head
                var document = ReleaseDocument(
                    source: path, content: scannedDocument.content, kind: head.kind, name: head.name, hook: nil,
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
        var text = text
        return text.withUTF8 { bytes in
            var documents: [String] = []
            var start = 0
            var line = 0
            func flush(upTo end: Int) {
                let document = trimSpace(Substring(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                if !document.isEmpty { documents.append(document) }
            }
            while line < bytes.count {
                var lineEnd = line
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                if bytes[line] == UInt8(ascii: "-"), isSeparator(UnsafeBufferPointer(rebasing: bytes[line..<lineEnd])) {
                    flush(upTo: line)
                    start = min(lineEnd + 1, bytes.count)
                }
                line = lineEnd + 1
            }
            if start < bytes.count { flush(upTo: bytes.count) }
            return documents
        }
    }

    /// A line of `---` and white space only.
    private static func isSeparator(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.starts(with: "---".utf8) else { return false }
        let rest = line.dropFirst(3)
        if rest.allSatisfy({ $0 < 0x80 }) { return rest.allSatisfy { $0 == 0x20 || (0x09...0x0D).contains($0) } }
        return String(decoding: rest, as: UTF8.self).allSatisfy(\.isWhitespace)
    }

    /// Go's `strings.TrimSpace`: ASCII white space trimmed byte-wise, Foundation only when a
    /// non-ASCII character is left at either end.
    static func trimSpace(_ text: Substring) -> String {
        let bytes = text.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        let trimmed = Substring(bytes[start..<end])
        if let first = trimmed.utf8.first, let last = trimmed.utf8.last, first >= 0x80 || last >= 0x80 {
            return trimmed.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return String(trimmed)
    }

    /// The non-blank documents as Helm's `SplitManifests` cuts them, before trimming: separators
    /// are `(?:^|\s*\n)---\s*`, so a document keeps the white space that no separator took.
    static func untrimmedSegments(_ text: String) -> [String] {
        let separator = try! NSRegularExpression(pattern: "(?:^|\\s*\\n)---\\s*")
        let whole = NSRange(text.startIndex..., in: text)
        var segments: [String] = []
        var start = text.startIndex
        for match in separator.matches(in: text, range: whole) {
            guard let range = Range(match.range, in: text) else { continue }
            segments.append(String(text[start..<range.lowerBound]))
            start = range.upperBound
        }
        segments.append(String(text[start...]))
        // Leading white space of the first document goes too (what Helm's engine writes starts there).
        return segments.filter { !$0.allSatisfy(\.isWhitespace) }.map { String($0.drop(while: \.isWhitespace)) }
    }

    /// What go-yaml says of a document holding a byte that is not UTF-8 (a binary file printed as
    /// text), which Helm refuses before reading it; nil for valid text.
    static func invalidUTF8(_ content: String) -> String? {
        guard GoString.carriesRawBytes(content) else { return nil }
        let scalars = Array(content.unicodeScalars)
        guard let first = scalars.firstIndex(where: { GoString.rawByte($0) != nil }), let byte = GoString.rawByte(scalars[first]) else { return nil }
        // go-yaml's reader: a continuation byte or 0xF8 and above cannot start a sequence; any other
        // byte started one that broke, or that the text ended inside.
        if byte & 0xC0 == 0x80 || byte >= 0xF8 { return "invalid leading UTF-8 octet" }
        return first == scalars.count - 1 ? "incomplete UTF-8 octet sequence" : "invalid trailing UTF-8 octet"
    }

    /// The head of one document: read from libyaml's events, or by the full decoder when the
    /// events cannot tell it (aliases, tags, merge keys) or the document is not valid YAML.
    private static func head(of content: String, source: String, index: Int, file: String) throws(HelmError) -> ObjectHead {
        if let problem = invalidUTF8(content) {
            throw HelmError(.parse, "YAML parse error on \(source): error converting YAML to JSON: yaml: \(problem)", file: source)
        }
        if let head = try? ObjectHead.scan(content) { return head }
        let documents: [YAMLDocument]
        do {
            documents = try YAMLDecoder().decode(Array(content.utf8), file: source)
        } catch {
            // Helm reads documents through sigs.k8s.io/yaml: a syntax error in go-yaml's words, its
            // line counted in the document as Helm cut it (white space around it included).
            var detail = error.message
            if error.code == .syntax {
                let segments = untrimmedSegments(file)
                do throws(HelmYAMLError) {
                    _ = try HelmYAML.decode(index < segments.count ? segments[index] : content)
                } catch {
                    detail = error.message
                }
            }
            throw HelmError(.parse, "YAML parse error on \(source): \(detail)", file: source)
        }
        var head = ObjectHead()
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
