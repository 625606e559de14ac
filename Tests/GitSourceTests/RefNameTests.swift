import KeelsonFoundation
import KeelsonTesting
import Testing

@testable import GitSource

@Suite struct RefNameTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let valid: Bool
        var testDescription: String { name.debugDescription }
    }

    static let cases: [Case] = [
        Case(name: "main", valid: true),  // a plain one-level name
        Case(name: "release/1.x", valid: true),  // slashes separate components
        Case(name: "v1.2.3", valid: true),  // dots inside a component
        Case(name: "feature/ü", valid: true),  // non-ASCII is allowed by git
        Case(name: "", valid: false),  // empty
        Case(name: "a..b", valid: false),  // '..' could climb
        Case(name: "../etc", valid: false),  // path escape
        Case(name: "a/.hidden", valid: false),  // component starting with '.'
        Case(name: "a.lock", valid: false),  // '.lock' suffix clashes with lock files
        Case(name: "a/b.lock/c", valid: false),  // '.lock' on an inner component
        Case(name: "a@{1}", valid: false),  // reflog syntax
        Case(name: "a b", valid: false),  // space
        Case(name: "a~1", valid: false),  // ancestry operator
        Case(name: "a^", valid: false),  // peel operator
        Case(name: "a:b", valid: false),  // refspec separator
        Case(name: "a?", valid: false),  // glob
        Case(name: "a*", valid: false),  // glob
        Case(name: "a[b", valid: false),  // glob
        Case(name: "a\\b", valid: false),  // backslash
        Case(name: "a\u{7}b", valid: false),  // control character
        Case(name: "a\u{7f}", valid: false),  // DEL
        Case(name: "/a", valid: false),  // leading slash
        Case(name: "a/", valid: false),  // trailing slash
        Case(name: "a//b", valid: false),  // empty component
        Case(name: "a.", valid: false),  // trailing dot
    ]

    /// Our verdict equals `git check-ref-format --allow-onelevel` for every case.
    @Test(arguments: cases)
    func agreesWithGit(_ testCase: Case) async throws {
        #expect((RefName.problem(testCase.name) == nil) == testCase.valid)
        guard !testCase.name.isEmpty else { return }
        let git = try await ProcessRunner.run("git", ["check-ref-format", "--allow-onelevel", "refs/heads/" + testCase.name])
        #expect((git.status == 0) == testCase.valid, "git disagrees about \(testCase.name.debugDescription)")
    }

    /// Names git accepts under refs/heads/ but that look like options or mean HEAD are refused too.
    @Test(arguments: ["-f", "--upload-pack=touch", "-", "@"])
    func stricterThanGit(_ name: String) {
        #expect(throws: GitError.self) { try RefName.validate(name) }
        #expect(RefName.problem(name) != nil)
    }

    /// A revision is validated when parsed: commit, refs/heads, refs/tags, semver, branch.
    @Test(arguments: [
        ("0123456789abcdef0123456789abcdef01234567", Revision.commit("0123456789abcdef0123456789abcdef01234567")),
        ("0123456789ABCDEF0123456789ABCDEF01234567", Revision.commit("0123456789abcdef0123456789abcdef01234567")),
        ("refs/heads/main", Revision.branch("main")),
        ("refs/tags/v1", Revision.tag("v1")),
        ("main", Revision.branch("main")),
        ("release/2024", Revision.branch("release/2024")),
    ])
    func parsesRevisions(_ text: String, _ expected: Revision) throws {
        #expect(try Revision.parse(text) == expected)
    }

    /// Ranges parse as semver; malformed names and short SHAs are refused.
    @Test func parsesRangesAndRefusesJunk() throws {
        #expect(try Revision.parse(">=1.2.0 <2.0.0") == .semver(VersionRange(">=1.2.0 <2.0.0")))
        #expect(try Revision.parse("1.x") == .semver(VersionRange("1.x")))
        for bad in ["--upload-pack=x", "a..b", "refs/heads/-x", "@{-1}"] {
            #expect(throws: GitError.self, "\(bad)") { try Revision.parse(bad) }
        }
        #expect(throws: GitError.self) { try Revision.commit("abc123").validate() }
    }
}
