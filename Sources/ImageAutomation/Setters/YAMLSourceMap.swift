import Manifests
import Yams

/// A YAML file parsed for in-place editing: the node trees of its documents, and the exact
/// bytes each single-line scalar occupies. Nothing is ever re-serialised.
struct YAMLSourceMap {
    let file: String
    let lines: LineIndex
    /// The root node of each document.
    let documents: [Node]

    /// The largest file read.
    static let maximumBytes = 8 << 20

    /// Parses `bytes`; errors name `file:line`.
    init(_ bytes: [UInt8], file: String) throws(ImageAutomationError) {
        self.file = file
        guard bytes.count <= Self.maximumBytes else {
            throw ImageAutomationError(.setter, "file is larger than \(Self.maximumBytes >> 20) MiB", subject: file)
        }
        lines = LineIndex(bytes)
        var slice = bytes[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw ImageAutomationError(.setter, "file is not valid UTF-8", subject: file)
        }
        // The Manifests decoder first: it names file:line:column and refuses duplicate keys and
        // alias bombs, whose shared nodes would make the walks below exponential.
        do { _ = try YAMLDecoder().decode(text, file: file) } catch {
            throw ImageAutomationError(.setter, error.message, subject: error.location.description, cause: error)
        }
        var roots: [Node] = []
        do {
            let parser = try Parser(yaml: text)
            while let root = try parser.nextRoot() { roots.append(root) }
        } catch {
            throw ImageAutomationError(.setter, "unreadable YAML", subject: file)
        }
        documents = roots
    }

    /// Where `node` is written, if it is a scalar on one line that can be edited in place.
    func site(of node: Node) -> ScalarSite? {
        guard case .scalar(let scalar) = node, let mark = scalar.mark,
            var start = lines.offset(line: mark.line, column: mark.column)
        else { return nil }
        let end = lines.end(ofLine: mark.line)
        let bytes = lines.bytes
        // Skip an anchor or tag written before the scalar (`&a value`, `!!str value`).
        while start < end, bytes[start] == UInt8(ascii: "&") || bytes[start] == UInt8(ascii: "!") {
            while start < end, !Self.isBlank(bytes[start]) { start += 1 }
            while start < end, Self.isBlank(bytes[start]) { start += 1 }
        }
        let style: ScalarSite.Style
        let stop: Int
        switch scalar.style {
        case .singleQuoted:
            style = .singleQuoted
            guard let close = closingQuote(from: start, end: end, quote: UInt8(ascii: "'")) else { return nil }
            stop = close + 1
        case .doubleQuoted:
            style = .doubleQuoted
            guard let close = closingQuote(from: start, end: end, quote: UInt8(ascii: "\"")) else { return nil }
            stop = close + 1
        case .plain:
            style = .plain
            stop = plainEnd(from: start, end: end)
        default:
            return nil
        }
        let site = ScalarSite(
            range: start..<stop, line: mark.line, value: scalar.string, style: style, trailingComment: comment(after: stop, end: end))
        // Only edit when the bytes found read back as the parsed value (a multi-line or
        // escaped scalar is left alone rather than guessed at).
        return decode(site) == scalar.string ? site : nil
    }

    /// The value the bytes of `site` spell.
    private func decode(_ site: ScalarSite) -> String? {
        let raw = Array(lines.bytes[site.range])
        switch site.style {
        case .plain: return String(decoding: raw, as: UTF8.self)
        case .singleQuoted: return String(decoding: raw.dropFirst().dropLast(), as: UTF8.self).replacing("''", with: "'")
        case .doubleQuoted:
            let inner = String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
            return inner.contains("\\") ? ScalarText.unescapeDoubleQuoted(inner) : inner
        }
    }

    private func closingQuote(from start: Int, end: Int, quote: UInt8) -> Int? {
        let bytes = lines.bytes
        guard start < end, bytes[start] == quote else { return nil }
        var index = start + 1
        while index < end {
            if quote == UInt8(ascii: "\""), bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                if quote == UInt8(ascii: "'"), index + 1 < end, bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index
            }
            index += 1
        }
        return nil
    }

    /// A plain scalar on one line ends before ` #`, a flow indicator, or the line end; trailing blanks are not part of it.
    private func plainEnd(from start: Int, end: Int) -> Int {
        let bytes = lines.bytes
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "#"), index > start, Self.isBlank(bytes[index - 1]) { break }
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                // Only a flow collection ends a scalar here; verification against the parsed value catches the rest.
                if index + 1 >= end || Self.isBlank(bytes[index + 1]) || bytes[index + 1] == UInt8(ascii: ",")
                    || bytes[index + 1] == UInt8(ascii: "}") || bytes[index + 1] == UInt8(ascii: "]")
                {
                    if isInFlow(start) { break }
                }
            }
            index += 1
        }
        while index > start, Self.isBlank(bytes[index - 1]) { index -= 1 }
        return index
    }

    /// Whether an unclosed `[` or `{` precedes `offset` on its line (a flow collection on one line).
    private func isInFlow(_ offset: Int) -> Bool {
        let lineStart = lines.starts[lines.line(of: offset) - 1]
        var depth = 0
        for byte in lines.bytes[lineStart..<offset] {
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { depth -= 1 }
        }
        return depth > 0
    }

    private func comment(after stop: Int, end: Int) -> String? {
        let bytes = lines.bytes
        var index = stop
        while index < end,
            Self.isBlank(bytes[index]) || bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: "}") || bytes[index] == UInt8(ascii: "]")
        {
            index += 1
        }
        guard index < end, bytes[index] == UInt8(ascii: "#"), index == stop || Self.isBlank(bytes[index - 1]) else { return nil }
        return String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
}
