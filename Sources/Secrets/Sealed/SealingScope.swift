/// How far a sealed value may travel: the scope is bound into every value through the RSA-OAEP
/// label, so a value sealed for one name or namespace does not decrypt under another.
public enum SealingScope: String, Sendable, Hashable, CaseIterable {
    /// Bound to one namespace and name (label `namespace/name`), the default.
    case strict
    /// Bound to one namespace, any name (label `namespace`).
    case namespaceWide = "namespace-wide"
    /// Valid under any name in any namespace (empty label).
    case clusterWide = "cluster-wide"

    /// The annotation that marks a namespace-wide SealedSecret (and Secret to seal).
    public static let namespaceWideAnnotation = "sealedsecrets.bitnami.com/namespace-wide"
    /// The annotation that marks a cluster-wide SealedSecret (and Secret to seal).
    public static let clusterWideAnnotation = "sealedsecrets.bitnami.com/cluster-wide"

    /// The scope annotated on an object; cluster-wide wins over namespace-wide, as in Bitnami's controller.
    public init(annotations: [String: String]) {
        if annotations[Self.clusterWideAnnotation] == "true" {
            self = .clusterWide
        } else if annotations[Self.namespaceWideAnnotation] == "true" {
            self = .namespaceWide
        } else {
            self = .strict
        }
    }

    /// The OAEP label of an object named `name` in `namespace` under this scope.
    public func label(namespace: String, name: String) -> [UInt8] {
        switch self {
        case .strict: Array("\(namespace)/\(name)".utf8)
        case .namespaceWide: Array(namespace.utf8)
        case .clusterWide: []
        }
    }

    /// `annotations` with the scope annotations set to say this scope (and the other one removed).
    public func annotating(_ annotations: [String: String]) -> [String: String] {
        var annotations = annotations
        annotations[Self.namespaceWideAnnotation] = nil
        annotations[Self.clusterWideAnnotation] = nil
        switch self {
        case .strict: break
        case .namespaceWide: annotations[Self.namespaceWideAnnotation] = "true"
        case .clusterWide: annotations[Self.clusterWideAnnotation] = "true"
        }
        return annotations
    }
}
