import GoTemplate
import Testing

@Suite struct GoFloatTests {
    /// Expected strings are what Go's `strconv.FormatFloat(f, 'g', -1, 64)` prints (Helm renders
    /// `{{ 1000000.0 }}` as `1e+06`).
    @Test(arguments: [
        (1_000_000.0, "1e+06"), (1_234_567.0, "1.234567e+06"), (100_000.0, "100000"), (0.00001, "1e-05"),
        (0.0001, "0.0001"), (1.5, "1.5"), (-2.0, "-2"), (0.0, "0"), (1e21, "1e+21"), (123456.789, "123456.789"),
        (3.14159e-10, "3.14159e-10"), (1e100, "1e+100"), (999_999.0, "999999"), (-999_999.0, "-999999"), (-0.0, "-0"),
        (8080.0, "8080"),
    ])
    func shortestG(value: Double, expected: String) {
        #expect(GoFloat.format(value, "g") == expected)
    }

    /// Whole numbers read as integers in `f` and never in `e` (Go: `FormatFloat(8080, 'e', -1, 64)` is `8.08e+03`).
    @Test func wholeNumbersInEveryForm() {
        #expect(GoFloat.format(8080, "f") == "8080")
        #expect(GoFloat.format(-0.0, "f") == "-0")
        #expect(GoFloat.format(8080, "e") == "8.08e+03")
        #expect(GoFloat.format(0, "e") == "0e+00")
    }

    @Test func valuesPrintAsGoPrintsThem() {
        let value = Value.map(["b": .list([.int(1), .string("x"), .null]), "a": .float(2.5)])
        #expect(value.formatted == "map[a:2.5 b:[1 x <nil>]]")
    }
}
