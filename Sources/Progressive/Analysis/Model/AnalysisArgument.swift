import Manifests

/// A named argument: an AnalysisTemplate's `spec.args[]` (the value is a default) or a Rollout
/// step's `args[]` (the value overrides the template's).
public struct AnalysisArgument: Sendable, Hashable, Codable {
    /// The name `{{args.NAME}}` uses.
    public var name: String
    /// The value, or nil when the template leaves it to the Rollout.
    public var value: String?

    /// Creates an argument.
    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Reads an `args` array at `path`.
    public static func parseList(_ value: JSONValue?, path: String) throws(AnalysisSpecError) -> [AnalysisArgument] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw AnalysisSpecError(.invalidField, path: path, "must be an array, not \(value.typeName)") }
        var arguments: [AnalysisArgument] = []
        for (index, item) in items.enumerated() {
            let reader = try SpecReader(item, path: "\(path)[\(index)]")
            try reader.refuseUnknown(["name", "value"])
            let name = try reader.requiredString("name")
            guard !arguments.contains(where: { $0.name == name }) else {
                throw AnalysisSpecError(.invalidField, path: reader.at("name"), "argument \"\(name)\" is named twice")
            }
            arguments.append(AnalysisArgument(name: name, value: try reader.string("value")))
        }
        return arguments
    }

    /// The values `{{args.X}}` takes: each declared argument's default, replaced by the
    /// override of the same name; an argument left without a value is an error naming it.
    /// Overrides of undeclared names are kept (inline metrics declare none).
    public static func resolve(declared: [AnalysisArgument], overrides: [AnalysisArgument]) throws(AnalysisSpecError) -> [String: String] {
        var values: [String: String] = [:]
        for argument in declared { values[argument.name] = argument.value }
        for argument in overrides { if let value = argument.value { values[argument.name] = value } }
        if let missing = declared.first(where: { values[$0.name] == nil }) {
            throw AnalysisSpecError(
                .missingArgument, path: "args", "argument \"\(missing.name)\" has no value; give it one in the Rollout's analysis args")
        }
        return values
    }
}
