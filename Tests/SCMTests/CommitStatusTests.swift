import Testing

@testable import SCM

@Suite struct CommitStatusTests {
    // Up to 140 characters a description is left alone.
    @Test func shortDescriptionsStay() {
        let text = String(repeating: "a", count: 140)
        #expect(CommitStatus.cut(text) == text)
    }

    // Longer ones end in "…" at 140 characters in all.
    @Test func longDescriptionsEndInAnEllipsis() {
        let cut = CommitStatus.cut(String(repeating: "a", count: 141))
        #expect(cut.count == 140)
        #expect(cut == String(repeating: "a", count: 139) + "…")
    }

    // The cut never splits a character, and what GitHub counts (code points) fits.
    @Test func cutsFallOnCharacterBoundaries() {
        let thumbs = "👍🏽"  // one Character, two code points
        let cut = CommitStatus.cut(String(repeating: thumbs, count: 100))
        #expect(cut.unicodeScalars.count <= 140)
        #expect(cut.dropLast().allSatisfy { $0 == Character(thumbs) })
        #expect(cut.dropLast().count == 69)
    }
}
