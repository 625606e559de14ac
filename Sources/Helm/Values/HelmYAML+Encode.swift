import Foundation
import GoTemplate

extension HelmYAML {
    /// `sigs.k8s.io/yaml.Marshal`: `json.Marshal`, then the JSON re-read and printed by go-yaml v2.
    /// Fails where `json.Marshal` fails (NaN, infinities).
    public static func encode(_ value: Value) throws(GoFunctionError) -> String {
        YAMLEmitter.document(try v2Node(value), .v2)
    }

    /// go-yaml v3's `Encoder` with `SetIndent(2)` on the Go value itself (Helm 4's `toYamlPretty`).
    public static func encodePretty(_ value: Value) throws(GoFunctionError) -> String {
        YAMLEmitter.document(try v3Node(value), .v3)
    }

    /// The node go-yaml v2 prints for `value` after the round trip through JSON, without writing the
    /// JSON: keys sorted once, numbers formatted once where the JSON text is known to read back as
    /// the same integer.
    private static func v2Node(_ value: Value, depth: Int = 0) throws(GoFunctionError) -> YAMLEmitter.Node {
        guard depth < Value.maximumNesting else { throw GoJSON.cycle(value) }
        switch value {
        case .float(let number) where number.isFinite && number.rounded() == number && number.magnitude < 9_007_199_254_740_992:
            // Below 2^53 an integral float's JSON text is its exact digits, which go-yaml reads as an integer.
            return .scalar(String(Int64(number)), .plain)
        case .string(let text): return stringNode(text)
        case .list(let items, _):
            var nodes: [YAMLEmitter.Node] = []
            nodes.reserveCapacity(items.count)
            for item in items { nodes.append(try v2Node(item, depth: depth + 1)) }
            return .sequence(nodes)
        case .map(let map):
            let entries = map.entries
            var pairs: [(key: YAMLEmitter.Node, value: YAMLEmitter.Node)] = []
            pairs.reserveCapacity(entries.count)
            // In JSON's byte order first, as the JSON text has them: go-yaml's order is not total.
            let members = entries.sorted { bytesPrecede($0.key, $1.key) }
            let ordered = members.allSatisfy { isByteOrdered($0.key) } ? members : sorted(members, key: \.key, .v2)
            for (key, item) in ordered { pairs.append((stringNode(key), try v2Node(item, depth: depth + 1))) }
            return .mapping(pairs)
        default: return v2Node(try GoJSON.node(value, depth: depth))
        }
    }

    /// The node go-yaml v2 prints for JSON text it has just parsed: JSON integers stay integers,
    /// other numbers become floats printed with `%g`.
    private static func v2Node(_ node: GoJSON.Node) -> YAMLEmitter.Node {
        switch node {
        case .null: return .scalar("null", .plain)
        case .bool(let flag): return .scalar(flag ? "true" : "false", .plain)
        case .number(let text):
            if let number = GoInteger.parseInt(text) { return .scalar(String(number), .plain) }
            if let number = GoInteger.parseUInt(text) { return .scalar(String(number), .plain) }
            return .scalar(floatText(Double(text) ?? 0), .plain)
        case .string(let text): return stringNode(text)
        case .array(let items): return .sequence(items.map(v2Node))
        case .object(let members):
            return .mapping(sorted(members, key: \.key, .v2).map { (stringNode($0.key), v2Node($0.value)) })
        }
    }

    private static func v3Node(_ value: Value, depth: Int = 0) throws(GoFunctionError) -> YAMLEmitter.Node {
        guard depth < Value.maximumNesting else { throw GoJSON.cycle(value) }
        switch value {
        case .null: return .scalar("null", .plain)
        case .bool(let flag): return .scalar(flag ? "true" : "false", .plain)
        case .int(let number, let kind):
            return .scalar(kind == .uint64 || kind == .uint ? String(UInt64(bitPattern: number)) : String(number), .plain)
        case .float(let number): return .scalar(floatText(number), .plain)
        case .string(let text): return stringNode(text)
        case .bytes(let bytes): return stringNode(Base64.encode(bytes))
        case .list(let items, _):
            var nodes: [YAMLEmitter.Node] = []
            for item in items { nodes.append(try v3Node(item, depth: depth + 1)) }
            return .sequence(nodes)
        case .map(let map):
            var pairs: [(key: YAMLEmitter.Node, value: YAMLEmitter.Node)] = []
            for (key, item) in sorted(Array(map.entries), key: \.key, .v3) { pairs.append((stringNode(key), try v3Node(item, depth: depth + 1))) }
            return .mapping(pairs)
        case .object(let object): return try v3Node(object.jsonValue, depth: depth + 1)
        }
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s (JSON's key order), compared in place when they can be.
    private static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        let inPlace = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b -> Bool in
                let common = min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order != 0 ? order < 0 : a.count < b.count
            }
        }
        if let inPlace, let inPlace { return inPlace }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// go-yaml's float text: `strconv.FormatFloat(f, 'g', -1, 64)`, with YAML's names for the specials.
    private static func floatText(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        return GoFloat.format(number, "g")
    }

    /// A string as go-yaml's encoder asks for it: a literal block when it has a newline, quoted when
    /// it would read back as something else, plain otherwise (the emitter may still quote it).
    private static func stringNode(_ text: String) -> YAMLEmitter.Node {
        // Marshalled through JSON, whose encoder writes U+FFFD for a byte that is not UTF-8.
        let text = GoString.replacingRawBytes(text)
        if text.utf8.contains(UInt8(ascii: "\n")) { return .scalar(text, .literal) }
        return .scalar(text, GoYAMLValue.needsQuotes(text) ? .doubleQuoted : .plain)
    }

    /// go-yaml's key order: digit runs compare as numbers, non-letters sort before letters (in v3,
    /// letters first right after a digit).
    /// `items` in that order of their keys.
    static func sorted<Item>(_ items: [Item], key: (Item) -> String, _ flavour: YAMLEmitter.Flavour) -> [Item] {
        items.map { (Array(key($0).unicodeScalars), $0) }.sorted { keyLess($0.0, $1.0, flavour) }.map(\.1)
    }

    /// Whether go-yaml orders `key` among others of its kind as the bytes order them: ASCII letters,
    /// `-`, `.` and `/` only (no digits, which it compares as numbers, and no other punctuation,
    /// which it puts before every letter). Most keys of Kubernetes objects are such.
    private static func isByteOrdered(_ key: String) -> Bool {
        key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "/"):
                true
            default: false
            }
        }
    }

    private static func keyLess(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], _ flavour: YAMLEmitter.Flavour) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII { return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
            default: return false
            }
        }
        func isDigit(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? ("0"..."9").contains(scalar) : scalar.properties.generalCategory == .decimalNumber
        }
        var index = 0
        var afterDigit = false
        while index < a.count && index < b.count {
            defer { index += 1 }
            if a[index] == b[index] {
                afterDigit = isDigit(a[index])
                continue
            }
            let aLetter = isLetter(a[index])
            let bLetter = isLetter(b[index])
            if aLetter && bLetter { return a[index].value < b[index].value }
            if aLetter || bLetter { return flavour == .v3 && afterDigit ? aLetter : bLetter }
            var aNumber: Int64 = 0
            var bNumber: Int64 = 0
            if a[index] == "0" || b[index] == "0" {
                var back = index - 1
                while back >= 0 && isDigit(a[back]) {
                    if a[back] != "0" {
                        aNumber = 1
                        bNumber = 1
                        break
                    }
                    back -= 1
                }
            }
            var aEnd = index
            while aEnd < a.count && isDigit(a[aEnd]) {
                aNumber = aNumber &* 10 &+ Int64(a[aEnd].value) &- 48
                aEnd += 1
            }
            var bEnd = index
            while bEnd < b.count && isDigit(b[bEnd]) {
                bNumber = bNumber &* 10 &+ Int64(b[bEnd].value) &- 48
                bEnd += 1
            }
            if aNumber != bNumber { return aNumber < bNumber }
            if aEnd != bEnd { return aEnd < bEnd }
            return a[index].value < b[index].value
        }
        return a.count < b.count
    }
}
