import Manifests

/// Parsed kubectl JSON output with path access for expectations.
struct JSONValueBox: Sendable {
    let value: JSONValue

    init(_ text: String) throws { value = try JSONParser.parse(text) }
    init(value: JSONValue) { self.value = value }

    /// The value at a dotted path; numeric segments index arrays.
    subscript(_ path: String) -> JSONValue? {
        var current: JSONValue? = value
        for segment in path.split(separator: ".") {
            if let index = Int(segment), let array = current?.arrayValue {
                current = array.indices.contains(index) ? array[index] : nil
            } else {
                current = current?[String(segment)]
            }
        }
        return current
    }

    /// The string at a dotted path.
    func string(_ path: String) -> String? { self[path]?.stringValue }
    /// The items of a list.
    var items: [JSONValueBox] { (value["items"]?.arrayValue ?? []).map { JSONValueBox(value: $0) } }
}
