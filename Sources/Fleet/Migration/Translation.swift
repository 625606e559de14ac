import Manifests

/// How Argo CD and Flux objects are placed when translated into Keelson objects.
///
/// ```swift
/// var options = TranslationOptions()
/// options.clusters = ["https://10.0.0.1:6443": "staging"]
/// let translation = ArgoCDTranslation.translate(manifests, options: options)
/// ```
public struct TranslationOptions: Sendable {
    /// The controller's namespace: where Projects go, and Applications from a control-plane namespace.
    public var controllerNamespace: String = "keelson"
    /// API server URL → the name of a cluster registered with Keelson (`keelson cluster add`).
    public var clusters: [String: String] = [:]
    /// When set, every Application goes here instead of its own namespace.
    public var applicationNamespace: String? = nil
    /// The namespaces of Argo CD's and Flux's own control planes (`argocd`, `flux-system`), whose
    /// objects act with the tool's full rights: their Applications go to `controllerNamespace`,
    /// the one namespace whose Applications Keelson lets use every Project without opting in.
    public var controlPlaneNamespaces: Set<String> = ["argocd", "flux-system"]

    /// Creates the default options.
    public init() {}

    /// The namespace the Keelson Application translated from an object in `namespace` lives in.
    func applicationNamespace(for namespace: String) -> String {
        if let applicationNamespace { return applicationNamespace }
        if namespace.isEmpty || controlPlaneNamespaces.contains(namespace) { return controllerNamespace }
        return namespace
    }
}

/// One field of an Argo CD or Flux object that was not carried over, and why.
public struct Unsupported: Sendable, Hashable, CustomStringConvertible {
    /// The object: `argoproj.io/Application argocd/guestbook`.
    public var object: String
    /// The field: `spec.source.plugin`.
    public var field: String
    /// Why, and what Keelson does instead.
    public var reason: String

    /// Creates an entry.
    public init(object: String, field: String, reason: String) {
        self.object = object
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(object): \(field): \(reason)" }
}

/// An object that could not be translated at all, naming the object and the field.
public struct TranslationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The object: `kustomize.toolkit.fluxcd.io/Kustomization flux-system/apps`.
    public var object: String
    /// The field that stopped the translation: `spec.sourceRef`.
    public var field: String
    /// What is wrong.
    public var message: String

    /// Creates a failure.
    public init(object: String, field: String, message: String) {
        self.object = object
        self.field = field
        self.message = message
    }

    public var description: String { "\(object): \(field): \(message)" }
}

/// The Keelson objects translated from a set of Argo CD or Flux objects, with a report of
/// everything that was not carried over.
public struct Translation: Sendable {
    /// The Keelson objects: Projects, then Applications, each by namespace and name. Each
    /// parses with `Project(_:)` or `Application(_:)`.
    public var objects: [Manifest] = []
    /// Fields not carried over, object by object in input order.
    public var unsupported: [Unsupported] = []
    /// Objects that could not be translated at all.
    public var failures: [TranslationFailure] = []

    /// Creates an empty translation.
    public init() {}

    /// Creates a translation.
    public init(objects: [Manifest], unsupported: [Unsupported], failures: [TranslationFailure]) {
        self.objects = objects
        self.unsupported = unsupported
        self.failures = failures
    }
}

/// The annotation every translated object carries, naming what it was translated from.
public enum TranslatedFrom {
    /// `keelson.dev/translated-from`.
    public static let annotation = "keelson.dev/translated-from"

    /// `<group>/<Kind> <namespace>/<name>`, how reports name an input object.
    public static func name(of manifest: Manifest) -> String {
        "\(manifest.group)/\(manifest.kind) \(manifest.namespace.isEmpty ? "" : manifest.namespace + "/")\(manifest.name)"
    }
}
