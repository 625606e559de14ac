import Foundation
import GoTemplate

extension HelmFunctions {
    /// Sprig's integer arithmetic and conversions; results are Go `int64` where Sprig returns one.
    static func math() -> [String: GoFunction] {
        [
            "atoi": GoFunction([.string]) { a, _ in .int(Int(a[0].text.hasPrefix("+") ? String(a[0].text.dropFirst()) : a[0].text) ?? 0) },
            "int64": GoFunction([.any]) { a, _ in .int64(a[0].sprigInt64) },
            "int": GoFunction([.any]) { a, _ in .int(a[0].sprigInt64, .int) },
            "float64": GoFunction([.any]) { a, _ in .float(a[0].sprigFloat64) },
            "toDecimal": GoFunction([.any]) { a, _ in .int64(Int64(a[0].formatted.hasPrefix("+") ? "x" : a[0].formatted, radix: 8) ?? 0) },
            "add1": GoFunction([.any]) { a, _ in .int64(a[0].sprigInt64 &+ 1) },
            "add": GoFunction([], variadic: .any) { a, _ in .int64(a.reduce(0) { $0 &+ $1.sprigInt64 }) },
            "sub": GoFunction([.any, .any]) { a, _ in .int64(a[0].sprigInt64 &- a[1].sprigInt64) },
            "mul": GoFunction([.any], variadic: .any) { a, _ in .int64(a.dropFirst().reduce(a[0].sprigInt64) { $0 &* $1.sprigInt64 }) },
            "div": GoFunction([.any, .any]) { a, _ in
                let divisor = a[1].sprigInt64
                guard divisor != 0 else { throw GoFunctionError("runtime error: integer divide by zero") }
                return .int64(a[0].sprigInt64.dividedReportingOverflow(by: divisor).partialValue)
            },
            "mod": GoFunction([.any, .any]) { a, _ in
                let divisor = a[1].sprigInt64
                guard divisor != 0 else { throw GoFunctionError("runtime error: integer divide by zero") }
                return .int64(a[0].sprigInt64.remainderReportingOverflow(dividingBy: divisor).partialValue)
            },
            "max": GoFunction([.any], variadic: .any) { a, _ in .int64(a.map(\.sprigInt64).max()!) },
            "biggest": GoFunction([.any], variadic: .any) { a, _ in .int64(a.map(\.sprigInt64).max()!) },
            "min": GoFunction([.any], variadic: .any) { a, _ in .int64(a.map(\.sprigInt64).min()!) },
            "until": GoFunction([.int]) { a, _ in ints(untilStep(0, a[0].integer, a[0].integer < 0 ? -1 : 1)) },
            "untilStep": GoFunction([.int, .int, .int]) { a, _ in ints(untilStep(a[0].integer, a[1].integer, a[2].integer)) },
            "seq": GoFunction([], variadic: .int) { a, _ in .string(seq(a.map(\.integer)).map(String.init).joined(separator: " ")) },
        ]
    }

    private static func ints(_ values: [Int]) -> Value { .list(values.map { .int($0) }, element: .int) }

    /// Sprig's `untilStep`: from `start` towards `stop` (exclusive) by `step`; empty when the step points away.
    static func untilStep(_ start: Int, _ stop: Int, _ step: Int) -> [Int] {
        var out: [Int] = []
        if stop < start {
            guard step < 0 else { return [] }
            var i = start
            while i > stop, out.count < 1_000_000 {
                out.append(i)
                i += step
            }
        } else {
            guard step > 0 else { return [] }
            var i = start
            while i < stop, out.count < 1_000_000 {
                out.append(i)
                i += step
            }
        }
        return out
    }

    /// Sprig's `seq` (bash's `seq`): `seq END`, `seq START END`, `seq START STEP END`, inclusive.
    static func seq(_ p: [Int]) -> [Int] {
        switch p.count {
        case 1: return untilStep(1, p[0] + (p[0] < 1 ? -1 : 1), p[0] < 1 ? -1 : 1)
        case 2:
            let step = p[1] < p[0] ? -1 : 1
            return untilStep(p[0], p[1] + step, step)
        case 3:
            let increment = p[2] < p[0] ? -1 : 1
            if p[2] < p[0], p[1] > 0 { return [] }
            return untilStep(p[0], p[2] + increment, p[1])
        default: return []
        }
    }
}
