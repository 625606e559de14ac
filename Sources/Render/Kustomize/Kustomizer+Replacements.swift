import Manifests

/// `replacements`, as kustomize's replacement transformer runs them: each entry in order,
/// reading its source from the resources as the previous entries left them.
extension Build {
    mutating func applyReplacements(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        for replacement in try loadReplacements(kustomization) {
            try apply(replacement, to: &set, kustomization: kustomization)
        }
    }

    /// Inline entries and `path:` files (one replacement or a list of them).
    private mutating func loadReplacements(_ kustomization: Kustomization) throws(RenderError) -> [Replacement] {
        let parser = ReplacementParser(file: kustomization.file)
        var result: [Replacement] = []
        for entry in try kustomization.objects("replacements") {
            let path = try parser.string(entry["path"], "path")
            guard !path.isEmpty else {
                result.append(try parser.replacement(.object(entry)))
                continue
            }
            if entry["source"] != nil || entry["targets"] != nil {
                throw kustomization.error("replacements", "cannot specify both path and inline replacement")
            }
            let file = kustomization.path(path)
            let bytes = try read(path, for: kustomization, field: "replacements")
            let documents: [YAMLDocument]
            do { documents = try decoder.decode(bytes, file: file) } catch { throw RenderError(error) }
            let filed = ReplacementParser(file: file)
            switch documents.first?.value {
            case .array(let items)?:
                for item in items { result.append(try filed.replacement(item)) }
            case let value?:
                result.append(try filed.replacement(value))
            case nil:
                throw kustomization.error("replacements", "\(path) holds no replacement")
            }
        }
        return result
    }

    private func apply(_ replacement: Replacement, to set: inout ResourceSet, kustomization: Kustomization) throws(RenderError) {
        let sources = set.resources.filter { $0.anyId(replacement.source.selects) }
        guard sources.count == 1 else {
            let what = sources.isEmpty ? "found no matches" : "more than one match"
            throw kustomization.error("replacements", "\(what) for source \(replacement.source.describe)", code: .transform)
        }
        let found = KyamlPath.lookup(.object(sources[0].object), KyamlPath.parse(replacement.sourcePath)[...])
        guard let found, !Self.isNilOrEmpty(found) else {
            throw kustomization.error(
                "replacements", "fieldPath `\(replacement.sourcePath)` is missing for replacement source \(sources[0].currentId)",
                code: .transform)
        }
        let value = try ReplacementValue(found, options: replacement.sourceOptions, kustomization: kustomization)
        for target in replacement.targets {
            for index in set.indices where Self.isSelected(set.resources[index], by: target) {
                for fieldPath in target.fieldPaths {
                    var object = JSONValue.object(set.resources[index].object)
                    let count: Int
                    do {
                        count = try KyamlPath.match(&object, KyamlPath.parse(fieldPath)[...], create: target.options.create ? value.leaf : nil) {
                            field, created throws(RenderError) in
                            try value.put(into: &field, created: created, options: target.options)
                        }
                    } catch {
                        throw kustomization.error(
                            "replacements", "\(set.resources[index].currentId): \(fieldPath): \(error.message)", code: .transform)
                    }
                    guard count > 0 else {
                        let verb = target.options.create ? "find or create" : "find"
                        throw kustomization.error(
                            "replacements", "unable to \(verb) field \"\(fieldPath)\" in replacement target \(set.resources[index].currentId)",
                            code: .transform)
                    }
                    set.resources[index].object = object.objectValue ?? set.resources[index].object
                }
            }
        }
    }

    /// Selected by the target's id (any current or earlier identity) and its label and
    /// annotation selectors, and by no `reject` entry (by id, or by labels/annotations).
    private static func isSelected(_ resource: KResource, by target: Replacement.Target) -> Bool {
        guard target.select.metadataMatches(resource), resource.anyId(target.select.id.selects) else { return false }
        return !target.reject.contains { reject in
            (reject.hasMetadataSelectors && reject.metadataMatches(resource)) || (!reject.id.isEmpty && resource.anyId(reject.id.selects))
        }
    }

    /// kyaml's `IsNilOrEmpty`: null, or an empty map or list.
    static func isNilOrEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .object(let object): object.isEmpty
        case .array(let items): items.isEmpty
        default: false
        }
    }
}

extension Replacement.IdSelector {
    var describe: String {
        "\(kind.isEmpty ? "~K" : kind).\(version.isEmpty ? "~V" : version).\(group.isEmpty ? "~G" : group)/\(name).\(namespace)"
    }
}

/// A replacement's value: the source node, with its scalar text kept apart so targets can
/// take the text while keeping their own type, as kyaml copies only a scalar's value.
struct ReplacementValue {
    /// The source node.
    var node: JSONValue
    /// A scalar's text; nil for maps and lists.
    var text: String?

    init(_ node: JSONValue, options: Replacement.Options, kustomization: Kustomization) throws(RenderError) {
        self.node = node
        text = KyamlPath.scalarText(node)
        guard !options.delimiter.isEmpty else { return }
        guard let whole = text else {
            throw kustomization.error("replacements", "delimiter option can only be used with scalar nodes", code: .transform)
        }
        let parts = Self.split(whole, options.delimiter)
        guard options.index >= 0, options.index < parts.count else {
            throw kustomization.error("replacements", "options.index \(options.index) is out of bounds for value \(whole)", code: .transform)
        }
        text = parts[options.index]
    }

    /// What a created target field is made as.
    var leaf: KyamlPath.Leaf {
        switch node {
        case .object: .object
        case .array: .array
        default: .scalar
        }
    }

    /// The source node with its (possibly refined) text, in the source's own type.
    private func ownValue(_ text: String?) -> JSONValue {
        guard let text else { return node }
        if case .string = node { return .string(text) }
        return .plainScalar(text)
    }

    /// Writes the value into one target field.
    func put(into field: inout JSONValue, created: Bool, options: Replacement.Options) throws(RenderError) {
        var text = self.text
        let targetText = created ? "" : KyamlPath.scalarText(field)
        if !options.delimiter.isEmpty {
            guard let targetText else { throw RenderError(.transform, "delimiter option can only be used with scalar nodes") }
            var parts = Self.split(targetText, options.delimiter)
            let piece = text ?? ""
            if options.index < 0 {
                parts.insert(piece, at: 0)
            } else if options.index >= parts.count {
                parts.append(piece)
            } else {
                parts[options.index] = piece
            }
            text = parts.joined(separator: options.delimiter)
        }
        switch field {
        case _ where created:
            // A created node has no tag: its text reads as a plain scalar.
            field = text.map(JSONValue.plainScalar) ?? node
        case .string:
            field = .string(text ?? "")
        case .number, .bool, .null:
            field = .plainScalar(text ?? "")
        default:
            field = ownValue(text)
        }
    }

    /// Go's `strings.Split`: empty pieces kept, an empty string gives one empty piece.
    static func split(_ text: String, _ delimiter: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(text)
        while let range = rest.firstRange(of: delimiter) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
