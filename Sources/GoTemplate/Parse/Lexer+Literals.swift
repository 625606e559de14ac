/// Character constants, quoted strings and numbers.
extension Lexer {
    mutating func lexChar() {
        while true {
            switch nextScalar() {
            case "\\":
                let next = nextScalar()
                if next != nil && next != "\n" { continue }
                return fail("unterminated character constant")
            case nil, "\n": return fail("unterminated character constant")
            case "'": return emit(.charConstant)
            default: continue
            }
        }
    }

    mutating func lexQuote() {
        while true {
            switch nextScalar() {
            case "\\":
                let next = nextScalar()
                if next != nil && next != "\n" { continue }
                return fail("unterminated quoted string")
            case nil, "\n": return fail("unterminated quoted string")
            case "\"": return emit(.string)
            default: continue
            }
        }
    }

    mutating func lexRawQuote() {
        while true {
            switch nextScalar() {
            case nil: return fail("unterminated raw quoted string")
            case "`": return emit(.rawString)
            default: continue
            }
        }
    }

    mutating func accept(_ valid: String) -> Bool {
        if let byte = peekByte(), valid.utf8.contains(byte) {
            pos += 1
            return true
        }
        return false
    }

    mutating func acceptRun(_ valid: String) { while accept(valid) {} }

    mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if let scalar = peekScalar(), Self.isAlphaNumeric(scalar) {
            _ = nextScalar()
            return false
        }
        return true
    }

    mutating func lexNumber() {
        guard scanNumber() else { return fail("bad number syntax: \(GoQuote.quote(text(start, pos)))") }
        if let sign = peekByte(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            guard scanNumber(), input[pos - 1] == UInt8(ascii: "i") else {
                return fail("bad number syntax: \(GoQuote.quote(text(start, pos)))")
            }
            return emit(.complex)
        }
        emit(.number)
    }
}
