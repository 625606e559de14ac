import Foundation
import GoTemplate

extension HelmFunctions {
    /// Sprig's float arithmetic: exact decimal operations (shopspring/decimal) returned as `float64`.
    static func floatMath() -> [String: GoFunction] {
        [
            "add1f": GoFunction([.any]) { a, _ in try decimalOperation([a[0], .int(1)], +) },
            "addf": GoFunction([], variadic: .any) { a, _ in try decimalOperation([.float(0)] + a, +) },
            "subf": GoFunction([.any], variadic: .any) { a, _ in try decimalOperation(a, -) },
            "mulf": GoFunction([.any], variadic: .any) { a, _ in try decimalOperation(a, *) },
            "divf": GoFunction([.any], variadic: .any) { a, _ in
                try decimalOperation(a) { x, y in
                    guard !y.isZero else { throw GoFunctionError("decimal division by 0") }
                    var quotient = x / y
                    var rounded = Decimal()
                    NSDecimalRound(&rounded, &quotient, 16, .plain)
                    return rounded
                }
            },
            "maxf": GoFunction([.any], variadic: .any) { a, _ in .float(a.map(\.sprigFloat64).reduce(-.infinity) { Swift.max($0, $1) }) },
            "minf": GoFunction([.any], variadic: .any) { a, _ in .float(a.map(\.sprigFloat64).reduce(.infinity) { Swift.min($0, $1) }) },
            "ceil": GoFunction([.any]) { a, _ in .float(a[0].sprigFloat64.rounded(.up)) },
            "floor": GoFunction([.any]) { a, _ in .float(a[0].sprigFloat64.rounded(.down)) },
            "round": GoFunction([.any, .int], variadic: .float64) { a, _ in
                let roundOn = a.count > 2 ? a[2].sprigFloat64 : 0.5
                let power = pow(10, Double(a[1].integer))
                let digit = power * a[0].sprigFloat64
                let fraction = digit - digit.rounded(.towardZero)
                return .float((fraction >= roundOn ? digit.rounded(.up) : digit.rounded(.down)) / power)
            },
        ]
    }

    private static func decimal(_ value: Value) -> Decimal {
        let number = value.sprigFloat64
        guard number.isFinite else { return 0 }
        return Decimal(string: "\(number)", locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }

    private static func decimalOperation(_ operands: [Value], _ operation: (Decimal, Decimal) throws -> Decimal) throws -> Value {
        var result = decimal(operands[0])
        for operand in operands.dropFirst() { result = try operation(result, decimal(operand)) }
        return .float(Double(result.description) ?? 0)
    }
}
