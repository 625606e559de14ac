import Helm
import Manifests

/// Renders a kustomization natively, with kustomize v5 semantics: the same objects, in the
/// same (legacy) order, as `kustomize build`.
///
/// Every file is read through the `SecureRoot`, and, like kustomize's load restrictor, a
/// kustomization may read files only inside its own directory (bases in other directories
/// are fine: they read inside theirs). `helmCharts` render with Keelson's own Helm engine from
/// charts vendored in the chart home; remote bases, plugins and chart pulls are refused.
///
/// ```swift
/// let root = try SecureRoot(directory: checkout)
/// let result = try Kustomizer().render(root, path: "apps/web/overlays/prod")
/// ```
public struct Kustomizer: Sendable {
    /// The YAML reader and its limits.
    public var decoder: YAMLDecoder
    /// The deepest chain of bases, overlays and components accepted.
    public var maximumDepth: Int
    /// The most bytes of key and scalar text the render may add up to: every file it decodes,
    /// each time a base is included, and every kustomization's output after its transformers
    /// (a patch or replacement copied onto many targets counts once per copy).
    public var maximumRenderBytes: Int
    /// Where `helmCharts` templates draw randomness and the time from.
    public var helm: KustomizeHelmOptions = KustomizeHelmOptions()
    /// Fields laid over the kustomization, as an overlay naming it as its one resource.
    public var overlay: KustomizeOverlay?

    /// Creates a renderer.
    public init(
        decoder: YAMLDecoder = YAMLDecoder(), maximumDepth: Int = 64,
        maximumRenderBytes: Int = DirectoryRenderer.defaultMaximumRenderBytes
    ) {
        self.decoder = decoder
        self.maximumDepth = maximumDepth
        self.maximumRenderBytes = maximumRenderBytes
    }

    /// The kustomization file in `directory`, if there is exactly one.
    public static func kustomizationFile(in directory: String, root: SecureRoot) throws(RenderError) -> String? {
        let prefix = directory == "." ? "" : directory + "/"
        let entries: [SecureRoot.Entry]
        do { entries = try root.list(directory) } catch { throw RenderError(error) }
        let found = Kustomization.fileNames.filter { name in entries.contains { $0.name == name } }
        if found.count > 1 {
            throw RenderError(.kustomization, "\(directory): found multiple kustomization files: \(found.joined(separator: ", "))")
        }
        return found.first.map { prefix + $0 }
    }

    /// Renders the kustomization in the directory `path` (relative to the root).
    public func render(_ root: SecureRoot, path: String = ".") throws(RenderError) -> RenderResult {
        if let overlay {
            let directory = SecureRoot.components(path).joined(separator: "/")
            return try render(root, directory: directory.isEmpty ? "." : directory, overlay: overlay)
        }
        var build = Build(
            root: root, decoder: decoder, maximumDepth: maximumDepth,
            budget: DirectoryRenderer.renderBudget(maximumRenderBytes, owner: "Kustomizer"))
        build.helm = helm
        let directory = SecureRoot.components(path).joined(separator: "/")
        var set = try build.accumulate(directory: directory.isEmpty ? "." : directory, into: nil, isComponent: false, depth: 0)
        try build.finish(&set)
        try build.checkSize(set, of: directory.isEmpty ? "." : directory)
        var resources = build.order.sorted(set.resources)
        build.metadata.add(to: &resources, top: directory.isEmpty ? "." : directory)
        let manifests = try resources.map { resource throws(RenderError) in
            Manifest(unchecked: resource.object, source: SourceLocation(file: resource.source))
        }
        return RenderResult(manifests: manifests, files: build.files)
    }
}

/// The state of one render: the root, the files read, and build-wide settings.
struct Build {
    let root: SecureRoot
    let decoder: YAMLDecoder
    let maximumDepth: Int
    var files: [String] = []
    /// The custom OpenAPI schema in force, if an `openapi` field gave one.
    var schema: CustomSchema?
    /// The bytes every decoded file of the render has expanded to, against the render limit.
    var budget: ExpansionBudget
    /// How `helmCharts` render.
    var helm = KustomizeHelmOptions()
    /// The output order, from the top kustomization's `sortOptions`.
    var order = OutputOrder.legacy(LegacyOrder())
    /// What the top kustomization's `buildMetadata` adds to every object.
    var metadata = BuildMetadata()
    /// The directories of the kustomizations being built, outermost first.
    var visiting: [String] = []

    init(root: SecureRoot, decoder: YAMLDecoder, maximumDepth: Int, budget: ExpansionBudget) {
        self.root = root
        self.decoder = decoder
        self.maximumDepth = maximumDepth
        self.budget = budget
    }

    /// Refuses a kustomization whose output (after its transformers) passes the render limit:
    /// copies made without decoding (bases included twice, patches on many targets) count here.
    func checkSize(_ set: ResourceSet, of directory: String) throws(RenderError) {
        var total = 0
        for resource in set.resources {
            total += JSONValue.object(resource.object).textByteCount
            if total > budget.limit {
                throw RenderError(.tooLarge, "\(directory): the kustomization's objects add up to \(budget.exceeded)")
            }
        }
    }

    /// Reads a file, recording it.
    mutating func read(_ path: String) throws(RenderError) -> [UInt8] {
        do {
            let bytes = try root.read(path)
            files.append(path)
            return bytes
        } catch {
            throw RenderError(error)
        }
    }

    /// Reads a file that `kustomization` names in `field`, refusing files outside its
    /// directory as kustomize's load restrictor does.
    mutating func read(_ relative: String, for kustomization: Kustomization, field: String) throws(RenderError) -> [UInt8] {
        let path = kustomization.path(relative)
        try checkInside(path, kustomization: kustomization, field: field)
        return try read(path)
    }

    func checkInside(_ path: String, kustomization: Kustomization, field: String) throws(RenderError) {
        if relativeIsRemote(path) {
            throw kustomization.error(field, "remote resource '\(path)' is not supported", code: .unsupported)
        }
        do {
            let base = try root.resolve(kustomization.directory)
            let target = try root.resolve(path)
            guard target.starts(with: base) else {
                throw kustomization.error(
                    field, "security; file '\(path)' is not in or below '\(kustomization.directory)'", code: .read)
            }
        } catch let error as SecureRootError {
            throw kustomization.error(field, error.description, code: .read)
        } catch {
            throw error as! RenderError
        }
    }

    func relativeIsRemote(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return ["http://", "https://", "git@", "ssh://", "git::", "github.com/", "gitlab.com/", "bitbucket.org/", "oci://"]
            .contains { lowered.hasPrefix($0) || lowered.contains("/" + $0) }
    }

    /// Loads and parses the kustomization in `directory`.
    mutating func load(directory: String) throws(RenderError) -> Kustomization {
        guard let file = try Kustomizer.kustomizationFile(in: directory, root: root) else {
            throw RenderError(
                .kustomization,
                "\(directory): unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory")
        }
        let bytes = try read(file)
        guard budget.spend(bytes.count) else { throw RenderError(.tooLarge, "\(file): the files read add up to \(budget.exceeded)") }
        let text = String(decoding: bytes, as: UTF8.self)
        // kustomize reads its kustomization through sigs.k8s.io/yaml: go-yaml v2's YAML 1.1
        // scalars, a repeated key keeping its last value, the first document only.
        let value: JSONValue?
        do { value = try HelmYAML.decodeJSON(text) } catch { throw RenderError(.kustomization, "\(file): \(error.message)") }
        var kustomization = try Kustomization(file: file, directory: directory, value: value ?? .object([:]))
        kustomization.text = text
        return kustomization
    }

    /// Builds the kustomization in `directory`. A component adds to its parent's set and runs
    /// its transformers over everything accumulated so far; a base builds its own set.
    /// `inheritedNamespace` is the nearest enclosing kustomization's `namespace`, the release
    /// namespace of charts that name none (kustomize v5.8 passes it down to `helmCharts`).
    mutating func accumulate(
        directory: String, into parent: ResourceSet?, isComponent: Bool, depth: Int, inheritedNamespace: String = ""
    ) throws(RenderError) -> ResourceSet {
        guard depth < maximumDepth else {
            throw RenderError(.kustomization, "\(directory): kustomizations nested deeper than \(maximumDepth) levels (a cycle?)")
        }
        visiting.append(directory)
        defer { visiting.removeLast() }
        let kustomization = try load(directory: directory)
        try loadSchema(kustomization, isTop: depth == 0)
        if depth == 0 {
            order = try OutputOrder(kustomization)
            metadata = try BuildMetadata(kustomization)
        }
        if isComponent && !kustomization.isComponent {
            throw RenderError(.kustomization, "\(kustomization.file): expected kind 'Component' for path '\(directory)'")
        }
        // A Component may be built directly (as the top kustomization), never included as a resource.
        if !isComponent && kustomization.isComponent && depth > 0 {
            throw RenderError(.kustomization, "\(kustomization.file): expected kind != 'Component' for path '\(directory)'")
        }
        var set = parent ?? ResourceSet()
        let ownNamespace = try kustomization.string("namespace")
        let namespace = ownNamespace.isEmpty ? inheritedNamespace : ownNamespace
        for path in try kustomization.resourcePaths() {
            try accumulateResource(path, of: kustomization, into: &set, depth: depth, namespace: namespace)
        }
        try loadConfigurations(kustomization, into: &set)
        try runGenerators(kustomization, into: &set, namespace: namespace)
        try runGeneratorPlugins(kustomization, into: &set, namespace: namespace, depth: depth)
        for path in try kustomization.strings("components") {
            let target = kustomization.path(path)
            if relativeIsRemote(path) { throw kustomization.error("components", "remote component '\(path)' is not supported", code: .unsupported) }
            try checkNotVisited(normalize(target), from: kustomization, field: "components", path: path)
            set = try accumulate(directory: normalize(target), into: set, isComponent: true, depth: depth + 1, inheritedNamespace: namespace)
        }
        try runTransformers(kustomization, on: &set)
        try runTransformerPlugins(kustomization, on: &set, depth: depth)
        try collectVars(kustomization, into: &set)
        try checkSize(set, of: directory)
        return set
    }

    /// Adds one entry of `resources` (or of another list `field` read like it): a file of objects,
    /// or a directory with a kustomization.
    mutating func accumulateResource(
        _ path: String, of kustomization: Kustomization, field: String = "resources", into set: inout ResourceSet, depth: Int,
        namespace: String
    ) throws(RenderError) {
        if relativeIsRemote(path) {
            throw kustomization.error(field, "remote resource '\(path)' is not supported", code: .unsupported)
        }
        let target = normalize(kustomization.path(path))
        let isDirectory: Bool
        do { isDirectory = try root.isDirectory(target) } catch {
            throw kustomization.error(field, "'\(path)': \(error.message)", code: .read, cause: error)
        }
        if isDirectory {
            try checkNotVisited(target, from: kustomization, field: field, path: path)
            let base = try accumulate(directory: target, into: nil, isComponent: false, depth: depth + 1, inheritedNamespace: namespace)
            try set.append(contentsOf: base)
            return
        }
        let bytes = try read(path, for: kustomization, field: field)
        try set.append(contentsOf: try objects(bytes, file: target))
    }

    /// kustomize's loader refuses a directory that is, or contains, one being built: a base in
    /// `..` of its overlay, or a cycle.
    func checkNotVisited(_ target: String, from kustomization: Kustomization, field: String, path: String) throws(RenderError) {
        guard let visited = visiting.last(where: { target == "." || $0 == target || $0.hasPrefix(target + "/") }) else { return }
        throw kustomization.error(field, "'\(path)': cycle detected: candidate root '\(target)' contains visited root '\(visited)'")
    }

    /// Parses a file of objects into resources, spending what they expand to from the budget.
    mutating func objects(_ bytes: [UInt8], file: String) throws(RenderError) -> [KResource] {
        let manifests: [Manifest]
        do {
            // kustomize takes an object without apiVersion (its group and version are then empty).
            manifests = try Manifest.objects(from: decoder.decode(bytes, file: file, budget: &budget), requiringAPIVersion: false)
        } catch { throw RenderError(error) }
        return manifests.map { manifest in
            var resource = KResource(object: manifest.object, source: manifest.source?.description ?? file)
            resource.origin = .file(file)
            return resource
        }
    }

    /// `a/b/../c` → `a/c`, without resolving symlinks (the root does that when reading).
    func normalize(_ path: String) -> String {
        var parts: [String] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(String(part)) }
        }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// The steps kustomize runs once, after the whole tree is accumulated.
    mutating func finish(_ set: inout ResourceSet) throws(RenderError) {
        try addHashes(&set)
        try fixNameReferences(&set)
        try resolveVars(&set)
        set.resources.removeAll { $0.stringMap("annotations")["config.kubernetes.io/local-config"]?.stringValue == "true" }
        for index in set.indices { set.resources[index].stringifyAnnotations() }
    }
}

/// `buildMetadata` of the top kustomization (those of bases and components are not read, as in
/// kustomize): the origin annotation and the managed-by label on every object.
struct BuildMetadata {
    /// `config.kubernetes.io/origin`: the file an object was read from, or the generator that made it.
    var originAnnotations = false
    /// `app.kubernetes.io/managed-by`, naming the kustomize version Keelson matches.
    var managedByLabel = false

    /// The value kustomize v5.8.1 writes in the managed-by label.
    static let managedBy = "kustomize-v5.8.1"

    init() {}

    init(_ kustomization: Kustomization) throws(RenderError) {
        let options = try kustomization.strings("buildMetadata")
        if options.contains("transformerAnnotations") {
            throw kustomization.error(
                "buildMetadata", "transformerAnnotations (alpha.config.kubernetes.io/transformations) is not supported", code: .unsupported)
        }
        // kustomize ignores values it does not know.
        originAnnotations = options.contains("originAnnotations")
        managedByLabel = options.contains("managedByLabel")
    }

    /// Adds the annotation and the label to `resources`; origin paths are relative to `top`, the
    /// built kustomization's directory.
    func add(to resources: inout [KResource], top: String) {
        guard originAnnotations || managedByLabel else { return }
        for index in resources.indices {
            if originAnnotations, let origin = resources[index].origin {
                var annotations = resources[index].stringMap("annotations")
                annotations["config.kubernetes.io/origin"] = .string(origin.annotation(relativeTo: top))
                resources[index].setMetadata("annotations", .object(annotations))
            }
            if managedByLabel {
                var labels = resources[index].stringMap("labels")
                labels["app.kubernetes.io/managed-by"] = .string(Self.managedBy)
                resources[index].setMetadata("labels", .object(labels))
            }
        }
    }
}
