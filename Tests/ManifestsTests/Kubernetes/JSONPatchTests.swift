import Manifests
import Testing

@Suite struct JSONPatchTests {
    /// Each case pins one RFC 6902 operation.
    @Test(arguments: [
        (#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/1","value":9}]"#, #"{"a":[1,9,2]}"#),
        (#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/-","value":3}]"#, #"{"a":[1,2,3]}"#),
        (#"{"a":{"b":1}}"#, #"[{"op":"remove","path":"/a/b"}]"#, #"{"a":{}}"#),
        (#"{"a":[1,2]}"#, #"[{"op":"replace","path":"/a/0","value":7}]"#, #"{"a":[7,2]}"#),
        (#"{"a/b":1}"#, #"[{"op":"replace","path":"/a~1b","value":2}]"#, #"{"a/b":2}"#),
        (#"{"a":1}"#, #"[{"op":"move","from":"/a","path":"/b"}]"#, #"{"b":1}"#),
        (#"{"a":{"x":1}}"#, #"[{"op":"copy","from":"/a","path":"/b"}]"#, #"{"a":{"x":1},"b":{"x":1}}"#),
        (#"{"a":1}"#, #"[{"op":"test","path":"/a","value":1},{"op":"add","path":"","value":{"c":3}}]"#, #"{"c":3}"#),
    ])
    func appliesOperations(target: String, patch: String, expected: String) throws {
        let patched = try JSONPatch(try JSONParser.parse(patch)).apply(to: try JSONParser.parse(target))
        #expect(patched == (try JSONParser.parse(expected)))
    }

    /// Each case pins how a patch fails and that the message names the operation.
    @Test(
        arguments: [
            (#"{"a":1}"#, #"[{"op":"replace","path":"/b","value":2}]"#, .pathNotFound, "replace /b"),
            (#"{"a":1}"#, #"[{"op":"remove","path":"/a/b"}]"#, .pathNotFound, "remove /a/b"),
            (#"{"a":[1]}"#, #"[{"op":"add","path":"/a/5","value":2}]"#, .pathNotFound, "add /a/5"),
            (#"{"a":1}"#, #"[{"op":"move","from":"/x","path":"/b"}]"#, .pathNotFound, "path /x not found"),
            (#"{"a":1}"#, #"[{"op":"test","path":"/a","value":2}]"#, .testFailed, "test /a"),
        ] as [(String, String, JSONPatchError.Code, String)])
    func failuresNameTheOperation(target: String, patch: String, code: JSONPatchError.Code, named: String) throws {
        let patch = try JSONPatch(try JSONParser.parse(patch))
        #expect {
            try patch.apply(to: try JSONParser.parse(target))
        } throws: { error in
            guard let error = error as? JSONPatchError else { return false }
            return error.code == code && error.message.contains(named)
        }
    }

    @Test(arguments: [
        #"{"op":"add"}"#, #"[{"op":"add","path":"/a"}]"#, #"[{"op":"frob","path":"/a"}]"#, #"[{"op":"move","path":"/a"}]"#,
        #"[{"op":"remove","path":"a"}]"#,
    ])
    func refusesMalformedPatches(_ text: String) {
        #expect { try JSONPatch(try JSONParser.parse(text)) } throws: { ($0 as? JSONPatchError)?.code == .malformed }
    }
}
