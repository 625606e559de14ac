/// Where one single-line scalar sits in a file's bytes, and how it is written.
struct ScalarSite: Sendable, Hashable {
    /// How the scalar is quoted; kept when it is rewritten.
    enum Style: Sendable, Hashable { case plain, singleQuoted, doubleQuoted }

    /// The scalar's text (quotes included) as byte offsets into the file.
    var range: Range<Int>
    /// The 1-based line the scalar is on.
    var line: Int
    /// The scalar's value.
    var value: String
    /// How it is quoted.
    var style: Style
    /// The comment after the scalar on the same line, without `#`, if any.
    var trailingComment: String?
}

/// A file's bytes split into lines, for mapping YAML marks (line, character column) to offsets.
struct LineIndex: Sendable {
    let bytes: [UInt8]
    /// The offset of each line's first byte; index 0 is line 1.
    let starts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        self.starts = starts
    }

    /// The offset where `line`'s content ends (before `\r\n` or `\n`).
    func end(ofLine line: Int) -> Int {
        var end = line < starts.count ? starts[line] - 1 : bytes.count
        if end > starts[line - 1], end - 1 < bytes.count, end >= 1, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return max(end, starts[line - 1])
    }

    /// The offset of the `column`-th character (1-based, counting Unicode scalars) of `line`.
    func offset(line: Int, column: Int) -> Int? {
        guard line >= 1, line <= starts.count else { return nil }
        var offset = starts[line - 1]
        // A byte order mark is not counted by the YAML reader.
        if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset += 3 }
        var remaining = column - 1
        let end = end(ofLine: line)
        while remaining > 0, offset < end {
            offset += 1
            while offset < end, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        return remaining == 0 ? offset : nil
    }

    /// The 1-based line holding `offset`.
    func line(of offset: Int) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }
}
