/// One failed check of a JSON Schema validation, in santhosh-tekuri/jsonschema v6's words,
/// with the failures it groups.
struct SchemaFailure: Sendable {
    /// The instance location as JSON pointer tokens.
    var location: [String]
    /// The message (`got string, want integer`, `validation failed`).
    var message: String
    /// Grouped failures, printed indented below.
    var causes: [SchemaFailure] = []

    /// The location as v6 prints it: `''` for the top, `'/a/b'` below.
    var pointer: String {
        location.map { token in
            "/" + token.map { $0 == "~" ? "~0" : $0 == "/" ? "~1" : String($0) }.joined()
        }.joined()
    }

    /// `- at '/a': message`, then the causes two spaces deeper.
    func lines(indent: Int) -> [String] {
        [String(repeating: " ", count: indent) + "- at '\(pointer)': \(message)"] + causes.flatMap { $0.lines(indent: indent + 2) }
    }

    /// The failures of one schema at one location: none, the one, or a `validation failed` group.
    static func collapse(_ failures: [SchemaFailure], at location: [String]) -> [SchemaFailure] {
        failures.count <= 1 ? failures : [SchemaFailure(location: location, message: "validation failed", causes: failures)]
    }
}
