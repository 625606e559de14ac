import ImageAutomation
import Testing

struct SemverRangeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var range: String
        var version: String
        var matches: Bool
        /// Which rule the case pins.
        var rule: String
        var testDescription: String { "\(range) ∋ \(version) == \(matches): \(rule)" }
    }

    static let cases: [Case] = [
        Case(range: ">=1.0.0", version: "1.2.3", matches: true, rule: "plain comparison"),
        Case(range: ">=1.0.0", version: "0.9.9", matches: false, rule: "below the bound"),
        Case(range: ">=1.0.0", version: "1.1.0-rc.1", matches: false, rule: "pre-release excluded when the range names none"),
        Case(range: ">=1.0.0-0", version: "1.1.0-rc.1", matches: true, rule: "a pre-release bound admits pre-releases"),
        Case(range: ">=1.0.0-alpha", version: "2.0.0-beta", matches: true, rule: "Masterminds admits any pre-release once the bound has one"),
        Case(range: ">=1.0.0 <2.0.0", version: "2.0.0", matches: false, rule: "space is AND"),
        Case(range: ">=1.0.0, <2.0.0", version: "1.9.9", matches: true, rule: "comma is AND"),
        Case(range: "<1.0.0 || >=3.0.0", version: "3.1.0", matches: true, rule: "|| is OR"),
        Case(range: "<1.0.0 || >=3.0.0", version: "2.0.0", matches: false, rule: "neither alternative"),
        Case(range: "~1.2.3", version: "1.2.9", matches: true, rule: "tilde keeps the minor"),
        Case(range: "~1.2.3", version: "1.3.0", matches: false, rule: "tilde stops at the next minor"),
        Case(range: "~1", version: "1.9.0", matches: true, rule: "tilde with major only keeps the major"),
        Case(range: "^1.2.3", version: "1.9.0", matches: true, rule: "caret keeps the major"),
        Case(range: "^1.2.3", version: "2.0.0", matches: false, rule: "caret stops at the next major"),
        Case(range: "^0.2.3", version: "0.3.0", matches: false, rule: "caret on 0.x keeps the minor"),
        Case(range: "^0.0.3", version: "0.0.4", matches: false, rule: "caret on 0.0.x is exact"),
        Case(range: "1.2.x", version: "1.2.7", matches: true, rule: "wildcard patch"),
        Case(range: "1.2.x", version: "1.3.0", matches: false, rule: "wildcard patch keeps the minor"),
        Case(range: "*", version: "5.0.0", matches: true, rule: "star is anything released"),
        Case(range: "*", version: "5.0.0-rc.1", matches: false, rule: "star excludes pre-releases"),
        Case(range: "1.2 - 1.4.5", version: "1.4.5", matches: true, rule: "hyphen range is inclusive"),
        Case(range: "1.2 - 1.4.5", version: "1.4.6", matches: false, rule: "hyphen range upper bound"),
        Case(range: ">1", version: "1.5.0", matches: false, rule: ">1 needs 2.0.0 or more"),
        Case(range: ">1.1", version: "1.1.9", matches: false, rule: ">1.1 needs 1.2.0 or more"),
        Case(range: "<=1.2", version: "1.2.9", matches: true, rule: "<=1.2 includes all of 1.2.x"),
        Case(range: "!=1.2.3", version: "1.2.3", matches: false, rule: "not equal"),
        Case(range: "!=1.2.x", version: "1.2.3", matches: false, rule: "not equal to a wildcard"),
        Case(range: "1.2.3", version: "v1.2.3+build.7", matches: true, rule: "bare version is equality; build metadata ignored"),
    ]

    @Test(arguments: cases)
    func membership(_ c: Case) throws {
        let range = try SemverRange(c.range)
        let version = try #require(SemanticVersion(c.version))
        #expect(range.contains(version) == c.matches)
    }

    @Test(arguments: [">= ", "1.2.3.4", "foo", ">=1.0.0 ||", "=>>1.0"])
    func malformedRangesAreRefused(_ text: String) {
        #expect(throws: ImageAutomationError.self) { try SemverRange(text) }
    }

    @Test(arguments: [
        ("1.2.3", true), ("v1.2.3", true), ("1.2", false), ("01.2.3", false), ("1.2.3-01", false),
        ("1.2.3-rc.1+b.2", true), ("1.2.3-", false), ("latest", false), ("V1.2.3", false),
    ])
    func strictParsingAsFluxDoes(_ text: String, _ valid: Bool) {
        #expect((SemanticVersion(text) != nil) == valid)
    }

    @Test func precedenceFollowsSemVer() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]
        let versions = ordered.compactMap(SemanticVersion.init)
        #expect(versions.count == ordered.count)
        #expect(versions.shuffled().sorted().map(\.original) == ordered)
    }
}
