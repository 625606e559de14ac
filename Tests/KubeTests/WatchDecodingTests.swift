import Manifests
import Testing

@testable import Kube

@Suite struct WatchDecodingTests {
    @Test(arguments: [
        // Lines split across chunks are joined; CRLF and blank lines are tolerated.
        (["{\"a\":1}\n{\"b\"", ":2}\r\n\n", "{\"c\":3}\n"], ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"]),
        // Several lines in one chunk.
        (["x\ny\nz\n"], ["x", "y", "z"]),
    ])
    func linesAreSplitAcrossChunks(chunks: [String], expected: [String]) throws {
        var splitter = LineSplitter(maximumLineLength: 1024)
        var lines: [String] = []
        for chunk in chunks { lines += try splitter.append(Array(chunk.utf8), resource: "w").map { String(decoding: $0, as: UTF8.self) } }
        #expect(lines == expected)
        #expect(splitter.finish() == nil)
    }

    @Test func overlongLineIsRefused() {
        var splitter = LineSplitter(maximumLineLength: 8)
        #expect { try splitter.append(Array("0123456789".utf8), resource: "w") } throws: { ($0 as? KubeError)?.code == .responseTooLarge }
    }

    @Test(arguments: [
        (#"{"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"5"}}}"#, WatchEvent.EventType.added, "5"),
        (#"{"type":"MODIFIED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"6"}}}"#, .modified, "6"),
        (#"{"type":"DELETED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"7"}}}"#, .deleted, "7"),
        (#"{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"9"}}}"#, .bookmark, "9"),
    ])
    func eventsDecode(line: String, type: WatchEvent.EventType, resourceVersion: String) throws {
        let event = try WatchEvent.decode(line: Array(line.utf8), resource: "w")
        #expect(event.type == type && event.resourceVersion == resourceVersion)
    }

    @Test func errorEventCarriesGoneStatus() async throws {
        let line =
            #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#
        let event = try WatchEvent.decode(line: Array(line.utf8), resource: "w")
        var iterator = WatchStream(events: [event]).makeAsyncIterator()
        await #expect { _ = try await iterator.next() } throws: { ($0 as? KubeError)?.isGone == true }
    }

    @Test(arguments: [#"{"object":{}}"#, #"{"type":"SOMETHING","object":{}}"#, #"{"type":"ADDED"}"#, "not json"])
    func malformedEventsAreRefused(line: String) {
        #expect { try WatchEvent.decode(line: Array(line.utf8), resource: "w") } throws: { ($0 as? KubeError)?.code == .decoding }
    }
}
