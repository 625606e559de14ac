@testable import GitSource
import Testing

@Suite struct VersionRangeTests {
    /// Precedence follows semver 2.0 section 11.
    @Test func ordersVersions() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                       "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0", "10.0.0"]
        let versions = try ordered.map { try #require(SemanticVersion($0)) }
        #expect(versions.sorted() == versions)
        #expect(versions.shuffled().sorted() == versions)
    }

    /// Tags: a leading v, build metadata and loose forms; junk is not a version.
    @Test(arguments: [
        ("v1.2.3", "1.2.3"), ("1.2.3+build.5", "1.2.3"), ("1.2", "1.2.0"), ("v2", "2.0.0"), ("1.0.0-rc.1", "1.0.0-rc.1"),
    ])
    func parsesTags(_ tag: String, _ expected: String) {
        #expect(SemanticVersion(tag)?.description == expected)
    }

    @Test(arguments: ["", "latest", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "1.x", "v", "1..2"])
    func refusesNonVersions(_ tag: String) {
        #expect(SemanticVersion(tag) == nil)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let range: String
        let matches: [String]
        let rejects: [String]
        var testDescription: String { range }
    }

    static let cases: [Case] = [
        // comparators combine with AND
        Case(range: ">=1.2.0 <2.0.0", matches: ["1.2.0", "1.9.9"], rejects: ["1.1.9", "2.0.0", "2.0.0-rc.1", "1.5.0-rc.1"]),
        // commas separate too (Masterminds)
        Case(range: ">= 1.2, < 2", matches: ["1.2.0", "1.99.0"], rejects: ["2.0.0", "1.1.0"]),
        // caret: same major
        Case(range: "^1.2", matches: ["1.2.0", "1.9.0"], rejects: ["1.1.9", "2.0.0"]),
        Case(range: "^1.2.3", matches: ["1.2.3", "1.3.0"], rejects: ["1.2.2", "2.0.0-0"]),
        // caret below 1.0 pins the first non-zero part
        Case(range: "^0.2.3", matches: ["0.2.3", "0.2.9"], rejects: ["0.3.0"]),
        Case(range: "^0.0.3", matches: ["0.0.3"], rejects: ["0.0.4"]),
        Case(range: "^0", matches: ["0.0.1", "0.9.9"], rejects: ["1.0.0"]),
        // tilde: same minor
        Case(range: "~1.2.3", matches: ["1.2.3", "1.2.9"], rejects: ["1.3.0", "1.2.2"]),
        Case(range: "~1", matches: ["1.0.0", "1.9.0"], rejects: ["2.0.0"]),
        Case(range: "~>1.2", matches: ["1.2.5"], rejects: ["1.3.0"]),
        // x-ranges
        Case(range: "1.x", matches: ["1.0.0", "1.99.99"], rejects: ["2.0.0", "0.9.0"]),
        Case(range: "1.2.*", matches: ["1.2.0", "1.2.7"], rejects: ["1.3.0"]),
        Case(range: "*", matches: ["0.0.1", "9.9.9"], rejects: ["1.0.0-rc.1"]),
        // partial bounds
        Case(range: ">1.2", matches: ["1.3.0"], rejects: ["1.2.9"]),
        Case(range: "<=1.2", matches: ["1.2.9"], rejects: ["1.3.0"]),
        Case(range: "<1.2", matches: ["1.1.9"], rejects: ["1.2.0", "1.2.0-rc.1"]),
        Case(range: "1.2.3", matches: ["1.2.3"], rejects: ["1.2.4"]),
        Case(range: "=1.2.3", matches: ["1.2.3"], rejects: ["1.2.4"]),
        // hyphen ranges: inclusive, partial upper bound covers the whole part
        Case(range: "1.2.3 - 2.3.4", matches: ["1.2.3", "2.3.4"], rejects: ["2.3.5"]),
        Case(range: "1.2 - 2.3", matches: ["2.3.9"], rejects: ["2.4.0", "1.1.0"]),
        // alternatives
        Case(range: "^1.0 || ^3.0", matches: ["1.5.0", "3.1.0"], rejects: ["2.0.0"]),
        // pre-releases only when the range names one of the same major.minor.patch
        Case(range: ">=1.2.3-rc.1 <2", matches: ["1.2.3-rc.1", "1.2.3-rc.2", "1.2.3", "1.5.0"], rejects: ["1.2.4-rc.1", "1.2.3-beta"]),
        Case(range: "^1.2.3-beta", matches: ["1.2.3-beta.2", "1.2.3"], rejects: ["1.2.4-beta"]),
    ]

    @Test(arguments: cases)
    func matchesLikeNpm(_ testCase: Case) throws {
        let range = try VersionRange(testCase.range)
        for text in testCase.matches {
            #expect(range.contains(try #require(SemanticVersion(text))), "\(testCase.range) should match \(text)")
        }
        for text in testCase.rejects {
            #expect(!range.contains(try #require(SemanticVersion(text))), "\(testCase.range) should not match \(text)")
        }
    }

    /// Malformed ranges are refused with `.invalidRevision`.
    @Test(arguments: ["", "latest", ">=", "^x.y", "1.2.3 - ", ">>1", "1.2.3-01", "!1.2"])
    func refusesMalformedRanges(_ text: String) {
        #expect { try VersionRange(text) } throws: { ($0 as? GitError)?.code == .invalidRevision }
    }

    /// The best tag is the highest in range.
    @Test func picksTheHighestMatch() throws {
        let range = try VersionRange("^1.2")
        let tags = ["v1.2.0", "v1.10.0", "v1.9.3", "v2.0.0", "v1.11.0-rc.1", "latest"]
        let candidates = tags.compactMap { tag in SemanticVersion(tag).map { (version: $0, payload: tag) } }
        #expect(range.best(of: candidates)?.payload == "v1.10.0")
    }
}
