import Foundation
import GoTemplate
import Testing

@testable import Helm

@Suite struct HelmFunctionsTests {
    /// Helm deletes `env` and `expandenv`: a chart may not read the renderer's environment.
    @Test func environmentFunctionsStayUndefined() {
        let functions = HelmFunctions.sprig()
        #expect(functions["env"] == nil && functions["expandenv"] == nil)
        #expect(functions.count >= 190)
    }

    /// The same seed and template give the same bytes call by call; another seed or template differs.
    @Test func seededRandomnessRepeatsPerRender() {
        let first = SeededRandomSource(seed: Array("seed".utf8))
        let second = SeededRandomSource(seed: Array("seed".utf8))
        let a = (0..<3).map { _ in first.bytes(40, template: "t.yaml", purpose: "randAlphaNum") }
        let b = (0..<3).map { _ in second.bytes(40, template: "t.yaml", purpose: "randAlphaNum") }
        #expect(a == b)
        #expect(a[0] != a[1])
        #expect(SeededRandomSource(seed: Array("other".utf8)).bytes(40, template: "t.yaml", purpose: "randAlphaNum") != a[0])
        #expect(SeededRandomSource(seed: Array("seed".utf8)).bytes(40, template: "u.yaml", purpose: "randAlphaNum") != a[0])
    }

    /// bcrypt matches OpenBSD's reference vector (the empty password at cost 6).
    @Test func bcryptMatchesTheReferenceVector() {
        let salt = Bcrypt.decode("DCq7YPn5Rq63x1Lad4cll.")
        #expect(Bcrypt.hash([], salt: salt, cost: 6) == "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")
    }

    /// `now` reads the injected clock, so a deterministic render has a fixed date.
    @Test func nowReadsTheInjectedClock() throws {
        let functions = HelmFunctions.sprig(clock: .fixed(Date(timeIntervalSince1970: 1_700_000_000)))
        var set = TemplateSet(functions: functions)
        try set.parse(name: "t", text: #"{{ now | date "2006-01-02T15:04:05" }} {{ now | unixEpoch }}"#)
        #expect(try set.execute(name: "t", data: .null) == "2023-11-14T22:13:20 1700000000")
    }
}
