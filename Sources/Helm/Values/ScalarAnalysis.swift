import GoTemplate

/// libyaml's `analyze_scalar`: which styles can write a string without changing what it reads back as.
struct ScalarAnalysis {
    var multiline = false
    var blockPlainAllowed = true
    var singleQuotedAllowed = true
    var blockAllowed = true

    init(_ text: String, _ flavour: YAMLEmitter.Flavour) {
        // Most text is ASCII, read from its bytes without an array of its scalars.
        self = ASCIIScalars.reading(text) { Self(scalars: $0, flavour) } ?? Self(scalars: Array(text.unicodeScalars), flavour)
    }

    private init<Scalars: RandomAccessCollection<Unicode.Scalar>>(scalars: Scalars, _ flavour: YAMLEmitter.Flavour)
    where Scalars.Index == Int {
        guard !scalars.isEmpty else {
            blockAllowed = false
            return
        }
        var flowIndicators = false
        var blockIndicators = false
        if scalars.starts(with: "---".unicodeScalars) || scalars.starts(with: "...".unicodeScalars) {
            flowIndicators = true
            blockIndicators = true
        }
        var (leadingSpace, leadingBreak, trailingSpace, trailingBreak) = (false, false, false, false)
        var (breakSpace, spaceBreak, previousSpace, previousBreak) = (false, false, false, false)
        var (lineBreaks, special, tabs) = (false, false, false)
        var precededByWhitespace = true
        for (index, scalar) in scalars.enumerated() {
            let last = index == scalars.count - 1
            let followedByWhitespace = last || Self.isBlank(scalars[index + 1]) || Self.isBreak(scalars[index + 1])
            if index == 0 {
                switch scalar {
                case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`":
                    flowIndicators = true
                    blockIndicators = true
                case "?", ":":
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case "-":
                    if followedByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default: break
                }
            } else {
                switch scalar {
                case ",", "?", "[", "]", "{", "}": flowIndicators = true
                case ":":
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case "#":
                    if precededByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default: break
                }
            }
            if flavour == .v3 && scalar == "\t" {
                tabs = true
            } else if !Self.isPrintable(scalar) || scalar == "\u{FEFF}" {
                special = true
            }
            if scalar == " " {
                if index == 0 { leadingSpace = true }
                if last { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if Self.isBreak(scalar) {
                lineBreaks = true
                if index == 0 { leadingBreak = true }
                if last { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = Self.isBlank(scalar) || Self.isBreak(scalar)
        }
        multiline = lineBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak { blockPlainAllowed = false }
        if trailingSpace { blockAllowed = false }
        if breakSpace {
            blockPlainAllowed = false
            singleQuotedAllowed = false
        }
        if spaceBreak || special {
            blockPlainAllowed = false
            singleQuotedAllowed = false
            blockAllowed = false
        }
        if tabs {
            blockPlainAllowed = false
            singleQuotedAllowed = false
        }
        if lineBreaks { blockPlainAllowed = false }
        if blockIndicators { blockPlainAllowed = false }
        _ = flowIndicators
    }

    static func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

    static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// libyaml's printable set as go-yaml ports it: no tab, no C1 controls, nothing beyond the BMP.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x20...0x7E, 0xA0...0xD7FF: true
        case 0xE000...0xFFFD: scalar.value != 0xFEFF
        default: false
        }
    }
}
