import Foundation
import Manifests
import Testing

@testable import KubeSandbox

@Suite("Patch and field-ownership rules without I/O")
struct PatchTests {
    static func json(_ text: String) -> JSONValue { try! JSONParser.parse(text) }

    /// Each case pins one strategic-merge-patch rule of the Kubernetes built-in schemas.
    @Test(
        "strategic merge patch",
        arguments: [
            // containers merge by name, unmentioned items stay
            (
                #"{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}"#,
                #"{"containers":[{"name":"b","image":"2"}]}"#,
                #"{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}"#
            ),
            // $patch: delete removes one keyed item
            (
                #"{"containers":[{"name":"a"},{"name":"b"}]}"#, #"{"containers":[{"name":"a","$patch":"delete"}]}"#,
                #"{"containers":[{"name":"b"}]}"#
            ),
            // env merges by name, null removes a field
            (
                #"{"env":[{"name":"X","value":"1"}],"keep":1,"drop":2}"#, #"{"env":[{"name":"Y","value":"2"}],"drop":null}"#,
                #"{"env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}],"keep":1}"#
            ),
            // ports merge by containerPort
            (
                #"{"ports":[{"containerPort":80,"name":"http"}]}"#, #"{"ports":[{"containerPort":80,"name":"web"},{"containerPort":443}]}"#,
                #"{"ports":[{"containerPort":80,"name":"web"},{"containerPort":443}]}"#
            ),
            // unknown lists are replaced
            (#"{"args":["a","b"]}"#, #"{"args":["c"]}"#, #"{"args":["c"]}"#),
            // finalizers merge as a set; $deleteFromPrimitiveList removes
            (#"{"finalizers":["a"]}"#, #"{"finalizers":["b"],"$deleteFromPrimitiveList/finalizers":["a"]}"#, #"{"finalizers":["b"]}"#),
            // $patch: replace on a map replaces it whole
            (#"{"m":{"a":1,"b":2}}"#, #"{"m":{"$patch":"replace","c":3}}"#, #"{"m":{"c":3}}"#),
        ])
    func strategicMerge(target: String, patch: String, expected: String) throws {
        #expect(try StrategicMergePatch.apply(Self.json(patch), to: Self.json(target)) == Self.json(expected))
    }

    /// Each case pins one RFC 6902 operation.
    @Test(
        "JSON patch",
        arguments: [
            (#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/1","value":9}]"#, #"{"a":[1,9,2]}"#),
            (#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/-","value":3}]"#, #"{"a":[1,2,3]}"#),
            (#"{"a":{"b":1}}"#, #"[{"op":"remove","path":"/a/b"}]"#, #"{"a":{}}"#),
            (#"{"a":1}"#, #"[{"op":"move","from":"/a","path":"/b"}]"#, #"{"b":1}"#),
            (#"{"a/b":1}"#, #"[{"op":"replace","path":"/a~1b","value":2}]"#, #"{"a/b":2}"#),
        ])
    func jsonPatch(target: String, patch: String, expected: String) throws {
        #expect(try JSONPatch.apply(Self.json(patch), to: Self.json(target)) == Self.json(expected))
    }

    @Test("a failed JSON patch test operation rejects the whole patch")
    func jsonPatchTestFails() {
        #expect(throws: APIError.self) {
            try JSONPatch.apply(Self.json(#"[{"op":"test","path":"/a","value":2}]"#), to: Self.json(#"{"a":1}"#))
        }
    }

    @Test("field sets round-trip through fieldsV1 with keyed items and granular maps marked")
    func fieldsV1RoundTrip() {
        let object = Self.json(
            #"{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"x"}],"selector":{"matchLabels":{"a":"b"}}}}"#)
        let set = FieldSet(of: object)
        let encoded = set.fieldsV1
        #expect(encoded["f:metadata"]?["f:labels"]?["."] != nil)
        #expect(encoded["f:spec"]?["f:containers"]?[#"k:{"name":"c"}"#]?["f:image"] == [:])
        #expect(encoded["f:spec"]?["f:selector"] == [:], "label selectors are atomic")
        #expect(FieldSet(fieldsV1: encoded) == set)
    }

    @Test("apply removes only fields no other manager owns")
    func applyRemoval() throws {
        let type = BuiltinResources.all.first { $0.kind == "ConfigMap" }!
        let now = Date()
        func config(_ data: String) -> JSONObject {
            Self.json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":\#(data)}"#).objectValue!
        }
        var live = try FieldManager.apply(
            live: nil, config: config(#"{"a":"1","b":"2"}"#), manager: "one", force: false, type: type, subresource: nil, now: now)
        live = try FieldManager.apply(live: live, config: config(#"{"b":"2"}"#), manager: "two", force: false, type: type, subresource: nil, now: now)
        live = try FieldManager.apply(live: live, config: config(#"{}"#), manager: "one", force: false, type: type, subresource: nil, now: now)
        #expect(live["data"] == Self.json(#"{"b":"2"}"#))
        #expect(throws: APIError.self) {
            try FieldManager.apply(live: live, config: config(#"{"b":"3"}"#), manager: "one", force: false, type: type, subresource: nil, now: now)
        }
    }
}
