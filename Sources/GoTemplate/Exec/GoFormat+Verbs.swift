import Foundation

/// The verbs of strings, integers and floats.
extension GoFormat {
    static func formatString(_ text: String, _ verb: Unicode.Scalar, _ flags: Flags) -> String? {
        var text = text
        switch verb {
        case "v", "s":
            if let precision = flags.precision { text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(precision))) }
            return pad(text, flags)
        case "q":
            if flags.sharp && GoQuote.canBackquote(text) { return pad("`" + text + "`", flags) }
            return pad(GoQuote.quote(text, asciiOnly: flags.plus), flags)
        case "x", "X": return formatHex(GoString.bytes(text), verb, flags)
        default: return nil
        }
    }

    /// `%x` and `%X` of a string's or a byte slice's bytes, as they are (a byte that is not UTF-8
    /// included).
    static func formatHex(_ bytes: [UInt8], _ verb: Unicode.Scalar, _ flags: Flags) -> String {
        var bytes = bytes
        if let precision = flags.precision { bytes = Array(bytes.prefix(precision)) }
        let digits = verb == "x" ? "0123456789abcdef" : "0123456789ABCDEF"
        let table = Array(digits)
        let parts = bytes.map { String(table[Int($0 >> 4)]) + String(table[Int($0 & 15)]) }
        let prefix = flags.sharp ? (verb == "x" ? "0x" : "0X") : ""
        if flags.space { return pad(parts.map { prefix + $0 }.joined(separator: " "), flags) }
        return pad(prefix + parts.joined(), flags)
    }

    static func formatInteger(_ number: Int64, unsigned: Bool, _ verb: Unicode.Scalar, _ flags: Flags) -> String? {
        let negative = !unsigned && number < 0
        let magnitude: UInt64 = unsigned ? UInt64(bitPattern: number) : number.magnitude
        var digits: String
        var prefix = ""
        switch verb {
        case "v", "d": digits = String(magnitude)
        case "b":
            digits = String(magnitude, radix: 2)
            if flags.sharp { prefix = "0b" }
        case "o", "O":
            digits = String(magnitude, radix: 8)
            if verb == "O" { prefix = "0o" } else if flags.sharp && digits != "0" { prefix = "0" }
        case "x":
            digits = String(magnitude, radix: 16)
            if flags.sharp { prefix = "0x" }
        case "X":
            digits = String(magnitude, radix: 16, uppercase: true)
            if flags.sharp { prefix = "0X" }
        case "c":
            guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: magnitude)), !negative else { return pad("\u{FFFD}", flags) }
            return pad(String(scalar), flags)
        case "q":
            guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: magnitude)), !negative else { return pad("'\u{FFFD}'", flags) }
            return pad(GoQuote.quoteRune(scalar, asciiOnly: flags.plus), flags)
        case "U":
            var hex = String(magnitude, radix: 16, uppercase: true)
            if hex.count < 4 { hex = String(repeating: "0", count: 4 - hex.count) + hex }
            var out = "U+" + hex
            if flags.sharp, let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: magnitude)), GoQuote.isPrint(scalar) { out += " '\(scalar)'" }
            return pad(out, flags)
        default: return nil
        }
        if let precision = flags.precision {
            if precision == 0 && magnitude == 0 { digits = "" }
            if digits.count < precision { digits = String(repeating: "0", count: precision - digits.count) + digits }
        }
        let sign = negative ? "-" : flags.plus ? "+" : flags.space ? " " : ""
        var body = prefix + digits
        if flags.zero && flags.precision == nil, let width = flags.width, !flags.minus {
            let used = sign.count + body.count
            if used < width { body = prefix + String(repeating: "0", count: width - used) + digits }
        }
        return pad(sign + body, flags, zeroAllowed: false)
    }

    /// `strconv.FormatFloat(f, 'x', -1, 64)`: `0x1.cp+01`.
    static func hexFloat(_ number: Double) -> String {
        if number == 0 { return (number.sign == .minus ? "-" : "") + "0x0p+00" }
        guard number.isFinite else { return "" }
        let sign = number < 0 ? "-" : ""
        var fraction = String(number.magnitude.significandBitPattern, radix: 16)
        fraction = String(repeating: "0", count: 13 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let exponent = Int(number.magnitude.exponent)
        let digits = String(abs(exponent))
        let exponentText = (exponent < 0 ? "-" : "+") + (digits.count < 2 ? "0" + digits : digits)
        return sign + "0x1" + (fraction.isEmpty ? "" : "." + fraction) + "p" + exponentText
    }

    static func formatFloat(_ number: Double, _ verb: Unicode.Scalar, _ flags: Flags) -> String? {
        var text: String
        switch verb {
        case "v", "g", "G":
            if let precision = flags.precision {
                text = String(format: "%.\(precision == 0 ? 1 : precision)\(verb == "G" ? "G" : "g")", number)
            } else {
                text = GoFloat.format(number, "g")
                if verb == "G" { text = text.uppercased() }
            }
        case "e", "E": text = String(format: "%.\(flags.precision ?? 6)\(verb)", number)
        case "f", "F": text = String(format: "%.\(flags.precision ?? 6)f", number)
        case "x", "X":
            text = hexFloat(number)
            if verb == "X" { text = text.uppercased() }
        default: return nil
        }
        if number.isNaN {
            text = "NaN"
        } else if number.isInfinite {
            text = number < 0 ? "-Inf" : "+Inf"
        }
        if !text.hasPrefix("-") && !text.hasPrefix("+") {
            if flags.plus { text = "+" + text } else if flags.space { text = " " + text }
        } else if text.hasPrefix("+") && !flags.plus {
            text = flags.space ? " " + text.dropFirst() : String(text.dropFirst())
        }
        return pad(text, flags, zeroAllowed: number.isFinite, signAware: true)
    }
}
