/// One scalar rewritten in a file: `file:line old → new`.
public struct YAMLChange: Sendable, Hashable, CustomStringConvertible {
    /// The file, as the caller named it.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// The value before.
    public var old: String
    /// The value after.
    public var new: String
    /// The policy (`NAMESPACE:NAME`) whose setter made the change, when a setter made it.
    public var policy: String?

    /// Creates a change record.
    public init(file: String, line: Int, old: String, new: String, policy: String? = nil) {
        self.file = file
        self.line = line
        self.old = old
        self.new = new
        self.policy = policy
    }

    /// `file:line old → new`.
    public var description: String { "\(file):\(line) \(old) → \(new)" }
}

/// The result of updating one file: its new bytes and what changed.
public struct FileUpdate: Sendable, Hashable {
    /// The file's new content.
    public var bytes: [UInt8]
    /// Every scalar changed, in file order.
    public var changes: [YAMLChange]

    /// Creates an update record.
    public init(bytes: [UInt8], changes: [YAMLChange]) {
        self.bytes = bytes
        self.changes = changes
    }
}

/// Byte-range replacements applied to a file at once.
struct TextEdits {
    private var edits: [(range: Range<Int>, text: String, change: YAMLChange?)] = []

    /// Replaces the scalar at `site` with `value` in the site's quote style; no-op when equal.
    mutating func set(_ site: ScalarSite, to value: String, file: String, policy: String? = nil) {
        guard site.value != value, !edits.contains(where: { $0.range == site.range }) else { return }
        let change = YAMLChange(file: file, line: site.line, old: site.value, new: value, policy: policy)
        edits.append((site.range, ScalarText.render(value, style: site.style), change))
    }

    /// Inserts `text` at `offset` (a new line), recording `change`.
    mutating func insert(_ text: String, at offset: Int, change: YAMLChange) {
        edits.append((offset..<offset, text, change))
    }

    /// The edited file, or `nil` when nothing changed. Changes report lines of the edited file.
    func apply(to bytes: [UInt8]) -> FileUpdate? {
        guard !edits.isEmpty else { return nil }
        // Ascending by offset; insertions at one offset keep the order they were added in.
        let ordered = edits.enumerated().sorted { ($0.element.range.lowerBound, $0.offset) < ($1.element.range.lowerBound, $1.offset) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 256)
        var position = 0
        var insertedLines = 0
        var changes: [YAMLChange] = []
        for (_, edit) in ordered {
            out += bytes[position..<edit.range.lowerBound]
            out += Array(edit.text.utf8)
            position = edit.range.upperBound
            guard var change = edit.change else { continue }
            change.line += insertedLines
            changes.append(change)
            if edit.range.isEmpty { insertedLines += 1 }
        }
        out += bytes[position...]
        return FileUpdate(bytes: out, changes: changes.sorted { $0.line < $1.line })
    }
}
