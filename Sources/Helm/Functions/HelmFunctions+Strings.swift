import Foundation
import GoTemplate

extension HelmFunctions {
    /// Sprig's string functions.
    static func strings() -> [String: GoFunction] {
        [
            "hello": GoFunction([]) { _, _ in .string("Hello!") },
            "abbrev": GoFunction([.int, .string]) { a, _ in .string(abbreviate(a[1].text, offset: 0, width: a[0].integer)) },
            "abbrevboth": GoFunction([.int, .int, .string]) { a, _ in
                let (left, right, text) = (a[0].integer, a[1].integer, a[2].text)
                if right < 4 || (left > 0 && right < 7) { return .string(text) }
                return .string(abbreviate(text, offset: left, width: right))
            },
            "trunc": GoFunction([.int, .string]) { a, _ in
                let (count, bytes) = (a[0].integer, GoString.bytes(a[1].text))
                if count < 0, bytes.count + count > 0 { return .string(GoString.decode(bytes[(bytes.count + count)...])) }
                if count >= 0, bytes.count > count { return .string(GoString.decode(bytes[..<count])) }
                return a[1]
            },
            "trim": .stringToString { $0.trimmingCharacters(in: .whitespacesAndNewlines) },
            // Go's case mapping reads a byte that is not UTF-8 as U+FFFD.
            "upper": .stringToString { GoString.replacingRawBytes($0).uppercased() },
            "lower": .stringToString { GoString.replacingRawBytes($0).lowercased() },
            "title": .stringToString(goTitle),
            "untitle": .stringToString { changeWordStarts($0) { $0.lowercased() } },
            "substr": GoFunction([.int, .int, .string]) { a, _ in
                let (start, end, text) = (a[0].integer, a[1].integer, a[2].text)
                if start < 0 { return .string(try byteSlice(text, nil, end)) }
                if end < 0 || end > GoString.bytes(text).count { return .string(try byteSlice(text, start, nil)) }
                return .string(try byteSlice(text, start, end))
            },
            "repeat": GoFunction([.int, .string]) { a, _ in
                guard a[0].integer >= 0 else { throw GoFunctionError("strings: negative Repeat count") }
                return .string(String(repeating: a[1].text, count: a[0].integer))
            },
            "trimall": .twoStrings { cut, text in goTrim(text, cut) },
            "trimAll": .twoStrings { cut, text in goTrim(text, cut) },
            "trimSuffix": .twoStrings { suffix, text in text.hasSuffix(suffix) && !suffix.isEmpty ? String(text.dropLast(suffix.count)) : text },
            "trimPrefix": .twoStrings { prefix, text in text.hasPrefix(prefix) && !prefix.isEmpty ? String(text.dropFirst(prefix.count)) : text },
            "nospace": .stringToString { String($0.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)) },
            "initials": .stringToString(initials),
            "swapcase": .stringToString(swapCase),
            "snakecase": .stringToString { CaseWords.split($0).map { $0.lowercased() }.joined(separator: "_") },
            "kebabcase": .stringToString { CaseWords.split($0).map { $0.lowercased() }.joined(separator: "-") },
            "camelcase": .stringToString(CaseWords.pascal),
            "wrap": GoFunction([.int, .string]) { a, _ in .string(wrap(a[1].text, width: a[0].integer, newline: "\n", longWords: false)) },
            "wrapWith": GoFunction([.int, .string, .string]) { a, _ in
                .string(wrap(a[2].text, width: a[0].integer, newline: a[1].text, longWords: true))
            },
            "contains": .stringTest { needle, text in needle.isEmpty || text.contains(needle) },
            "hasPrefix": .stringTest { prefix, text in text.hasPrefix(prefix) },
            "hasSuffix": .stringTest { suffix, text in text.hasSuffix(suffix) },
            "quote": GoFunction([], variadic: .any) { a, _ in
                .string(a.filter { if case .null = $0 { false } else { true } }.map { GoQuote.quote($0.sprigString) }.joined(separator: " "))
            },
            "squote": GoFunction([], variadic: .any) { a, _ in
                .string(a.filter { if case .null = $0 { false } else { true } }.map { "'" + $0.sprigString + "'" }.joined(separator: " "))
            },
            "cat": GoFunction([], variadic: .any) { a, _ in
                .string(a.filter { if case .null = $0 { false } else { true } }.map(\.formatted).joined(separator: " "))
            },
            "indent": GoFunction([.int, .string]) { a, _ in .string(try indent(a[1].text, a[0].integer)) },
            "nindent": GoFunction([.int, .string]) { a, _ in .string(try indent(a[1].text, a[0].integer, newlineFirst: true)) },
            "replace": GoFunction([.string, .string, .string]) { a, _ in .string(goReplace(a[2].text, a[0].text, a[1].text)) },
            "plural": GoFunction([.string, .string, .int]) { a, _ in a[2].integer == 1 ? a[0] : a[1] },
            "toString": GoFunction([.any]) { a, _ in .string(a[0].sprigString) },
        ]
    }

    /// goutils' `AbbreviateFull`: `...` marks what was cut (byte offsets, as Go).
    static func abbreviate(_ text: String, offset: Int, width: Int) -> String {
        let bytes = Array(text.utf8)
        func string(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }
        if bytes.isEmpty || width < 4 { return width < 4 ? text : "" }
        if bytes.count <= width { return text }
        var offset = min(offset, bytes.count)
        if bytes.count - offset < width - 3 { offset = bytes.count - (width - 3) }
        if offset <= 4 { return string(bytes[0..<(width - 3)]) + "..." }
        if width < 7 { return "" }
        if offset + width - 3 < bytes.count { return "..." + abbreviate(string(bytes[offset...]), offset: 0, width: width - 3) }
        return "..." + string(bytes[(bytes.count - (width - 3))...])
    }

    /// Go's `strings.Title`: upper-cases the first letter of each word.
    static func goTitle(_ text: String) -> String {
        var previous: Character = " "
        var out = ""
        for character in text {
            out += isTitleSeparator(previous) ? String(character).uppercased() : String(character)
            previous = character
        }
        return out
    }

    private static func isTitleSeparator(_ character: Character) -> Bool {
        if character.isASCII {
            return !(character.isLetter || character.isNumber || character == "_")
        }
        if character.isLetter || character.isNumber { return false }
        return character.isWhitespace
    }

    /// Applies `change` to the first character of each whitespace-separated word (goutils' `Uncapitalize`).
    static func changeWordStarts(_ text: String, _ change: (String) -> String) -> String {
        var atStart = true
        var out = ""
        for character in text {
            out += atStart && !character.isWhitespace ? change(String(character)) : String(character)
            atStart = character.isWhitespace
        }
        return out
    }

    /// goutils' `Initials`: the first character of each whitespace-separated word.
    static func initials(_ text: String) -> String {
        var atStart = true
        var out = ""
        for character in text {
            if character.isWhitespace {
                atStart = true
            } else if atStart {
                out.append(character)
                atStart = false
            }
        }
        return out
    }

    /// goutils' `SwapCase`: upper becomes lower and lower becomes upper.
    static func swapCase(_ text: String) -> String {
        String(
            text.map { character -> String in
                if character.isUppercase { return character.lowercased() }
                if character.isLowercase { return character.uppercased() }
                return String(character)
            }.joined())
    }

    /// Go's `strings.Trim(text, cutset)`.
    static func goTrim(_ text: String, _ cutset: String) -> String {
        let cut = Set(cutset.unicodeScalars)
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, cut.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, cut.contains(last) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Go's `strings.Replace(text, old, new, -1)`, including an empty `old` (inserted around each rune).
    static func goReplace(_ text: String, _ old: String, _ new: String) -> String {
        guard old.isEmpty else { return replacingBytes(text, old, new) }
        var out = new
        for scalar in text.unicodeScalars { out += String(scalar) + new }
        return out
    }

    /// Sprig's `indent`: `width` spaces before every line.
    static func indent(_ text: String, _ width: Int, newlineFirst: Bool = false) throws(GoFunctionError) -> String {
        // Go's `strings.Repeat` panics on a negative count, and the template reports the panic.
        guard width >= 0 else { throw GoFunctionError("strings: negative Repeat count") }
        let pad = width
        var text = text
        // Written once into a string of the final size: `nindent` runs on nearly every include.
        return text.withUTF8 { source in
            let lines = 1 + source.count { $0 == UInt8(ascii: "\n") }
            return String(unsafeUninitializedCapacity: (newlineFirst ? 1 : 0) + pad * lines + source.count) { out in
                var at = 0
                func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                    _ = UnsafeMutableBufferPointer(rebasing: out[at..<at + bytes.count]).initialize(from: bytes)
                    at += bytes.count
                }
                func padding() {
                    out[at..<at + pad].initialize(repeating: UInt8(ascii: " "))
                    at += pad
                }
                if newlineFirst {
                    out[0] = UInt8(ascii: "\n")
                    at = 1
                }
                padding()
                var start = 0
                while let newline = source[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    put(UnsafeBufferPointer(rebasing: source[start...newline]))
                    padding()
                    start = newline + 1
                }
                put(UnsafeBufferPointer(rebasing: source[start...]))
                return at
            }
        }
    }

    /// Every non-overlapping `old` (not empty) replaced by `new`, left to right, comparing bytes as Go
    /// does (Foundation's `replacingOccurrences` compares canonically equivalent characters, and slowly).
    static func replacingBytes(_ text: String, _ old: String, _ new: String) -> String {
        var (source, target, replacement) = (text, old, new)
        // Nothing is copied until a match is found: most texts have none.
        let output = source.withUTF8 { source in
            target.withUTF8 { target in
                replacement.withUTF8 { replacement in replacingBytes(source, target, replacement) }
            }
        }
        return output.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// The bytes with every `target` replaced, or nil when there is none; `memchr` finds each
    /// candidate first byte and `memcmp` checks the rest.
    private static func replacingBytes(
        _ source: UnsafeBufferPointer<UInt8>, _ target: UnsafeBufferPointer<UInt8>, _ replacement: UnsafeBufferPointer<UInt8>
    ) -> [UInt8]? {
        guard !target.isEmpty, target.count <= source.count, let start = source.baseAddress, let wanted = target.baseAddress else { return nil }
        var output: [UInt8]?
        var copied = 0
        var index = 0
        while index + target.count <= source.count {
            guard let found = memchr(start + index, Int32(wanted.pointee), source.count - target.count + 1 - index) else { break }
            let position = start.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard target.count == 1 || memcmp(start + position + 1, wanted + 1, target.count - 1) == 0 else {
                index = position + 1
                continue
            }
            if output == nil {
                output = []
                output!.reserveCapacity(source.count + replacement.count)
            }
            output!.append(contentsOf: UnsafeBufferPointer(rebasing: source[copied..<position]))
            output!.append(contentsOf: replacement)
            index = position + target.count
            copied = index
        }
        output?.append(contentsOf: UnsafeBufferPointer(rebasing: source[copied...]))
        return output
    }

    /// goutils' `WrapCustom` (byte offsets): breaks at the last space before `width`.
    static func wrap(_ text: String, width: Int, newline: String, longWords: Bool) -> String {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return "" }
        let newline = newline.isEmpty ? "\n" : newline
        let width = max(1, width)
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        var offset = 0
        var out = ""
        while bytes.count - offset > width {
            if bytes[offset] == 0x20 {
                offset += 1
                continue
            }
            let end = min(width + offset + 1, bytes.count)
            if let space = bytes[offset..<end].lastIndex(of: 0x20) {
                out += string(offset..<space) + newline
                offset = space + 1
            } else if longWords {
                out += string(offset..<(offset + width)) + newline
                offset += width
            } else if let space = bytes[(width + offset)...].firstIndex(of: 0x20) {
                out += string(offset..<space) + newline
                offset = space + 1
            } else {
                out += string(offset..<bytes.count)
                offset = bytes.count
            }
        }
        return out + string(offset..<bytes.count)
    }
}
