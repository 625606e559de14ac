import Crypto
import Foundation
import Manifests

/// What `keelson image build` appends to a base image: one reproducible layer of files and the
/// settings of the image's config (entrypoint, command, environment, labels, user, directory).
public struct ImageBuildSpec: Sendable {
    /// Local files or directories and where each goes in the image (`/usr/local/bin/keelson`).
    public var additions: [(source: String, destination: String)] = []
    public var entrypoint: [String]?
    public var command: [String]?
    /// `KEY=VALUE`, replacing a base entry of the same key.
    public var environment: [String] = []
    public var labels: [(String, String)] = []
    public var user: String?
    public var workingDirectory: String?
    /// The platform taken from a multi-platform base, and written for a scratch one.
    public var os = "linux"
    public var architecture = "amd64"

    /// An empty build.
    public init() {}
}

/// An image as blobs: the manifest, the config and every layer, addressed by digest.
public struct BuiltImage: Sendable {
    public static let manifestType = "application/vnd.oci.image.manifest.v1+json"
    public static let configType = "application/vnd.oci.image.config.v1+json"
    public static let layerType = "application/vnd.oci.image.layer.v1.tar"

    /// The manifest's bytes and digest.
    public var manifest: [UInt8]
    public var digest: String
    /// Every blob the manifest names (config and layers), by digest.
    public var blobs: [String: [UInt8]]
}

/// A base image read from a registry or an OCI layout: its config and layers, in order.
public struct BaseImage: Sendable {
    public var config: JSONValue
    /// Each layer's descriptor (media type, digest, size) and bytes.
    public var layers: [(descriptor: JSONValue, bytes: [UInt8])]

    /// No base: an empty config for `os`/`architecture`.
    public static func scratch(os: String, architecture: String) -> BaseImage {
        BaseImage(
            config: [
                "architecture": .string(architecture), "os": .string(os), "config": [:], "rootfs": ["type": "layers", "diff_ids": []], "history": [],
            ], layers: [])
    }
}

/// Builds images as `ko` and `crane append` do: no Docker, no build steps run, only files added
/// as one layer whose tar is written deterministically (sorted entries, time 0, owner 0), so
/// the same inputs give the same digest.
public enum ImageBuilder {
    /// The largest layer built, 4 GiB.
    public static let maximumLayerBytes = 4 << 30

    /// The image `spec` makes of `base`.
    public static func build(_ spec: ImageBuildSpec, on base: BaseImage) throws(RegistryError) -> BuiltImage {
        let layer = TarWriter.archive(try entries(spec.additions))
        guard layer.count <= maximumLayerBytes else { throw RegistryError(.build, "the layer would exceed 4 GiB", subject: "build") }
        let layerDigest = RegistryClient.sha256(layer)
        var config = base.config.objectValue ?? [:]
        var settings = config["config"]?.objectValue ?? [:]
        if let entrypoint = spec.entrypoint { settings["Entrypoint"] = .array(entrypoint.map(JSONValue.string)) }
        if let command = spec.command { settings["Cmd"] = .array(command.map(JSONValue.string)) }
        if !spec.environment.isEmpty {
            var environment = settings["Env"]?.arrayValue?.compactMap(\.stringValue) ?? []
            for entry in spec.environment {
                let key = entry.prefix { $0 != "=" }
                environment.removeAll { $0.prefix { $0 != "=" } == key }
                environment.append(entry)
            }
            settings["Env"] = .array(environment.map(JSONValue.string))
        }
        if !spec.labels.isEmpty {
            var labels = settings["Labels"]?.objectValue ?? [:]
            for (key, value) in spec.labels { labels[key] = .string(value) }
            settings["Labels"] = .object(labels)
        }
        if let user = spec.user { settings["User"] = .string(user) }
        if let directory = spec.workingDirectory { settings["WorkingDir"] = .string(directory) }
        config["config"] = .object(settings)
        config["created"] = "1970-01-01T00:00:00Z"
        var rootfs = config["rootfs"]?.objectValue ?? ["type": "layers"]
        rootfs["diff_ids"] = .array((rootfs["diff_ids"]?.arrayValue ?? []) + [.string(layerDigest)])
        config["rootfs"] = .object(rootfs)
        config["history"] = .array(
            (config["history"]?.arrayValue ?? []) + [["created": "1970-01-01T00:00:00Z", "created_by": "keelson image build"]])
        let configBytes = Array(JSONWriter.compact(.object(config)).utf8)
        let configDigest = RegistryClient.sha256(configBytes)

        var blobs = [configDigest: configBytes, layerDigest: layer]
        var layers: [JSONValue] = []
        for (descriptor, bytes) in base.layers {
            var descriptor = descriptor.objectValue ?? [:]
            descriptor["mediaType"] = .string(ociLayerType(descriptor["mediaType"]?.stringValue ?? ""))
            layers.append(.object(descriptor))
            if let digest = descriptor["digest"]?.stringValue { blobs[digest] = bytes }
        }
        layers.append(Self.descriptor(layerType: BuiltImage.layerType, digest: layerDigest, size: layer.count))
        let manifest: JSONValue = [
            "schemaVersion": 2, "mediaType": .string(BuiltImage.manifestType),
            "config": descriptor(layerType: BuiltImage.configType, digest: configDigest, size: configBytes.count), "layers": .array(layers),
        ]
        let manifestBytes = Array(JSONWriter.compact(manifest).utf8)
        return BuiltImage(manifest: manifestBytes, digest: RegistryClient.sha256(manifestBytes), blobs: blobs)
    }

    static func descriptor(layerType: String, digest: String, size: Int) -> JSONValue {
        ["mediaType": .string(layerType), "digest": .string(digest), "size": .number(JSONNumber(Int64(size)))]
    }

    /// A Docker layer media type's OCI name (the same bytes).
    static func ociLayerType(_ type: String) -> String {
        switch type {
        case "application/vnd.docker.image.rootfs.diff.tar.gzip": "application/vnd.oci.image.layer.v1.tar+gzip"
        case "application/vnd.docker.image.rootfs.diff.tar": BuiltImage.layerType
        default: type
        }
    }

    /// The tar entries of `additions`: each source file, or directory tree, under its
    /// destination, with the parent directories, in path order. Symbolic links are kept as links.
    static func entries(_ additions: [(source: String, destination: String)]) throws(RegistryError) -> [TarWriter.Entry] {
        var byPath: [String: TarWriter.Entry] = [:]
        func add(_ entry: TarWriter.Entry) {
            let components = entry.path.split(separator: "/")
            for depth in 1..<max(1, components.count) {
                let parent = components.prefix(depth).joined(separator: "/")
                if byPath[parent] == nil { byPath[parent] = .directory(path: parent, mode: 0o755) }
            }
            byPath[entry.path] = entry
        }
        let files = FileManager.default
        func walk(_ source: String, _ destination: String) throws(RegistryError) {
            let attributes: [FileAttributeKey: Any]
            do { attributes = try files.attributesOfItem(atPath: source) } catch {
                throw RegistryError(.build, "--add: cannot read \(source)", subject: "build")
            }
            let mode = (attributes[.posixPermissions] as? Int) ?? 0o644
            switch attributes[.type] as? FileAttributeType {
            case .typeSymbolicLink?:
                let target = (try? files.destinationOfSymbolicLink(atPath: source)) ?? ""
                add(.symlink(path: destination, target: target))
            case .typeDirectory?:
                add(.directory(path: destination, mode: mode))
                let children = ((try? files.contentsOfDirectory(atPath: source)) ?? []).sorted()
                for child in children { try walk(source + "/" + child, destination + "/" + child) }
            case .typeRegular?:
                guard let data = files.contents(atPath: source) else {
                    throw RegistryError(.build, "--add: cannot read \(source)", subject: "build")
                }
                add(.file(path: destination, mode: mode, contents: Array(data)))
            default:
                throw RegistryError(.build, "--add: \(source) is not a file, directory or symbolic link", subject: "build")
            }
        }
        for (source, destination) in additions {
            let path = destination.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
            guard !path.split(separator: "/").contains("..") else {
                throw RegistryError(.build, "--add: the destination \(destination) leaves the image's root", subject: "build")
            }
            if path.isEmpty {
                // The source's contents go to the image's root.
                for child in ((try? files.contentsOfDirectory(atPath: source)) ?? []).sorted() { try walk(source + "/" + child, child) }
            } else {
                try walk(source, path)
            }
        }
        return byPath.keys.sorted().compactMap { byPath[$0] }
    }
}
