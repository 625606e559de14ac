/// Go's template comparison functions `eq`, `lt` and `le` (the others derive from them).
enum Comparison {
    private enum Kind { case bool, int, uint, float, string, other }

    private static func kind(_ operand: Operand) -> Kind {
        switch operand {
        case .invalid: .other
        case .value(let value, _):
            switch value {
            case .bool: .bool
            case .int(_, let kind): kind.isUnsigned ? .uint : .int
            case .float: .float
            case .string: .string
            default: .other
            }
        }
    }

    private static func incompatible(_ a: Operand, _ b: Operand) -> GoFunctionError {
        GoFunctionError("incompatible types for comparison: \(a.value.goType.name) and \(b.value.goType.name)")
    }

    private static func signed(_ operand: Operand) -> Int64 {
        if case .value(.int(let value, _), _) = operand { return value }
        return 0
    }

    private static func unsigned(_ operand: Operand) -> UInt64 { UInt64(bitPattern: signed(operand)) }

    static func eq(_ first: Operand, _ others: [Operand]) throws -> Bool {
        let a = first.indirect
        if others.isEmpty { throw GoFunctionError("missing argument for comparison") }
        let k1 = kind(a)
        for other in others {
            let b = other.indirect
            let k2 = kind(b)
            var truth = false
            if k1 != k2 {
                switch (k1, k2) {
                case (.int, .uint): truth = signed(a) >= 0 && UInt64(signed(a)) == unsigned(b)
                case (.uint, .int): truth = signed(b) >= 0 && unsigned(a) == UInt64(signed(b))
                default:
                    if case .value = a, case .value = b { throw incompatible(a, b) }
                }
            } else {
                switch (a, b) {
                case (.value(.bool(let x), _), .value(.bool(let y), _)): truth = x == y
                case (.value(.float(let x), _), .value(.float(let y), _)): truth = x == y
                case (.value(.string(let x), _), .value(.string(let y), _)): truth = x == y
                case (.value(.int, _), .value(.int, _)): truth = k1 == .uint ? unsigned(a) == unsigned(b) : signed(a) == signed(b)
                case (.invalid, .invalid): truth = true
                case (.invalid, _), (_, .invalid): truth = false
                case (.value(let x, _), .value(let y, _)):
                    switch (x, y) {
                    case (.object(let p), .object(let q)):
                        truth = p.goType == q.goType && p.formatted == q.formatted
                    default:
                        let first = GoFormat.sprintf("%s", [x])
                        let second = GoFormat.sprintf("%s", [y])
                        if x.goKind != y.goKind {
                            throw GoFunctionError("non-comparable types \(first): \(x.goType.name), \(y.goType.name): \(second)")
                        }
                        throw GoFunctionError("non-comparable type \(second): \(y.goType.name)")
                    }
                }
            }
            if truth { return true }
        }
        return false
    }

    static func lt(_ first: Operand, _ second: Operand) throws -> Bool {
        let a = first.indirect
        let b = second.indirect
        let k1 = kind(a)
        if k1 == .other { throw GoFunctionError("invalid type for comparison") }
        let k2 = kind(b)
        if k2 == .other { throw GoFunctionError("invalid type for comparison") }
        if k1 != k2 {
            switch (k1, k2) {
            case (.int, .uint): return signed(a) < 0 || UInt64(signed(a)) < unsigned(b)
            case (.uint, .int): return signed(b) >= 0 && unsigned(a) < UInt64(signed(b))
            default: throw incompatible(a, b)
            }
        }
        switch (a, b) {
        case (.value(.float(let x), _), .value(.float(let y), _)): return x < y
        case (.value(.string(let x), _), .value(.string(let y), _)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.value(.int, _), .value(.int, _)): return k1 == .uint ? unsigned(a) < unsigned(b) : signed(a) < signed(b)
        default: throw GoFunctionError("invalid type for comparison")
        }
    }

    static func le(_ first: Operand, _ second: Operand) throws -> Bool {
        if try lt(first, second) { return true }
        return try eq(first, [second])
    }
}
