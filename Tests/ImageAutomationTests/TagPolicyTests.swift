import ImageAutomation
import KeelsonFoundation
import Testing

struct TagPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var rule: String
        var policy: @Sendable () throws -> TagPolicy
        var tags: [String]
        /// The selected tag, or nil when selection must fail.
        var selected: String?
        var testDescription: String { rule }
    }

    static let mixed = ["latest", "1.0.0", "1.10.0", "1.9.3", "v2.0.0-rc.1", "main-abc123-1700000000", "1.2"]

    static let cases: [Case] = [
        Case(
            rule: "semver picks the highest release in range, ignoring non-semver tags",
            policy: { TagPolicy(choice: .semver(try VersionRange(">=1.0.0"))) }, tags: mixed, selected: "1.10.0"),
        Case(
            rule: "semver with a pre-release bound may pick a pre-release",
            policy: { TagPolicy(choice: .semver(try VersionRange(">=1.0.0-0"))) }, tags: mixed, selected: "v2.0.0-rc.1"),
        Case(
            rule: "semver range that nothing satisfies fails",
            policy: { TagPolicy(choice: .semver(try VersionRange(">=3.0.0"))) }, tags: mixed, selected: nil),
        Case(
            rule: "semver keeps the tag as listed, leading v included",
            policy: { TagPolicy(choice: .semver(try VersionRange("^1.0"))) }, tags: ["v1.1.0", "v1.0.0"], selected: "v1.1.0"),
        Case(
            rule: "alphabetical asc selects the last in byte order",
            policy: { TagPolicy(choice: .alphabetical(.asc)) }, tags: ["RELEASE.2023", "RELEASE.2024", "RELEASE.2022"], selected: "RELEASE.2024"),
        Case(
            rule: "alphabetical desc selects the first in byte order",
            policy: { TagPolicy(choice: .alphabetical(.desc)) }, tags: ["b", "a", "c"], selected: "a"),
        Case(
            rule: "alphabetical compares bytes: uppercase before lowercase",
            policy: { TagPolicy(choice: .alphabetical(.asc)) }, tags: ["Zeta", "alpha"], selected: "alpha"),
        Case(
            rule: "numerical asc selects the greatest number, not the longest string",
            policy: { TagPolicy(choice: .numerical(.asc)) }, tags: ["9", "10", "2", "1.5"], selected: "10"),
        Case(
            rule: "numerical desc selects the least number",
            policy: { TagPolicy(choice: .numerical(.desc)) }, tags: ["9", "10", "-3", "2"], selected: "-3"),
        Case(
            rule: "numerical fails on a tag that is not a number, as Flux does",
            policy: { TagPolicy(choice: .numerical(.asc)) }, tags: ["1", "latest"], selected: nil),
        Case(
            rule: "filterTags with extract of a named group orders by the extracted timestamp",
            policy: { TagPolicy(choice: .numerical(.asc), filter: try TagFilter(pattern: "^main-[a-f0-9]+-(?P<ts>[0-9]+)", extract: "$ts")) },
            tags: ["main-aaa111-1700000009", "main-bbb222-1700000100", "dev-ccc333-1800000000", "latest"], selected: "main-bbb222-1700000100"),
        Case(
            rule: "extract with ${name} and literal text feeds semver",
            policy: {
                TagPolicy(choice: .semver(try VersionRange(">=1.0.0")), filter: try TagFilter(pattern: "^release-(?<v>[0-9.]+)$", extract: "${v}"))
            },
            tags: ["release-1.2.0", "release-1.10.0", "1.99.0"], selected: "release-1.10.0"),
        Case(
            rule: "a numbered group works as $1",
            policy: { TagPolicy(choice: .alphabetical(.asc), filter: try TagFilter(pattern: "^build-(\\d+)-x", extract: "$1")) },
            tags: ["build-1-x", "build-3-x", "build-2-x"], selected: "build-3-x"),
        Case(
            rule: "pattern without extract filters but compares whole tags",
            policy: { TagPolicy(choice: .alphabetical(.asc), filter: try TagFilter(pattern: "^stable-")) },
            tags: ["stable-a", "stable-b", "zzz"], selected: "stable-b"),
        Case(
            rule: "a filter that matches nothing fails",
            policy: { TagPolicy(choice: .alphabetical(.asc), filter: try TagFilter(pattern: "^nope")) },
            tags: ["a", "b"], selected: nil),
        Case(
            rule: "an empty tag list fails",
            policy: { TagPolicy(choice: .alphabetical(.asc)) }, tags: [], selected: nil),
    ]

    @Test(arguments: cases)
    func selection(_ c: Case) throws {
        let policy = try c.policy()
        if let expected = c.selected {
            #expect(try policy.select(c.tags) == expected)
        } else {
            let error = #expect(throws: ImageAutomationError.self) { try policy.select(c.tags) }
            #expect(error?.code == .noMatchingTag)
        }
    }

    @Test func invalidPatternAndOrderAreRefused() throws {
        #expect(throws: ImageAutomationError.self) { try TagFilter(pattern: "([") }
        #expect(throws: ImageAutomationError.self) { try TagPolicy.Order(parsing: "sideways") }
        #expect(try TagPolicy.Order(parsing: "DESC") == .desc)
        #expect(try TagPolicy.Order(parsing: "") == .asc)
    }
}
