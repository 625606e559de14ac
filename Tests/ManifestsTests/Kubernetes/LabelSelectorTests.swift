import Manifests
import Testing

@Suite struct LabelSelectorTests {
    /// Each case pins one operator of the selector grammar.
    @Test(
        arguments: [
            ("app=web", ["app": "web"], true),
            ("app==web", ["app": "web"], true),
            ("app=web", ["app": "api"], false),
            ("app!=web", [:], true),
            ("app!=web", ["app": "web"], false),
            ("tier in (a, b)", ["tier": "b"], true),
            ("tier in (a,b)", [:], false),
            ("tier notin (a,b)", [:], true),
            ("tier notin (a,b)", ["tier": "a"], false),
            ("app.kubernetes.io/name", ["app.kubernetes.io/name": "x"], true),
            ("!legacy", ["legacy": "1"], false),
            (" app = web , !legacy ", ["app": "web"], true),
            ("", ["any": "thing"], true),
        ] as [(String, [String: String], Bool)])
    func matches(_ text: String, _ labels: [String: String], _ expected: Bool) throws {
        #expect(try LabelSelector(text).matches(labels) == expected)
    }

    @Test func rendersBackToText() throws {
        let selector = try LabelSelector("app=web,tier in (b,a),zone notin (x),track,!skip,env!=dev")
        #expect(selector.description == "app=web,tier in (a,b),zone notin (x),track,!skip,env!=dev")
        #expect(try LabelSelector(selector.description).description == selector.description)
    }

    @Test(arguments: ["tier in a,b", "a b=c", "=x", "!"])
    func refusesMalformedSelectors(_ text: String) {
        #expect(throws: LabelSelectorError.self) { try LabelSelector(text) }
    }

    @Test func readsMatchLabelsAndMatchExpressions() throws {
        let object = try #require(
            try JSONParser.parse(
                #"{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]},{"key":"old","operator":"DoesNotExist"}]}"#
            ).objectValue)
        let selector = try LabelSelector(object)
        #expect(selector.description == "app=web,tier in (a,b),!old")
        #expect(selector.matches(["app": "web", "tier": "a"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "old": "1"]))
        let bad = try #require(try JSONParser.parse(#"{"matchExpressions":[{"key":"a","operator":"Near"}]}"#).objectValue)
        #expect(throws: LabelSelectorError.self) { try LabelSelector(bad) }
    }
}
