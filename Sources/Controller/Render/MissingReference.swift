/// A ConfigMap or Secret a render reads (`valuesFrom`, `substituteFrom`) that is missing or
/// unreadable: often one that another Application is about to create, so the render is tried
/// again soon rather than at the next interval. Never carries a value.
struct MissingReference: Error, Sendable, CustomStringConvertible {
    var description: String
}
