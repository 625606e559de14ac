/// Replaces the values of `Secret` objects with masks before anything shows them.
///
/// Masks are runs of `+` whose length says only which values are equal: within one
/// comparison, equal values get the same mask and different values different masks; the
/// mask never depends on the value's content or length. Applies to `data`, `stringData`, and
/// the `kubectl.kubernetes.io/last-applied-configuration` annotation, which copies them.
public struct SecretMasker: Sendable {
    private var masks: [String: String] = [:]

    /// Annotations that may carry a copy of a Secret's values.
    public static let maskedAnnotations = ["kubectl.kubernetes.io/last-applied-configuration"]

    /// Creates a masker with no values seen yet.
    public init() {}

    /// Whether `manifest` is a core `Secret`.
    public static func isSecret(_ manifest: Manifest) -> Bool {
        manifest.group.isEmpty && manifest.kind == "Secret"
    }

    /// The manifest with its Secret values masked (unchanged when it is not a Secret).
    /// Use one masker for both sides of a comparison so equal values share a mask.
    public mutating func mask(_ manifest: Manifest) -> Manifest {
        guard Self.isSecret(manifest) else { return manifest }
        var masked = manifest
        for field in ["data", "stringData"] {
            guard case .object(let values) = manifest.object[field] else {
                if let value = manifest.object[field], !value.isNull { masked.object[field] = .string(mask(value)) }
                continue
            }
            var out = JSONObject()
            for (key, value) in values { out[key] = .string(mask(value)) }
            masked.object[field] = .object(out)
        }
        if case .object(let annotations) = manifest.metadata["annotations"] {
            var out = annotations
            for name in Self.maskedAnnotations { if let value = annotations[name] { out[name] = .string(mask(value)) } }
            masked.setMetadata("annotations", .object(out))
        }
        return masked
    }

    private mutating func mask(_ value: JSONValue) -> String {
        let key = JSONWriter.compact(value)
        if let existing = masks[key] { return existing }
        let mask = String(repeating: "+", count: 8 + masks.count)
        masks[key] = mask
        return mask
    }
}
