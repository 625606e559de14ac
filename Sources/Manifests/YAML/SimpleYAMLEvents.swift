/// libyaml's events for the YAML that templates render almost always, read without libyaml:
/// block mappings and sequences one entry per line, plain scalars on one line, quoted scalars on
/// one line with the common escapes, flow collections on one line, and literal block scalars
/// (`|`, `|-`). For any other text, valid or not (anchors, tags, folded or multi-line scalars,
/// tabs, non-ASCII bytes, an error), there are no events: the caller asks libyaml, which reads
/// everything and words the errors.
///
/// Only what libyaml certainly accepts, with the same events, gives events here; the tests check
/// that against libyaml itself.
public struct SimpleYAMLEvents: YAMLEventSource {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let events: [Event]
    /// The texts of literal block scalars, which are not slices of the input.
    private let literals: [String]
    private var index = -1

    /// The events of `bytes`, nil outside the subset; valid while `bytes` is.
    public init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var reader = Reader(bytes)
        guard reader.read() else { return nil }
        self.bytes = bytes
        self.events = reader.events
        self.literals = reader.literals
    }

    public mutating func next() -> YAMLEventParser.Kind {
        if index < events.count - 1 { index += 1 }
        return events[index].kind
    }

    /// The current event's kind (`.streamStart` before the first `next()`).
    public var kind: YAMLEventParser.Kind { index < 0 ? .streamStart : events[index].kind }

    /// The current event when it is a scalar.
    private var scalar: Event? { index >= 0 && events[index].kind == .scalar ? events[index] : nil }

    public var scalarValue: String {
        guard let event = scalar else { return "" }
        var text: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[Int(event.start)..<Int(event.end)]) }
        switch event.style {
        case .literal: return literals[Int(event.start)]
        case .plain, .singleQuoted, .doubleQuoted: return String(decoding: text, as: UTF8.self)
        case .singleQuotedEscaped: return Self.unescapeSingle(text)
        case .doubleQuotedEscaped: return Self.unescapeDouble(text)
        }
    }

    public func scalarIs(_ text: StaticString) -> Bool {
        guard let event = scalar else { return false }
        guard event.style != .singleQuotedEscaped, event.style != .doubleQuotedEscaped, event.style != .literal else {
            return scalarValue == text.description
        }
        let length = Int(event.end - event.start)
        guard length == text.utf8CodeUnitCount else { return false }
        return bytes[Int(event.start)..<Int(event.end)].elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: length))
    }

    public var isPlainScalar: Bool { scalar?.style == .plain }

    /// Never: tags are outside the subset.
    public var hasExplicitTag: Bool { false }

    /// A quoted scalar's implicit `tag:yaml.org,2002:str`, as libyaml reports it.
    public var tag: String? { scalar.map { $0.style == .plain ? nil : "tag:yaml.org,2002:str" } ?? nil }

    /// Never: anchors and aliases are outside the subset.
    public var anchor: String? { nil }

    private static func unescapeSingle(_ text: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var position = 0
        while position < text.count {
            out.append(text[position])
            // `''` is one quote.
            position += text[position] == UInt8(ascii: "'") ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func unescapeDouble(_ text: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var position = 0
        while position < text.count {
            guard text[position] == UInt8(ascii: "\\") else {
                out.append(text[position])
                position += 1
                continue
            }
            out.append(Reader.escaped(text[position + 1])!)
            position += 2
        }
        return String(decoding: out, as: UTF8.self)
    }

    struct Event {
        var kind: YAMLEventParser.Kind
        var style: Style = .plain
        /// The scalar's text in the input (inside the quotes of a quoted one); for a literal block
        /// scalar, `start` is its index in `literals`.
        var start: Int32 = 0
        var end: Int32 = 0
    }

    enum Style: UInt8 { case plain, singleQuoted, singleQuotedEscaped, doubleQuoted, doubleQuotedEscaped, literal }

    /// Reads the input line by line, keeping the open block collections as libyaml's scanner keeps
    /// its indentation levels.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var events: [Event] = []
        var literals: [String] = []
        /// Where the next line starts when a literal block scalar took the lines after its header.
        var resumeAt: Int?
        /// The open block collections, outermost first.
        var frames: [Frame] = []
        var documentStarted = false
        var lineStart = 0

        struct Frame {
            var isMapping: Bool
            /// The column of its keys or dashes.
            var indent: Int
            /// A key (or a dash) whose value has not come yet: a null, unless a deeper collection follows.
            var awaitsValue = false
            /// A sequence at its parent mapping's indentation (`key:` then `- item` below it).
            var indentless = false
        }

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            events.reserveCapacity(bytes.count / 6)
        }

        /// Whether the whole input is in the subset; `events` are its events.
        mutating func read() -> Bool {
            // Offsets are kept in 32 bits.
            guard bytes.count < Int(Int32.max) else { return false }
            events.append(Event(kind: .streamStart))
            while lineStart < bytes.count {
                guard let lineEnd = lineEnd(from: lineStart), line(end: lineEnd) else { return false }
                lineStart = resumeAt ?? lineEnd + 1
                resumeAt = nil
            }
            while !frames.isEmpty { closeInnermost() }
            if documentStarted { events.append(Event(kind: .documentEnd)) }
            events.append(Event(kind: .streamEnd))
            return true
        }

        /// Where the line starting at `start` ends (its newline, or the end of the input); nil when
        /// it holds anything but printable ASCII (a tab, a carriage return, a control character).
        func lineEnd(from start: Int) -> Int? {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A {
                guard (0x20...0x7E).contains(bytes[end]) else { return nil }
                end += 1
            }
            return end
        }

        mutating func line(end: Int) -> Bool {
            var first = lineStart
            while first < end, bytes[first] == UInt8(ascii: " ") { first += 1 }
            // Blank lines and comment lines.
            if first == end || bytes[first] == UInt8(ascii: "#") { return true }
            let column = first - lineStart
            // Document markers and directives.
            if column == 0, starts(first, end, "---") || starts(first, end, "...") || bytes[first] == UInt8(ascii: "%") { return false }
            let isItem = isDash(first, end)
            while let innermost = frames.last, innermost.indent > column || (innermost.indentless && innermost.indent == column && !isItem) {
                closeInnermost()
            }
            if let innermost = frames.last, innermost.indent == column {
                if innermost.isMapping, isItem {
                    // `key:` and its sequence below it, at the same indentation.
                    guard innermost.awaitsValue else { return false }
                    frames[frames.count - 1].awaitsValue = false
                    open(Frame(isMapping: false, indent: column, indentless: true))
                } else {
                    guard innermost.isMapping || isItem else { return false }
                    if innermost.awaitsValue { null() }
                    frames[frames.count - 1].awaitsValue = false
                }
            } else if !frames.isEmpty {
                // A collection deeper than its parent: the value of its last key or dash.
                guard frames[frames.count - 1].awaitsValue else { return false }
                frames[frames.count - 1].awaitsValue = false
                open(Frame(isMapping: !isItem, indent: column))
            } else {
                // The document's root; there is only one.
                guard !documentStarted else { return false }
                documentStarted = true
                events.append(Event(kind: .documentStart))
                open(Frame(isMapping: !isItem, indent: column))
            }
            return entry(first, end)
        }

        /// A key and its value, or a dash and its item, starting at `position`.
        mutating func entry(_ position: Int, _ end: Int) -> Bool {
            if frames[frames.count - 1].isMapping {
                guard let afterKey = key(position, end) else { return false }
                return blockValue(afterKey, end)
            }
            return blockValue(position + 1, end)
        }

        /// What follows a key's colon or an item's dash, up to the end of the line.
        mutating func blockValue(_ position: Int, _ end: Int) -> Bool {
            var start = position
            while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
            if start == end || bytes[start] == UInt8(ascii: "#") {
                // The value is below, or null.
                frames[frames.count - 1].awaitsValue = true
                return true
            }
            let column = start - lineStart
            if !frames[frames.count - 1].isMapping {
                // An item can itself be a sequence or a mapping on the same line (`- - a`, `- key: value`).
                if isDash(start, end) {
                    open(Frame(isMapping: false, indent: column))
                    return entry(start, end)
                }
                if looksLikeKey(start, end) {
                    open(Frame(isMapping: true, indent: column))
                    return entry(start, end)
                }
            }
            if bytes[start] == UInt8(ascii: "|") { return literal(start, end) }
            guard let after = inlineNode(start, end, flow: false) else { return false }
            return restIsComment(after, end)
        }

        /// A literal block scalar, `|` or `|-` (clipped or stripped), whose header is at `position`
        /// and whose lines follow, indented as its first line is and deeper than the collection
        /// it is in. An indentation indicator, keeping (`|+`), a leading blank line with spaces,
        /// a blank line with more spaces than the indentation, or an empty scalar is left to libyaml.
        mutating func literal(_ position: Int, _ end: Int) -> Bool {
            var header = position + 1
            let strip = header < end && bytes[header] == UInt8(ascii: "-")
            if strip { header += 1 }
            guard restIsComment(header, end) else { return false }
            let parentIndent = frames[frames.count - 1].indent
            var text: [UInt8] = []
            var indent = 0
            var blanks = 0
            var started = false
            var endsWithBreak = false
            var cursor = end + 1
            while cursor < bytes.count {
                guard let lineEnd = lineEnd(from: cursor) else { return false }
                var first = cursor
                while first < lineEnd, bytes[first] == UInt8(ascii: " ") { first += 1 }
                let spaces = first - cursor
                if first == lineEnd {
                    guard spaces <= indent else { return false }
                    blanks += 1
                } else {
                    if indent == 0 {
                        guard spaces > parentIndent else { return false }
                        indent = spaces
                    } else if spaces < indent {
                        break
                    }
                    // The break after the line before (if any) and one per blank line between.
                    text.append(contentsOf: repeatElement(0x0A, count: blanks + (started ? 1 : 0)))
                    started = true
                    text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(cursor + indent)..<lineEnd]))
                    blanks = 0
                    endsWithBreak = lineEnd < bytes.count
                }
                cursor = lineEnd + 1
            }
            guard indent > 0 else { return false }
            if endsWithBreak, !strip { text.append(0x0A) }
            events.append(Event(kind: .scalar, style: .literal, start: Int32(literals.count)))
            literals.append(String(decoding: text, as: UTF8.self))
            resumeAt = min(cursor, bytes.count)
            return true
        }

        /// A key followed by `: ` or a colon at the end of the line; the position after the colon.
        mutating func key(_ position: Int, _ end: Int) -> Int? {
            let afterKey: Int
            if bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") {
                guard let after = quoted(position, end) else { return nil }
                afterKey = after
            } else {
                var after = position
                while after < end, Self.isKeyByte(bytes[after]) { after += 1 }
                guard after > position, Self.canStartKey(bytes[position]) else { return nil }
                events.append(Event(kind: .scalar, start: Int32(position), end: Int32(after)))
                afterKey = after
            }
            // libyaml looks for a key's colon within 1024 characters.
            guard afterKey - position < 1000, afterKey < end, bytes[afterKey] == UInt8(ascii: ":"),
                afterKey + 1 == end || bytes[afterKey + 1] == UInt8(ascii: " ")
            else { return nil }
            return afterKey + 1
        }

        /// Whether a plain key and its colon start at `position`.
        func looksLikeKey(_ position: Int, _ end: Int) -> Bool {
            var after = position
            while after < end, Self.isKeyByte(bytes[after]) { after += 1 }
            return after > position && Self.canStartKey(bytes[position]) && after < end && bytes[after] == UInt8(ascii: ":")
                && (after + 1 == end || bytes[after + 1] == UInt8(ascii: " "))
        }

        /// A scalar or a flow collection on this line; the position after it.
        mutating func inlineNode(_ position: Int, _ end: Int, flow: Bool) -> Int? {
            switch bytes[position] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): return quoted(position, end)
            case UInt8(ascii: "{"): return flowCollection(position, end, mapping: true)
            case UInt8(ascii: "["): return flowCollection(position, end, mapping: false)
            default: return plain(position, end, flow: flow)
            }
        }

        /// A plain scalar: it ends at ` #`, at the end of the line, and in a flow collection at
        /// `,`, `]` or `}`; trailing spaces are not part of it.
        mutating func plain(_ position: Int, _ end: Int, flow: Bool) -> Int? {
            let first = bytes[position]
            // Indicators cannot start one; `-` can when a non-space follows (`-1`, `--flag`), in a
            // flow collection one that is not a flow indicator either.
            if first == UInt8(ascii: "-") {
                guard position + 1 < end, bytes[position + 1] != UInt8(ascii: " ") else { return nil }
                if flow, !(Self.isWordByte(bytes[position + 1]) || bytes[position + 1] == UInt8(ascii: "-")) { return nil }
            } else if Self.isIndicator(first) {
                return nil
            }
            var after = position
            var contentEnd = position
            while after < end {
                let byte = bytes[after]
                if byte == UInt8(ascii: ":") {
                    // `: ` would make a mapping where none can be; in a flow collection a colon is
                    // read only inside a word (`--metrics=:9090`, `a:b`), the rest left to libyaml.
                    if after + 1 == end || bytes[after + 1] == UInt8(ascii: " ") { return nil }
                    if flow, !Self.isWordByte(bytes[after + 1]), bytes[after + 1] != UInt8(ascii: "/") { return nil }
                } else if byte == UInt8(ascii: "#") {
                    if flow { return nil }
                    if bytes[after - 1] == UInt8(ascii: " ") { break }
                } else if flow, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                    break
                } else if flow, byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "?") {
                    return nil
                }
                if byte != UInt8(ascii: " ") { contentEnd = after + 1 }
                after += 1
            }
            events.append(Event(kind: .scalar, start: Int32(position), end: Int32(contentEnd)))
            return contentEnd
        }

        /// A single- or double-quoted scalar closed on this line; the position after its closing quote.
        mutating func quoted(_ position: Int, _ end: Int) -> Int? {
            let quote = bytes[position]
            var after = position + 1
            var escaped = false
            while true {
                guard after < end else { return nil }
                let byte = bytes[after]
                if byte == quote {
                    // In single quotes, `''` is a quote.
                    guard quote == UInt8(ascii: "'"), after + 1 < end, bytes[after + 1] == quote else { break }
                    escaped = true
                    after += 2
                } else if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                    guard after + 1 < end, Self.escaped(bytes[after + 1]) != nil else { return nil }
                    escaped = true
                    after += 2
                } else {
                    after += 1
                }
            }
            let style: Style =
                quote == UInt8(ascii: "'")
                ? (escaped ? .singleQuotedEscaped : .singleQuoted) : (escaped ? .doubleQuotedEscaped : .doubleQuoted)
            events.append(Event(kind: .scalar, style: style, start: Int32(position + 1), end: Int32(after)))
            return after + 1
        }

        /// `{key: value, ...}` or `[item, ...]` closed on this line; the position after it.
        mutating func flowCollection(_ position: Int, _ end: Int, mapping: Bool) -> Int? {
            events.append(Event(kind: mapping ? .mappingStart : .sequenceStart))
            let close = mapping ? UInt8(ascii: "}") : UInt8(ascii: "]")
            var next = skipSpaces(position + 1, end)
            if next < end, bytes[next] == close {
                events.append(Event(kind: mapping ? .mappingEnd : .sequenceEnd))
                return next + 1
            }
            while true {
                guard next < end else { return nil }
                if mapping {
                    guard let afterKey = key(next, end) else { return nil }
                    next = skipSpaces(afterKey, end)
                    guard next < end else { return nil }
                }
                guard let afterValue = inlineNode(next, end, flow: true) else { return nil }
                next = skipSpaces(afterValue, end)
                guard next < end else { return nil }
                if bytes[next] == close {
                    events.append(Event(kind: mapping ? .mappingEnd : .sequenceEnd))
                    return next + 1
                }
                // A comma and another entry (a trailing comma is left to libyaml).
                guard bytes[next] == UInt8(ascii: ",") else { return nil }
                next = skipSpaces(next + 1, end)
                guard next < end, bytes[next] != close else { return nil }
            }
        }

        /// Nothing but spaces and perhaps a comment after a space from `position` to the end of the line.
        func restIsComment(_ position: Int, _ end: Int) -> Bool {
            let next = skipSpaces(position, end)
            return next == end || (next > position && bytes[next] == UInt8(ascii: "#"))
        }

        func skipSpaces(_ position: Int, _ end: Int) -> Int {
            var next = position
            while next < end, bytes[next] == UInt8(ascii: " ") { next += 1 }
            return next
        }

        /// A dash followed by a space or the end of the line.
        func isDash(_ position: Int, _ end: Int) -> Bool {
            bytes[position] == UInt8(ascii: "-") && (position + 1 == end || bytes[position + 1] == UInt8(ascii: " "))
        }

        func starts(_ position: Int, _ end: Int, _ text: StaticString) -> Bool {
            end - position >= text.utf8CodeUnitCount
                && bytes[position..<position + text.utf8CodeUnitCount].elementsEqual(
                    UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        mutating func open(_ frame: Frame) {
            frames.append(frame)
            events.append(Event(kind: frame.isMapping ? .mappingStart : .sequenceStart))
        }

        mutating func closeInnermost() {
            let frame = frames.removeLast()
            if frame.awaitsValue { null() }
            events.append(Event(kind: frame.isMapping ? .mappingEnd : .sequenceEnd))
        }

        /// An empty value: libyaml gives an empty plain scalar.
        mutating func null() {
            events.append(Event(kind: .scalar, start: Int32(lineStart), end: Int32(lineStart)))
        }

        /// Letters, digits and `._/-` (what Kubernetes keys are made of), and `<` for the merge key.
        static func isKeyByte(_ byte: UInt8) -> Bool {
            isWordByte(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "<")
        }

        static func canStartKey(_ byte: UInt8) -> Bool { byte != UInt8(ascii: "-") }

        static func isWordByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"):
                true
            default: false
            }
        }

        /// The characters that start something other than a plain scalar, or that libyaml
        /// reserves: a plain scalar cannot start with them.
        static func isIndicator(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
                UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"),
                UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
                UInt8(ascii: "`"):
                true
            default: false
            }
        }

        /// The byte a double-quoted escape stands for, for the escapes read here.
        static func escaped(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "t"): 0x09
            case UInt8(ascii: "r"): 0x0D
            default: nil
            }
        }
    }
}
