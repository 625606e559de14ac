import Manifests

/// Why a render failed, naming the file (and line) involved.
public struct RenderError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// A file could not be read (refused by the root, missing, too large).
        case read
        /// A file is not valid YAML/JSON or holds something that is not a Kubernetes object.
        case parse
        /// Two documents define the same object.
        case duplicateObject
        /// The path needs a renderer Keelson does not have yet, or a kustomization uses a
        /// feature Keelson refuses (remote bases, plugins, pulling Helm charts).
        case unsupported
        /// A kustomization file is malformed or one of its fields is invalid.
        case kustomization
        /// A kustomize transformation (patch, replacement, generator merge) cannot be applied.
        case transform
        /// The render expands to more bytes than its limit (aliases or kustomize copies).
        case tooLarge
        /// A chart of a kustomization's `helmCharts` failed to load, take its values or render (Helm's text).
        case helm
    }

    /// What kind of failure this is.
    public var code: Code
    /// `file:line: message`, relative to the render root.
    public var message: String
    /// The underlying error, when there is one.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }

    init(_ error: SecureRootError) { self.init(.read, error.description, cause: error) }
    init(_ error: ManifestError) { self.init(error.code == .tooLarge ? .tooLarge : .parse, error.description, cause: error) }
}

/// The outcome of a render: the objects in apply order and the files they came from.
public struct RenderResult: Sendable {
    /// The objects: in apply order for a plain directory, in kustomize's order for a kustomization.
    public var manifests: [Manifest]
    /// Every file the render read, relative to the root, in the order read.
    public var files: [String]

    /// Creates a result.
    public init(manifests: [Manifest], files: [String]) {
        self.manifests = manifests
        self.files = files
    }
}

/// Renders a directory of plain YAML/JSON manifests: every matching file, recursively; a
/// directory with a kustomization file at its top renders through `Kustomizer` instead.
///
/// Hidden files and directories (names starting with `.`, such as `.git`) are skipped.
/// Empty and comment-only documents are skipped; kinds ending in `List` are flattened.
public struct DirectoryRenderer: Sendable {
    /// File patterns to read (default: `*.yaml`, `*.yml`, `*.json`).
    public var include: [Glob]
    /// File patterns to skip even when included.
    public var exclude: [Glob]
    /// Whether to descend into subdirectories.
    public var recurse: Bool
    /// The YAML reader and its limits (among them the bytes one document may expand to).
    public var decoder: YAMLDecoder
    /// The most bytes of key and scalar text all objects of one render may add up to, aliases
    /// and kustomize's copies counted at their expanded size (default 100 MiB).
    public var maximumRenderBytes: Int
    /// Where a kustomization's `helmCharts` templates draw randomness and the time from.
    public var helm = KustomizeHelmOptions()
    /// Kustomization fields laid over what the path renders, a kustomization or plain files alike.
    public var overlay: KustomizeOverlay?

    /// The default include patterns.
    public static let defaultInclude = ["*.yaml", "*.yml", "*.json"]
    /// The default `maximumRenderBytes`: what a `SecureRoot` lets one render read, so only
    /// expansion (aliases, bases included many times, patches on many targets) can pass it;
    /// about 35 objects at the API server's 3 MiB request limit, far beyond any real application.
    public static let defaultMaximumRenderBytes = SecureRoot.Limits().maximumTotalBytes

    /// Creates a renderer.
    public init(
        include: [Glob]? = nil, exclude: [Glob] = [], recurse: Bool = true, decoder: YAMLDecoder = YAMLDecoder(),
        maximumRenderBytes: Int = DirectoryRenderer.defaultMaximumRenderBytes
    ) {
        self.include = include ?? Self.defaultInclude.map { try! Glob($0) }
        self.exclude = exclude
        self.recurse = recurse
        self.decoder = decoder
        self.maximumRenderBytes = maximumRenderBytes
    }

    /// A fresh budget for one render, named in errors.
    static func renderBudget(_ limit: Int, owner: String) -> ExpansionBudget {
        ExpansionBudget(limit: limit, name: "the render limit (\(owner).maximumRenderBytes)")
    }

    /// Renders `path` (a directory or a single file, relative to the root).
    public func render(_ root: SecureRoot, path: String = ".") throws(RenderError) -> RenderResult {
        var files: [String] = []
        // A directory with a kustomization renders through Kustomize, as Argo CD and Flux do.
        if (try? root.isDirectory(path)) == true, try Kustomizer.kustomizationFile(in: path, root: root) != nil {
            var kustomizer = Kustomizer(decoder: decoder, maximumRenderBytes: maximumRenderBytes)
            kustomizer.helm = helm
            kustomizer.overlay = overlay
            return try kustomizer.render(root, path: path)
        }
        do {
            if try root.isDirectory(path) {
                try collect(root, directory: path, into: &files, visited: [])
            } else {
                files = [path]
            }
        } catch {
            throw RenderError(error)
        }
        if let kustomization = files.first(where: { Self.isKustomization(String($0.split(separator: "/").last ?? "")) }) {
            throw RenderError(
                .unsupported, "\(kustomization): a nested kustomization inside a plain directory; render its directory instead")
        }
        var manifests: [Manifest] = []
        var seen: [ResourceKey: SourceLocation] = [:]
        var budget = Self.renderBudget(maximumRenderBytes, owner: "DirectoryRenderer")
        for file in files {
            let bytes: [UInt8]
            do { bytes = try root.read(file) } catch { throw RenderError(error) }
            let objects: [Manifest]
            do {
                objects = try Manifest.objects(from: decoder.decode(bytes, file: file, budget: &budget))
            } catch { throw RenderError(error) }
            for object in objects {
                let location = object.source ?? SourceLocation(file: file)
                if let first = seen.updateValue(location, forKey: object.key) {
                    throw RenderError(.duplicateObject, "\(location): \(object.key) is already defined at \(first)")
                }
                manifests.append(object)
            }
        }
        if let overlay {
            let kustomizer = Kustomizer(decoder: decoder, maximumRenderBytes: maximumRenderBytes)
            return RenderResult(manifests: try kustomizer.apply(overlay, to: manifests), files: files)
        }
        return RenderResult(manifests: ApplyOrder.sorted(manifests), files: files)
    }

    private func collect(
        _ root: SecureRoot, directory: String, into files: inout [String], visited: Set<[String]>
    ) throws(SecureRootError) {
        let canonical = try root.resolve(directory)
        guard !visited.contains(canonical) else { return }  // a symlinked directory already walked
        let visited = visited.union([canonical])
        let prefix = directory == "." ? "" : directory + "/"
        for entry in try root.list(directory) where !entry.name.hasPrefix(".") {
            let path = prefix + entry.name
            var type = entry.type
            if type == .symlink {
                // Resolving refuses links that leave the root, before anything is read.
                type = try root.isDirectory(path) ? .directory : .file
            }
            switch type {
            case .directory where recurse:
                try collect(root, directory: path, into: &files, visited: visited)
            case .file where include.contains(where: { $0.matches(path) }) && !exclude.contains(where: { $0.matches(path) }):
                files.append(path)
            default:
                continue
            }
        }
    }

    static func isKustomization(_ name: String) -> Bool {
        ["kustomization.yaml", "kustomization.yml", "Kustomization"].contains(name)
    }
}
