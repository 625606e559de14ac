/// A Provider or Alert that cannot be used, naming the object and the field.
public struct NotifyObjectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `Provider` or `Alert`.
    public var kind: String
    /// `namespace/name`.
    public var object: String
    /// The field, e.g. `spec.template.text`.
    public var field: String
    public var message: String

    public init(kind: String, object: String, field: String, message: String) {
        self.kind = kind
        self.object = object
        self.field = field
        self.message = message
    }

    public var description: String { "\(kind) \(object): \(field): \(message)" }
}
