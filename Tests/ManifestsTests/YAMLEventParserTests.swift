import Manifests
import Testing

/// libyaml's events as `YAMLEventParser` hands them on.
@Suite struct YAMLEventParserTests {
    /// Every event of `text`, scalars with their text, tag and anchor.
    private static func events(_ text: String) throws -> [String] {
        let parser = YAMLEventParser(Array(text.utf8))
        var events: [String] = []
        while true {
            let kind = try parser.next()
            var event = "\(kind)"
            if kind == .scalar { event += " \(parser.scalarValue)" + (parser.isPlainScalar ? "" : " quoted") }
            if let tag = parser.tag { event += " tag=\(tag)" }
            if let anchor = parser.anchor { event += " anchor=\(anchor)" }
            events.append(event)
            if kind == .streamEnd { return events }
        }
    }

    @Test func readsEventsInOrder() throws {
        let events = try Self.events("a: &x [1, 'two']\nb: !!int 3\nc: *x\n---\n\"d\"\n")
        #expect(
            events == [
                "streamStart", "documentStart", "mappingStart", "scalar a", "sequenceStart anchor=x", "scalar 1",
                "scalar two quoted tag=tag:yaml.org,2002:str", "sequenceEnd", "scalar b", "scalar 3 tag=tag:yaml.org,2002:int", "scalar c",
                "alias anchor=x", "mappingEnd", "documentEnd", "documentStart", "scalar d quoted tag=tag:yaml.org,2002:str", "documentEnd",
                "streamEnd",
            ])
    }

    @Test func comparesScalarsByteForByte() throws {
        let parser = YAMLEventParser(Array("kind: Pod\n".utf8))
        while try parser.next() != .scalar {}
        #expect(parser.scalarIs("kind"))
        #expect(!parser.scalarIs("kin"))
        #expect(!parser.scalarIs("kinds"))
        try parser.next()
        #expect(parser.scalarIs("Pod"))
    }

    @Test func failuresSayWhereAndWhichStage() {
        #expect {
            _ = try Self.events("a:\n  b: 1\n c: 2\n")
        } throws: { error in
            guard let failure = error as? YAMLEventParser.Failure else { return false }
            return failure.stage == .parser && failure.problem == "did not find expected key" && failure.line == 2 && failure.contextLine == 0
        }
        #expect {
            _ = try Self.events("a: \"x\n")
        } throws: { error in
            (error as? YAMLEventParser.Failure)?.stage == .scanner
        }
    }
}
