import Manifests
import Testing

@Suite struct FieldSelectorTests {
    /// Escaped `,`, `=` and `\` in values survive a round trip through the text.
    @Test func escapesValuesBothWays() throws {
        let selector: FieldSelector = [.equals("metadata.name", #"a,b=c\d"#), .notEquals("status.phase", "Running")]
        #expect(selector.description == #"metadata.name=a\,b\=c\\d,status.phase!=Running"#)
        #expect(try FieldSelector(selector.description) == selector)
        #expect(try FieldSelector("metadata.name==web").terms == [.equals("metadata.name", "web")])
    }

    @Test func matchesFieldsAsText() throws {
        let object = try #require(
            try JSONParser.parse(#"{"metadata":{"name":"web"},"status":{"phase":"Running"},"spec":{"replicas":2}}"#).objectValue)
        #expect(try FieldSelector("metadata.name=web,status.phase!=Pending").matches(object))
        #expect(try FieldSelector("spec.replicas=2").matches(object))
        #expect(try !FieldSelector("metadata.namespace!=").matches(object))
    }

    @Test(arguments: ["name", "=web", "a!b"])
    func refusesTermsWithoutAnOperator(_ text: String) {
        #expect(throws: FieldSelectorError.self) { try FieldSelector(text) }
    }
}
