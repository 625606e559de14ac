import Registry
import Yams

extension ImageReferenceUpdater {
    /// Kustomize `images:` entries whose `name` is the image: `newName`, `newTag` and `digest`
    /// are set, and added beside `name` when missing.
    func updateKustomizeImages(in document: Node, map: YAMLSourceMap, edits: inout TextEdits) throws(ImageAutomationError) {
        let apiVersion = document.mapping?["apiVersion"]?.string ?? ""
        for location in Self.imageListLocations where apiVersion.hasPrefix(location.apiVersion) {
            var node: Node? = document
            for key in location.path { node = node?.mapping?[key] }
            guard case .sequence(let entries)? = node else { continue }
            for entry in entries {
                guard case .mapping(let fields) = entry, let nameNode = fields["name"], let name = map.site(of: nameNode),
                    promotion.matches(name.value)
                else { continue }
                try update(entry: fields, name: name, map: map, edits: &edits)
            }
        }
    }

    private func update(entry: Node.Mapping, name: ScalarSite, map: YAMLSourceMap, edits: inout TextEdits) throws(ImageAutomationError) {
        let location = "\(map.file):\(name.line)"
        let effective = entry["newName"].flatMap { map.site(of: $0) }
        if !promotion.isNewName(effective?.value ?? name.value) {
            try set("newName", promotion.newName, in: entry, name: name, map: map, edits: &edits)
        }
        if let tag = promotion.tag { try set("newTag", tag, in: entry, name: name, map: map, edits: &edits) }
        if let digest = promotion.digest {
            try set("digest", digest, in: entry, name: name, map: map, edits: &edits)
        } else if entry["digest"] != nil {
            throw ImageAutomationError(
                .setter, "images entry \(name.value) pins a digest, which kustomize prefers over newTag; promote with REF:TAG@DIGEST",
                subject: location)
        }
    }

    /// Sets `key` of the entry, or adds `key: value` on a new line after the entry's `name`.
    private func set(
        _ key: String, _ value: String, in entry: Node.Mapping, name: ScalarSite, map: YAMLSourceMap, edits: inout TextEdits
    ) throws(ImageAutomationError) {
        let location = "\(map.file):\(name.line)"
        if let node = entry[key] {
            guard let site = map.site(of: node) else {
                throw ImageAutomationError(.setter, "images entry field \(key) is not a single-line scalar", subject: location)
            }
            edits.set(site, to: value, file: map.file)
            return
        }
        guard entry.style != .flow, let keyNode = entry.keys.first(where: { $0.string == "name" }), let keyMark = keyNode.mark,
            let keyOffset = map.lines.offset(line: keyMark.line, column: keyMark.column), keyMark.line == name.line
        else {
            throw ImageAutomationError(.setter, "cannot add \(key) to this images entry; write it as a block mapping", subject: location)
        }
        let lines = map.lines
        let lineStart = lines.starts[name.line - 1]
        // Siblings of `name` start at its column; a `- ` before it becomes spaces.
        let indent = String(decoding: lines.bytes[lineStart..<keyOffset].map { $0 == UInt8(ascii: "-") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        let lineEnd = lines.end(ofLine: name.line)
        let newline = lineEnd < lines.bytes.count && lines.bytes[lineEnd] == UInt8(ascii: "\r") ? "\r\n" : "\n"
        let text = indent + key + ": " + ScalarText.render(value, style: .plain)
        let change = YAMLChange(file: map.file, line: name.line + 1, old: "(no \(key))", new: value)
        if name.line < lines.starts.count {
            edits.insert(text + newline, at: lines.starts[name.line], change: change)
        } else {
            edits.insert(newline + text, at: lines.bytes.count, change: change)
        }
    }
}
