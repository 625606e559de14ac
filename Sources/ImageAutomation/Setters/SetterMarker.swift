import Manifests

/// A Flux setter comment, `# {"$imagepolicy": "NAMESPACE:NAME[:tag|:name|:digest]"}`, read
/// from the line a scalar is on.
public struct SetterMarker: Sendable, Hashable {
    /// Which part of the image a marker sets.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        /// The whole reference, `name:tag` (with `@digest` when one is known).
        case image
        /// The repository name only (kustomize `newName`, Helm `repository`).
        case name
        /// The tag only.
        case tag
        /// The digest only.
        case digest
    }

    /// The comment key Flux uses.
    public static let key = "$imagepolicy"

    /// The policy, `NAMESPACE:NAME`.
    public var policy: String
    /// What the marker sets.
    public var field: Field

    /// Creates a marker.
    public init(policy: String, field: Field) {
        self.policy = policy
        self.field = field
    }

    /// Reads the marker from comment text (after `#`); `nil` if it is not a setter comment.
    /// A comment that is a setter but names no valid policy throws.
    static func parse(comment: String, at location: String) throws(ImageAutomationError) -> SetterMarker? {
        guard comment.contains(key) else { return nil }
        let text = String(comment.trimmingBlanks)
        guard text.hasPrefix("{"), let documents = try? YAMLDecoder().decode(text, file: location),
            let value = documents.first?.value[key]?.stringValue
        else { return nil }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let field: Field
        switch parts.count {
        case 2: field = .image
        case 3:
            guard let named = Field(rawValue: parts[2]), named != .image else {
                throw ImageAutomationError(.setter, "setter \"\(value)\" ends in \(parts[2]); expected :tag, :name or :digest", subject: location)
            }
            field = named
        default:
            throw ImageAutomationError(.setter, "setter \"\(value)\" is not NAMESPACE:NAME[:tag|:name|:digest]", subject: location)
        }
        guard !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ImageAutomationError(.setter, "setter \"\(value)\" has an empty namespace or name", subject: location)
        }
        return SetterMarker(policy: parts[0] + ":" + parts[1], field: field)
    }
}

/// The image a policy selected: what its setters write.
public struct SelectedImage: Sendable, Hashable {
    /// The repository as the policy names it (`ghcr.io/org/app`).
    public var name: String
    /// The selected tag.
    public var tag: String
    /// The digest of the selected tag, when digests are pinned.
    public var digest: String?

    /// Creates a selection.
    public init(name: String, tag: String, digest: String? = nil) {
        self.name = name
        self.tag = tag
        self.digest = digest
    }

    /// What a marker of `field` writes; `nil` for `:digest` when no digest is known.
    public func value(for field: SetterMarker.Field) -> String? {
        switch field {
        case .image: name + ":" + tag + (digest.map { "@" + $0 } ?? "")
        case .name: name
        case .tag: tag
        case .digest: digest
        }
    }
}
