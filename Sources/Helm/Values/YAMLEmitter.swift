import GoTemplate

/// go-yaml's emitter (a port of libyaml's) for the block-style documents Helm prints: `toYaml`
/// (go-yaml v2 through sigs.k8s.io/yaml: sequences not indented under a key, long scalars folded
/// at 80 columns) and `toYamlPretty` (go-yaml v3 with indent 2: indented sequences, no folding).
struct YAMLEmitter {
    /// Which of go-yaml's encoders is reproduced.
    enum Flavour { case v2, v3 }

    /// The style the encoder asks for; the emitter may fall back to a quoted one.
    enum Style { case plain, doubleQuoted, literal }

    indirect enum Node {
        case scalar(String, Style)
        case sequence([Node])
        case mapping([(key: Node, value: Node)])
    }

    let flavour: Flavour
    private let bestWidth: Int
    private let bestIndent = 2
    private var out = ""
    private var column = 0
    private var indent = -1
    private var indents: [Int] = []
    private var whitespace = true
    private var indention = true

    init(_ flavour: Flavour) {
        self.flavour = flavour
        self.bestWidth = flavour == .v2 ? 80 : Int.max
    }

    /// The document for `node`, ending with a newline as go-yaml's `Marshal` does.
    static func document(_ node: Node, _ flavour: Flavour) -> String {
        var emitter = YAMLEmitter(flavour)
        emitter.emit(node, mappingContext: false, simpleKey: false)
        emitter.writeIndent()
        return emitter.out
    }

    private mutating func increaseIndent(flow: Bool, indentless: Bool) {
        indents.append(indent)
        if indent < 0 {
            indent = flow ? bestIndent : 0
        } else if !indentless {
            indent += bestIndent
        }
    }

    private mutating func put(_ text: String) {
        out += text
        column += text.scalarCount
    }

    private mutating func putBreak() {
        out += "\n"
        column = 0
    }

    mutating func writeIndent() {
        let target = max(indent, 0)
        if !indention || column > target || (column == target && !whitespace) { putBreak() }
        if column < target {
            out += String(repeating: " ", count: target - column)
            column = target
        }
        whitespace = true
        indention = true
    }

    private mutating func writeIndicator(_ indicator: String, needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool) {
        if needWhitespace && !whitespace { put(" ") }
        put(indicator)
        whitespace = isWhitespace
        indention = indention && isIndention
    }

    private mutating func emit(_ node: Node, mappingContext: Bool, simpleKey: Bool) {
        switch node {
        case .scalar(let text, let style):
            increaseIndent(flow: true, indentless: false)
            writeScalar(text, style, simpleKey: simpleKey)
            indent = indents.removeLast()
        case .sequence(let items) where items.isEmpty:
            writeIndicator("[", needWhitespace: true, isWhitespace: true, isIndention: false)
            writeIndicator("]", needWhitespace: false, isWhitespace: false, isIndention: false)
        case .mapping(let entries) where entries.isEmpty:
            writeIndicator("{", needWhitespace: true, isWhitespace: true, isIndention: false)
            writeIndicator("}", needWhitespace: false, isWhitespace: false, isIndention: false)
        case .sequence(let items):
            increaseIndent(flow: false, indentless: flavour == .v2 && mappingContext && !indention)
            for item in items {
                writeIndent()
                writeIndicator("-", needWhitespace: true, isWhitespace: false, isIndention: true)
                emit(item, mappingContext: false, simpleKey: false)
            }
            indent = indents.removeLast()
        case .mapping(let entries):
            increaseIndent(flow: false, indentless: false)
            for (key, value) in entries {
                writeIndent()
                if case .scalar(let text, let style) = key, case let analysis = ScalarAnalysis(text, flavour), !analysis.multiline,
                    text.scalarCount <= 128
                {
                    increaseIndent(flow: true, indentless: false)
                    writeScalar(text, style, simpleKey: true, analysis: analysis)
                    indent = indents.removeLast()
                    writeIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false)
                } else {
                    writeIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: true)
                    emit(key, mappingContext: true, simpleKey: false)
                    writeIndent()
                    writeIndicator(":", needWhitespace: true, isWhitespace: false, isIndention: true)
                }
                emit(value, mappingContext: true, simpleKey: false)
            }
            indent = indents.removeLast()
        }
    }

    private enum Written { case plain, single, double, literal }

    private mutating func writeScalar(_ text: String, _ requested: Style, simpleKey: Bool, analysis: ScalarAnalysis? = nil) {
        let analysis = analysis ?? ScalarAnalysis(text, flavour)
        var style: Written
        switch requested {
        case .plain:
            style = .plain
            if !analysis.blockPlainAllowed || (text.isEmpty && simpleKey) { style = .single }
        case .doubleQuoted: style = .double
        case .literal: style = analysis.blockAllowed && !simpleKey ? .literal : .double
        }
        if style == .single && !analysis.singleQuotedAllowed { style = .double }
        switch style {
        case .plain: writePlain(text, allowBreaks: !simpleKey)
        case .single: writeSingle(Array(text.unicodeScalars), allowBreaks: !simpleKey)
        case .double: writeDouble(text, allowBreaks: !simpleKey)
        case .literal: writeLiteral(text)
        }
    }

    /// Writes `text` as it is when no line of it can reach the width at which a space becomes a break.
    private mutating func putUnbroken(_ text: String, allowBreaks: Bool) -> Bool {
        let count = text.scalarCount
        guard !allowBreaks || column + count <= bestWidth || !text.utf8.contains(UInt8(ascii: " ")) else { return false }
        out += text
        column += count
        return true
    }

    private mutating func writePlain(_ text: String, allowBreaks: Bool) {
        if !whitespace { put(" ") }
        defer {
            whitespace = false
            indention = false
        }
        if putUnbroken(text, allowBreaks: allowBreaks) { return }
        let scalars = Array(text.unicodeScalars)
        var spaces = false
        for (index, scalar) in scalars.enumerated() {
            if scalar == " " {
                let nextIsSpace = index + 1 < scalars.count && scalars[index + 1] == " "
                if allowBreaks && !spaces && column > bestWidth && !nextIsSpace {
                    writeIndent()
                } else {
                    put(" ")
                }
                spaces = true
            } else {
                out.unicodeScalars.append(scalar)
                column += 1
                indention = false
                spaces = false
            }
        }
    }

    private mutating func writeSingle(_ scalars: [Unicode.Scalar], allowBreaks: Bool) {
        writeIndicator("'", needWhitespace: true, isWhitespace: false, isIndention: false)
        var spaces = false
        var breaks = false
        for (index, scalar) in scalars.enumerated() {
            if scalar == " " {
                let nextIsSpace = index + 1 < scalars.count && scalars[index + 1] == " "
                if allowBreaks && !spaces && column > bestWidth && index != 0 && index != scalars.count - 1 && !nextIsSpace {
                    writeIndent()
                } else {
                    put(" ")
                }
                spaces = true
            } else if ScalarAnalysis.isBreak(scalar) {
                if !breaks && scalar == "\n" { putBreak() }
                if scalar == "\n" { putBreak() } else { out.unicodeScalars.append(scalar); column = 0 }
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                put(scalar == "'" ? "''" : String(scalar))
                indention = false
                spaces = false
                breaks = false
            }
        }
        writeIndicator("'", needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    private mutating func writeDouble(_ text: String, allowBreaks: Bool) {
        writeIndicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false)
        defer { writeIndicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false) }
        // Printable ASCII but the quote and the backslash needs no escape.
        let plain = text.utf8.allSatisfy { (0x20...0x7E).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if plain, putUnbroken(text, allowBreaks: allowBreaks) { return }
        let scalars = Array(text.unicodeScalars)
        var spaces = false
        for (index, scalar) in scalars.enumerated() {
            if !ScalarAnalysis.isPrintable(scalar) || scalar == "\u{FEFF}" || ScalarAnalysis.isBreak(scalar) || scalar == "\"" || scalar == "\\" {
                put("\\" + Self.escape(scalar))
                spaces = false
            } else if scalar == " " {
                if allowBreaks && !spaces && column > bestWidth && index != 0 && index != scalars.count - 1 {
                    writeIndent()
                    if index + 1 < scalars.count && scalars[index + 1] == " " { put("\\") }
                } else {
                    put(" ")
                }
                spaces = true
            } else {
                out.unicodeScalars.append(scalar)
                column += 1
                spaces = false
            }
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00: "0"
        case 0x07: "a"
        case 0x08: "b"
        case 0x09: "t"
        case 0x0A: "n"
        case 0x0B: "v"
        case 0x0C: "f"
        case 0x0D: "r"
        case 0x1B: "e"
        case 0x22: "\""
        case 0x5C: "\\"
        case 0x85: "N"
        case 0xA0: "_"
        case 0x2028: "L"
        case 0x2029: "P"
        case let value where value <= 0xFF: "x" + GoJSON.hex(value, width: 2, uppercase: true)
        case let value where value <= 0xFFFF: "u" + GoJSON.hex(value, width: 4, uppercase: true)
        case let value: "U" + GoJSON.hex(value, width: 8, uppercase: true)
        }
    }

    private mutating func writeLiteral(_ text: String) {
        let scalars = text.unicodeScalars
        writeIndicator("|", needWhitespace: true, isWhitespace: false, isIndention: false)
        if let first = scalars.first, first == " " || ScalarAnalysis.isBreak(first) {
            writeIndicator(String(bestIndent), needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        if let last = scalars.last, ScalarAnalysis.isBreak(last) {
            // Kept (`+`) when the text is a break or ends in two.
            if scalars.dropLast().last.map(ScalarAnalysis.isBreak) ?? true {
                writeIndicator("+", needWhitespace: false, isWhitespace: false, isIndention: false)
            }
        } else {
            writeIndicator("-", needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        putBreak()
        indention = true
        whitespace = true
        var breaks = true
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if ScalarAnalysis.isBreak(scalar) {
                if scalar == "\n" { putBreak() } else { out.unicodeScalars.append(scalar); column = 0 }
                indention = true
                breaks = true
                index = scalars.index(after: index)
            } else {
                if breaks {
                    writeIndent()
                    breaks = false
                }
                // The rest of the line in one piece.
                var end = scalars.index(after: index)
                var count = 1
                while end < scalars.endIndex, !ScalarAnalysis.isBreak(scalars[end]) {
                    end = scalars.index(after: end)
                    count += 1
                }
                out += Substring(scalars[index..<end])
                column += count
                index = end
                indention = false
            }
        }
    }
}
