/// One lexical item of a template, as Go's `text/template/parse` lexer emits it.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case error, bool, char, charConstant, comment, complex, assign, declare, eof, field, identifier
        case leftDelim, leftParen, number, pipe, rawString, rightDelim, rightParen, space, string, text, variable
        // Keywords.
        case block, breakKeyword, continueKeyword, dot, define, elseKeyword, end, ifKeyword, nilKeyword, range, template, with

        var isKeyword: Bool {
            switch self {
            case .block, .breakKeyword, .continueKeyword, .dot, .define, .elseKeyword, .end, .ifKeyword, .nilKeyword, .range, .template,
                .with:
                true
            default: false
            }
        }
    }

    var kind: Kind
    /// Byte offset in the template text.
    var pos: Int
    var text: String
    var line: Int

    /// How Go's parser names the token in an error (`item.String()`).
    var description: String {
        switch kind {
        case .eof: return "EOF"
        case .error: return text
        case _ where kind.isKeyword: return "<\(text)>"
        default:
            let characters = Array(text.unicodeScalars)
            if characters.count > 10 {
                return GoQuote.quote(String(String.UnicodeScalarView(characters[..<10]))) + "..."
            }
            return GoQuote.quote(text)
        }
    }
}

/// Go's template lexer: splits text into text runs and the items inside `{{ }}` actions, honouring trim markers.
struct Lexer {
    let input: [UInt8]
    private let lineStarts: [Int]
    private let leftDelim: [UInt8] = Array("{{".utf8)
    private let rightDelim: [UInt8] = Array("}}".utf8)
    var pos = 0
    var start = 0
    private var parenDepth = 0
    private var insideAction = false
    private(set) var tokens: [Token] = []
    private var finished = false

    init(_ text: String) {
        input = Array(text.utf8)
        var starts = [0]
        for (index, byte) in input.enumerated() where byte == UInt8(ascii: "\n") { starts.append(index + 1) }
        lineStarts = starts
    }

    /// Lexes the whole input; the last token is `.eof` or `.error`.
    static func tokenize(_ text: String) -> [Token] {
        var lexer = Lexer(text)
        lexer.run()
        return lexer.tokens
    }

    func line(at offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    private mutating func run() {
        while !finished {
            if insideAction { lexInsideAction() } else { lexText() }
        }
    }

    func text(_ from: Int, _ to: Int) -> String { String(decoding: input[from..<to], as: UTF8.self) }

    mutating func emit(_ kind: Token.Kind) {
        tokens.append(Token(kind: kind, pos: start, text: text(start, pos), line: line(at: start)))
        start = pos
    }

    mutating func fail(_ message: String) {
        tokens.append(Token(kind: .error, pos: start, text: message, line: line(at: start)))
        finished = true
    }

    func peekByte(_ offset: Int = 0) -> UInt8? { pos + offset < input.count ? input[pos + offset] : nil }

    private func hasPrefix(_ prefix: [UInt8], at offset: Int) -> Bool {
        guard offset + prefix.count <= input.count else { return false }
        for index in prefix.indices where input[offset + index] != prefix[index] { return false }
        return true
    }

    static func isSpace(_ byte: UInt8?) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    static func isAlphaNumeric(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
    }

    /// `-` followed by a space right after a left delimiter.
    private func hasLeftTrimMarker(_ offset: Int) -> Bool {
        offset + 1 < input.count && input[offset] == UInt8(ascii: "-") && Self.isSpace(input[offset + 1])
    }

    /// A space followed by `-` right before a right delimiter.
    private func hasRightTrimMarker(_ offset: Int) -> Bool {
        offset + 1 < input.count && Self.isSpace(input[offset]) && input[offset + 1] == UInt8(ascii: "-")
    }

    private func atRightDelim() -> (delim: Bool, trim: Bool) {
        if hasRightTrimMarker(pos) && hasPrefix(rightDelim, at: pos + 2) { return (true, true) }
        return (hasPrefix(rightDelim, at: pos), false)
    }

    private mutating func lexText() {
        var index = pos
        while index < input.count, input[index] != leftDelim[0] || !hasPrefix(leftDelim, at: index) { index += 1 }
        if index >= input.count {
            pos = input.count
            if pos > start { emit(.text) }
            emit(.eof)
            finished = true
            return
        }
        var textEnd = index
        if hasLeftTrimMarker(index + leftDelim.count) {
            while textEnd > start, Self.isSpace(input[textEnd - 1]) { textEnd -= 1 }
        }
        pos = textEnd
        if pos > start { emit(.text) }
        pos = index
        start = index
        lexLeftDelim()
    }

    private mutating func lexLeftDelim() {
        pos += leftDelim.count
        let trim = hasLeftTrimMarker(pos)
        let afterMarker = trim ? 2 : 0
        if hasPrefix(Array("/*".utf8), at: pos + afterMarker) {
            pos += afterMarker
            start = pos
            lexComment()
            return
        }
        emit(.leftDelim)
        insideAction = true
        pos += afterMarker
        start = pos
        parenDepth = 0
    }

    private mutating func lexComment() {
        pos += 2
        var index = pos
        while index < input.count, !hasPrefix(Array("*/".utf8), at: index) { index += 1 }
        guard index < input.count else { return fail("unclosed comment") }
        pos = index + 2
        let (delim, trim) = atRightDelim()
        guard delim else { return fail("comment ends before closing delimiter") }
        emit(.comment)
        if trim { pos += 2 }
        pos += rightDelim.count
        if trim { while pos < input.count, Self.isSpace(input[pos]) { pos += 1 } }
        start = pos
    }

    private mutating func lexRightDelim(trim: Bool) {
        if trim {
            pos += 2
            start = pos
        }
        pos += rightDelim.count
        emit(.rightDelim)
        if trim {
            while pos < input.count, Self.isSpace(input[pos]) { pos += 1 }
            start = pos
        }
        insideAction = false
    }

    mutating func nextScalar() -> Unicode.Scalar? {
        guard pos < input.count else { return nil }
        if input[pos] < 0x80 {
            pos += 1
            return Unicode.Scalar(input[pos - 1])
        }
        var iterator = input[pos...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else {
            pos += 1
            return "\u{FFFD}"
        }
        pos += UTF8.width(scalar)
        return scalar
    }

    func peekScalar() -> Unicode.Scalar? {
        if pos < input.count, input[pos] < 0x80 { return Unicode.Scalar(input[pos]) }
        var copy = self
        return copy.nextScalar()
    }

    private mutating func lexInsideAction() {
        let (delim, trim) = atRightDelim()
        if delim {
            if parenDepth == 0 { return lexRightDelim(trim: trim) }
            return fail("unclosed left paren")
        }
        let before = pos
        guard let scalar = nextScalar() else { return fail("unclosed action") }
        switch scalar {
        case " ", "\t", "\r", "\n":
            pos = before
            lexSpace()
        case "=": emit(.assign)
        case ":":
            guard nextScalar() == "=" else { return fail("expected :=") }
            emit(.declare)
        case "|": emit(.pipe)
        case "\"": lexQuote()
        case "`": lexRawQuote()
        case "$": lexFieldOrVariable(.variable)
        case "'": lexChar()
        case "." where pos < input.count && !(input[pos] >= UInt8(ascii: "0") && input[pos] <= UInt8(ascii: "9")):
            lexFieldOrVariable(.field)
        case ".", "+", "-", "0"..."9":
            pos = before
            lexNumber()
        case _ where Self.isAlphaNumeric(scalar):
            pos = before
            lexIdentifier()
        case "(":
            parenDepth += 1
            emit(.leftParen)
        case ")":
            parenDepth -= 1
            if parenDepth < 0 { return fail("unexpected right paren") }
            emit(.rightParen)
        case _ where scalar.value < 0x80 && scalar.value >= 0x20 && scalar.value != 0x7F:
            emit(.char)
        default:
            fail("unrecognized character in action: \(GoQuote.unicodeName(scalar))")
        }
    }

    private mutating func lexSpace() {
        var count = 0
        while Self.isSpace(peekByte()) {
            pos += 1
            count += 1
        }
        if hasRightTrimMarker(pos - 1) && hasPrefix(rightDelim, at: pos + 1) {
            pos -= 1
            if count == 1 { return lexRightDelim(trim: true) }
        }
        emit(.space)
    }

    private func atTerminator() -> Bool {
        guard let byte = peekByte() else { return true }
        if Self.isSpace(byte) { return true }
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: ")"), UInt8(ascii: "("): return true
        default: return hasPrefix(rightDelim, at: pos)
        }
    }

    private static let keywords: [String: Token.Kind] = [
        ".": .dot, "block": .block, "break": .breakKeyword, "continue": .continueKeyword, "define": .define, "else": .elseKeyword,
        "end": .end, "if": .ifKeyword, "range": .range, "nil": .nilKeyword, "template": .template, "with": .with,
    ]

    private mutating func lexIdentifier() {
        while let scalar = peekScalar(), Self.isAlphaNumeric(scalar) { _ = nextScalar() }
        guard atTerminator() else { return badCharacter() }
        let word = text(start, pos)
        if let keyword = Self.keywords[word] {
            emit(keyword)
        } else if word == "true" || word == "false" {
            emit(.bool)
        } else {
            emit(.identifier)
        }
    }

    private mutating func badCharacter() {
        let scalar = peekScalar() ?? " "
        _ = nextScalar()
        fail("bad character \(GoQuote.unicodeName(scalar))")
    }

    private mutating func lexFieldOrVariable(_ kind: Token.Kind) {
        if atTerminator() { return emit(kind == .variable ? .variable : .dot) }
        while let scalar = peekScalar(), Self.isAlphaNumeric(scalar) { _ = nextScalar() }
        guard atTerminator() else { return badCharacter() }
        emit(kind)
    }
}
