import ArgumentParser
import Foundation
import Helm
import Manifests
import Render
import Secrets

/// Options shared by commands that render a path.
struct RenderOptions: ParsableArguments {
    @Option(name: .customLong("include"), help: "Only read files matching this glob (repeatable; default *.yaml, *.yml, *.json).")
    var include: [String] = []

    @Option(name: .customLong("exclude"), help: "Skip files matching this glob (repeatable).")
    var exclude: [String] = []

    @Option(name: .customLong("max-file-size"), help: "Largest file to read, e.g. 10Mi.")
    var maxFileSize: ByteSize = ByteSize(bytes: SecureRoot.Limits().maximumFileBytes)

    @Option(name: .customLong("max-total-size"), help: "Most bytes one render may read, e.g. 100Mi.")
    var maxTotalSize: ByteSize = ByteSize(bytes: SecureRoot.Limits().maximumTotalBytes)

    @Option(name: .customLong("root"), help: "The directory reads may not leave (default: the enclosing Git work tree, else PATH).")
    var root: String?

    @Option(
        name: .customLong("decrypt-identity"),
        help: "Decrypt SOPS-encrypted files while rendering, with the age identities in this file (repeatable). Plaintext stays in memory.")
    var decryptIdentities: [String] = []

    func validate() throws {
        for pattern in include + exclude {
            do { _ = try Glob(pattern) } catch { throw ValidationError("bad pattern \(error)") }
        }
    }

    /// Renders `path` after unwrapping, with Vault and AWS credentials from the environment (as
    /// sops reads them), the Vault- and KMS-wrapped data keys of the SOPS files under its root.
    func renderUnwrapping(_ path: String) async throws -> RenderResult {
        let top = root ?? Self.enclosingWorkTree(path) ?? path
        var isDirectory: ObjCBool = false
        let folder =
            FileManager.default.fileExists(atPath: top, isDirectory: &isDirectory) && !isDirectory.boolValue
            ? URL(fileURLWithPath: top).deletingLastPathComponent().path : top
        let wrapped = SOPS.wrappedKeys(inDirectory: folder)
        guard !wrapped.isEmpty else { return try render(path) }
        let credentials = try SOPSCredentials.environment()
        return try render(path, keys: await SOPS.unwrap(wrapped, credentials: credentials, identities: try identities()))
    }

    /// Renders `path`: a directory (the root) or a single file (its directory is the root).
    func render(_ path: String) throws -> RenderResult {
        try render(path, keys: SOPSKeyRing(identities: try identities()))
    }

    /// Renders `path` decrypting SOPS files with `keys`.
    func render(_ path: String, keys: SOPSKeyRing) throws -> RenderResult {
        let include = try self.include.map { try Glob($0) }
        let exclude = try self.exclude.map { try Glob($0) }
        let renderer = DirectoryRenderer(include: include.isEmpty ? nil : include, exclude: exclude)
        let limits = SecureRoot.Limits(maximumFileBytes: maxFileSize.bytes, maximumTotalBytes: maxTotalSize.bytes)
        // A file renders alone, with its directory as the root it may not leave.
        var isDirectory: ObjCBool = false
        var rootPath = path
        var relative = "."
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RenderError(.read, "\(path): no such file or directory")
        }
        if !isDirectory.boolValue {
            let url = URL(fileURLWithPath: path)
            relative = url.lastPathComponent
            rootPath = url.deletingLastPathComponent().path
        }
        // Overlays name bases with `../`: the root is the repository, not the overlay.
        if let top = self.root ?? Self.enclosingWorkTree(rootPath) {
            let base = URL(fileURLWithPath: top).standardizedFileURL.resolvingSymlinksInPath().pathComponents
            let target = URL(fileURLWithPath: rootPath).standardizedFileURL.resolvingSymlinksInPath().pathComponents
            guard target.starts(with: base) else { throw ValidationError("\(path) is not inside the root \(top)") }
            let inside = target.dropFirst(base.count).joined(separator: "/")
            relative = relative == "." ? (inside.isEmpty ? "." : inside) : (inside.isEmpty ? relative : inside + "/" + relative)
            rootPath = top
        }
        let decrypter = SOPSFileDecrypter(keys: keys)
        // Always installed: an encrypted file without keys is refused, never applied as is.
        let root = try SecureRoot(directory: rootPath, limits: limits) { path, bytes in try decrypter.decrypt(path: path, bytes: bytes) }
        // A chart directory renders as `helm template` would, the directory's name as release name.
        if isDirectory.boolValue, (try? root.read(relative == "." ? "Chart.yaml" : relative + "/Chart.yaml")) != nil {
            return try Self.renderChart(root, path: relative, release: URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent)
        }
        do {
            return try renderer.render(root, path: relative)
        } catch {
            throw Self.namingTheRoot(error, root: rootPath, path: path, defaulted: self.root == nil)
        }
    }

    /// A read that left the root, with the root named and, when it was PATH itself (no Git work
    /// tree around it, no `--root`), how to widen it: an overlay's `../` bases leave PATH.
    static func namingTheRoot(_ error: RenderError, root: String, path: String, defaulted: Bool) -> RenderError {
        guard defaulted, (error.cause as? SecureRootError)?.code == .escapesRoot else { return error }
        return RenderError(
            error.code,
            "\(error.message) \(root) (\(path) is in no Git work tree, so it is its own root; --root DIR lets reads reach anything under DIR)",
            cause: error.cause)
    }

    /// Renders the chart at `path` inside `root` with its default values, as an install.
    static func renderChart(_ root: SecureRoot, path: String, release: String) throws -> RenderResult {
        let chart = try ChartLoader.load(directory: root, path: path)
        let rendered = try ChartRenderer(options: .init(release: ReleaseInfo(name: release))).render(chart, values: [:])
        return RenderResult(manifests: try rendered.objects(for: .install), files: [])
    }

    /// The age identities of `--decrypt-identity`.
    func identities() throws -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for file in decryptIdentities {
            guard let data = FileManager.default.contents(atPath: file) else { throw RenderError(.read, "\(file): cannot read the identity file") }
            identities += try AgeIdentity.parseFile(String(decoding: data, as: UTF8.self), source: file)
        }
        return identities
    }

    /// The nearest directory at or above `path` holding `.git`.
    static func enclosingWorkTree(_ path: String) -> String? {
        var url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url.path }
            url.deleteLastPathComponent()
        }
        return nil
    }
}

/// A byte count written as a number with an optional `Ki`, `Mi` or `Gi` suffix.
struct ByteSize: ExpressibleByArgument {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let units: [(String, Int)] = [("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10), ("", 1)]
        for (suffix, scale) in units where argument.hasSuffix(suffix) {
            guard let value = Int(argument.dropLast(suffix.count)), value > 0 else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: scale)
            guard !overflow else { return nil }
            bytes = product
            return
        }
        return nil
    }

    var defaultValueDescription: String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20)Mi" : "\(bytes)"
    }
}
