import KeelsonFoundation
import Testing

/// Semantic versions and ranges as Flux reads Git tags and image tags (Masterminds semver v3).
@Suite struct VersionRangeTests {
    /// Precedence follows semver 2.0 section 11.
    @Test func ordersVersions() throws {
        let ordered = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
            "1.0.1", "1.1.0", "2.0.0", "10.0.0",
        ]
        let versions = try ordered.map { try #require(SemanticVersion($0)) }
        #expect(versions.shuffled().sorted() == versions)
        #expect(versions.map(\.description) == ordered)
    }

    /// Strict reading (image tags): three numbers, an optional `v`.
    @Test(arguments: [
        ("1.2.3", true), ("v1.2.3", true), ("1.2", false), ("01.2.3", false), ("1.2.3-01", false),
        ("1.2.3-rc.1+b.2", true), ("1.2.3-", false), ("latest", false), ("V1.2.3", false), ("1.2.3.4", false),
    ])
    func strictParsingAsFluxDoes(_ text: String, _ valid: Bool) {
        #expect((SemanticVersion(text) != nil) == valid)
    }

    /// Lenient reading (Git tags): `v` or `V`, short forms; build metadata kept but not compared.
    @Test(arguments: [
        ("v1.2.3", "1.2.3"), ("1.2.3+build.5", "1.2.3+build.5"), ("1.2", "1.2.0"), ("v2", "2.0.0"), ("V1.0.0-rc.1", "1.0.0-rc.1"),
    ])
    func parsesTags(_ tag: String, _ expected: String) {
        #expect(SemanticVersion(lenient: tag)?.description == expected)
    }

    @Test(arguments: ["", "latest", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "1.x", "v", "1..2"])
    func refusesNonVersions(_ tag: String) {
        #expect(SemanticVersion(lenient: tag) == nil)
    }

    @Test func buildMetadataDoesNotCount() throws {
        #expect(try #require(SemanticVersion("1.2.3+a")) == (try #require(SemanticVersion("1.2.3+b"))))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let range: String
        let matches: [String]
        let rejects: [String]
        /// Which rule the case pins.
        let rule: String
        var testDescription: String { "\(range): \(rule)" }
    }

    static let cases: [Case] = [
        Case(range: ">=1.2.0 <2.0.0", matches: ["1.2.0", "1.9.9"], rejects: ["1.1.9", "2.0.0", "2.0.0-rc.1", "1.5.0-rc.1"], rule: "space is AND"),
        Case(range: ">= 1.2, < 2", matches: ["1.2.0", "1.99.0"], rejects: ["2.0.0", "1.1.0"], rule: "comma is AND; an operator may stand apart"),
        Case(range: "<1.0.0 || >=3.0.0", matches: ["0.9.0", "3.1.0"], rejects: ["2.0.0"], rule: "|| is OR"),
        Case(range: "^1.0 || ^3.0", matches: ["1.5.0", "3.1.0"], rejects: ["2.0.0"], rule: "|| of carets"),
        Case(range: "^1.2", matches: ["1.2.0", "1.9.0"], rejects: ["1.1.9", "2.0.0"], rule: "caret keeps the major"),
        Case(range: "^1.2.3", matches: ["1.2.3", "1.3.0"], rejects: ["1.2.2", "2.0.0", "2.0.0-0"], rule: "caret stops at the next major"),
        Case(range: "^0.2.3", matches: ["0.2.3", "0.2.9"], rejects: ["0.3.0"], rule: "caret on 0.x keeps the minor"),
        Case(range: "^0.0.3", matches: ["0.0.3"], rejects: ["0.0.4"], rule: "caret on 0.0.x is exact"),
        Case(range: "^0", matches: ["0.0.1", "0.9.9"], rejects: ["1.0.0"], rule: "caret on a bare 0 keeps the major"),
        Case(range: "~1.2.3", matches: ["1.2.3", "1.2.9"], rejects: ["1.3.0", "1.2.2"], rule: "tilde keeps the minor"),
        Case(range: "~1", matches: ["1.0.0", "1.9.0"], rejects: ["2.0.0"], rule: "tilde with major only keeps the major"),
        Case(range: "~>1.2", matches: ["1.2.5"], rejects: ["1.3.0"], rule: "~> is tilde"),
        Case(range: "1.x", matches: ["1.0.0", "1.99.99"], rejects: ["2.0.0", "0.9.0"], rule: "wildcard minor"),
        Case(range: "1.2.*", matches: ["1.2.0", "1.2.7"], rejects: ["1.3.0"], rule: "wildcard patch keeps the minor"),
        Case(range: "*", matches: ["0.0.1", "9.9.9"], rejects: ["1.0.0-rc.1"], rule: "star is anything released"),
        Case(range: ">1", matches: ["2.0.0"], rejects: ["1.5.0"], rule: ">1 needs 2.0.0 or more"),
        Case(range: ">1.2", matches: ["1.3.0"], rejects: ["1.2.9"], rule: ">1.2 needs 1.3.0 or more"),
        Case(range: "<=1.2", matches: ["1.2.9"], rejects: ["1.3.0"], rule: "<=1.2 includes all of 1.2.x"),
        Case(range: "<1.2", matches: ["1.1.9"], rejects: ["1.2.0", "1.2.0-rc.1"], rule: "partial upper bound"),
        Case(range: "1.2.3", matches: ["1.2.3", "1.2.3+build.7"], rejects: ["1.2.4"], rule: "a bare version is equality; build ignored"),
        Case(range: "=1.2.3", matches: ["1.2.3"], rejects: ["1.2.4"], rule: "= is equality"),
        Case(range: "!=1.2.3", matches: ["1.2.4"], rejects: ["1.2.3"], rule: "not equal"),
        Case(range: "!=1.2.x", matches: ["1.3.0"], rejects: ["1.2.3"], rule: "not equal to a wildcard"),
        Case(range: "1.2.3 - 2.3.4", matches: ["1.2.3", "2.3.4"], rejects: ["2.3.5"], rule: "hyphen range is inclusive"),
        Case(range: "1.2 - 2.3", matches: ["2.3.9"], rejects: ["2.4.0", "1.1.0"], rule: "a partial upper bound covers the whole part"),
        Case(range: ">=1.0.0-0", matches: ["1.1.0-rc.1"], rejects: ["0.9.0-rc.1"], rule: "a pre-release bound admits pre-releases"),
        Case(
            range: ">=1.2.3-rc.1 <2.0.0-0", matches: ["1.2.3-rc.1", "1.2.3-rc.2", "1.2.3", "1.2.4-rc.1"], rejects: ["1.2.3-beta", "2.0.0"],
            rule: "Masterminds admits any pre-release once every comparison names one"),
        Case(
            range: ">=1.2.3-rc.1 <2", matches: ["1.2.3", "1.5.0"], rejects: ["1.2.3-rc.2"], rule: "a comparison without a pre-release refuses them"),
        Case(
            range: "^1.2.3-beta", matches: ["1.2.3-beta.2", "1.2.3", "1.2.4-beta"], rejects: ["1.2.3-alpha", "2.0.0-beta"],
            rule: "caret with a pre-release"),
    ]

    @Test(arguments: cases)
    func matchesLikeMasterminds(_ testCase: Case) throws {
        let range = try VersionRange(testCase.range)
        for text in testCase.matches {
            #expect(range.contains(try #require(SemanticVersion(text))), "\(testCase.range) should match \(text)")
        }
        for text in testCase.rejects {
            #expect(!range.contains(try #require(SemanticVersion(text))), "\(testCase.range) should not match \(text)")
        }
    }

    @Test(arguments: ["", "latest", ">=", ">= ", "^x.y", "1.2.3 - ", ">>1", "1.2.3-01", "!1.2", "1.2.3.4", "foo", ">=1.0.0 ||", "=>>1.0"])
    func refusesMalformedRanges(_ text: String) {
        #expect(throws: VersionRangeError.self) { try VersionRange(text) }
    }

    /// The best tag is the highest in range.
    @Test func picksTheHighestMatch() throws {
        let range = try VersionRange("^1.2")
        let tags = ["v1.2.0", "v1.10.0", "v1.9.3", "v2.0.0", "v1.11.0-rc.1", "latest"]
        let candidates = tags.compactMap { tag in SemanticVersion(lenient: tag).map { (version: $0, payload: tag) } }
        #expect(range.best(of: candidates)?.payload == "v1.10.0")
    }
}
