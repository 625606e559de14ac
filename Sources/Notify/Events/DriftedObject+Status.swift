extension DriftedObject {
    /// One line of `status.drift` as the controller writes it:
    /// `Deployment/guestbook/guestbook update: /spec/replicas, /spec/paused (by kubectl-scale)`.
    /// The key reads `Deployment guestbook/guestbook` and the fields `spec.replicas`.
    public init(statusLine line: String) {
        var rest = Substring(line)
        var managers: [String] = []
        if rest.hasSuffix(")"), let by = rest.range(of: " (by ", options: .backwards) {
            managers = rest[by.upperBound..<rest.index(before: rest.endIndex)].split(separator: ", ").map(String.init)
            rest = rest[..<by.lowerBound]
        }
        var fields: [String] = []
        if let colon = rest.range(of: ": ") {
            fields = rest[colon.upperBound...].split(separator: ", ").map { field in
                field.split(separator: "/").map { $0.replacing("~1", with: "/").replacing("~0", with: "~") }.joined(separator: ".")
            }
            rest = rest[..<colon.lowerBound]
        }
        let identity = rest.split(separator: " ").first.map(String.init) ?? String(rest)
        let parts = identity.split(separator: "/", maxSplits: 1).map(String.init)
        self.init(key: parts.count == 2 ? "\(parts[0]) \(parts[1])" : identity, fields: fields, managers: managers)
    }

    /// `Deployment guestbook/guestbook spec.replicas (by kubectl-scale)`.
    public var summary: String {
        key + (fields.isEmpty ? "" : " " + fields.joined(separator: ", "))
            + (managers.isEmpty ? "" : " (by " + managers.joined(separator: ", ") + ")")
    }
}
