import Foundation
import Manifests

/// Where images come from and go to besides a build: a base image from a registry (one platform
/// of a multi-platform index) or from an OCI image layout folder; a built image into an OCI
/// layout folder, or pushed to a registry.
extension ImageBuilder {
    static let indexTypes = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]
    static let manifestTypes = [BuiltImage.manifestType, "application/vnd.docker.distribution.manifest.v2+json"]
    /// The largest base layer read.
    static let maximumBaseLayerBytes = 4 << 30

    /// The base `image` from `registry`, for `os`/`architecture` when it is an index.
    public static func base(_ image: ImageReference, from registry: RegistryClient, os: String, architecture: String) async throws(RegistryError)
        -> BaseImage
    {
        var manifest = try await registry.manifest(of: image, accepting: manifestTypes + indexTypes)
        var document = try parse(manifest.bytes, what: "the manifest of \(image)")
        if indexTypes.contains(manifest.mediaType) || document["manifests"] != nil {
            guard
                let chosen = document["manifests"]?.arrayValue?.first(where: { entry in
                    entry["platform"]?["os"]?.stringValue == os && entry["platform"]?["architecture"]?.stringValue == architecture
                }), let digest = chosen["digest"]?.stringValue
            else { throw RegistryError(.build, "\(image) has no \(os)/\(architecture) image", subject: image.name) }
            manifest = try await registry.manifest(
                of: ImageReference(registry: image.registry, repository: image.repository, digest: digest), accepting: manifestTypes)
            document = try parse(manifest.bytes, what: "the manifest of \(image)")
        }
        guard let configDigest = document["config"]?["digest"]?.stringValue else {
            throw RegistryError(.decoding, "the manifest of \(image) names no config", subject: image.name)
        }
        let config = try parse(try await registry.blob(configDigest, of: image, maxBytes: 4 << 20), what: "the config of \(image)")
        var layers: [(JSONValue, [UInt8])] = []
        for descriptor in document["layers"]?.arrayValue ?? [] {
            guard let digest = descriptor["digest"]?.stringValue else {
                throw RegistryError(.decoding, "a layer of \(image) has no digest", subject: image.name)
            }
            layers.append((descriptor, try await registry.blob(digest, of: image, maxBytes: maximumBaseLayerBytes)))
        }
        return BaseImage(config: config, layers: layers)
    }

    /// The base image in the OCI layout at `path`: the manifest tagged `tag` in its index.json
    /// (`org.opencontainers.image.ref.name`), or its only one.
    public static func base(layout path: String, tag: String?) throws(RegistryError) -> BaseImage {
        let index = try parse(try read(path + "/index.json"), what: "\(path)/index.json")
        let manifests = index["manifests"]?.arrayValue ?? []
        let named = manifests.filter { tag == nil || $0["annotations"]?["org.opencontainers.image.ref.name"]?.stringValue == tag }
        guard named.count == 1, let digest = named[0]["digest"]?.stringValue else {
            throw RegistryError(
                .build, "\(path)/index.json has \(named.count) images\(tag.map { " tagged \($0)" } ?? ""); name one with oci-layout:DIR:TAG",
                subject: path)
        }
        let manifest = try parse(try blob(digest, in: path), what: "manifest \(digest)")
        guard let configDigest = manifest["config"]?["digest"]?.stringValue else {
            throw RegistryError(.decoding, "manifest \(digest) in \(path) names no config", subject: path)
        }
        let config = try parse(try blob(configDigest, in: path), what: "config \(configDigest)")
        var layers: [(JSONValue, [UInt8])] = []
        for descriptor in manifest["layers"]?.arrayValue ?? [] {
            guard let layer = descriptor["digest"]?.stringValue else {
                throw RegistryError(.decoding, "a layer in \(path) has no digest", subject: path)
            }
            layers.append((descriptor, try blob(layer, in: path)))
        }
        return BaseImage(config: config, layers: layers)
    }

    /// Writes `image` into the OCI layout at `path` (created when missing) as `tag`; an image
    /// of the same tag already there is replaced, others are kept.
    public static func write(_ image: BuiltImage, layout path: String, tag: String) throws(RegistryError) {
        do {
            try FileManager.default.createDirectory(atPath: path + "/blobs/sha256", withIntermediateDirectories: true)
            try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: path + "/oci-layout"))
            for (digest, bytes) in image.blobs.merging([image.digest: image.manifest], uniquingKeysWith: { a, _ in a }) {
                let file = path + "/blobs/sha256/" + digest.dropFirst("sha256:".count)
                if !FileManager.default.fileExists(atPath: file) { try Data(bytes).write(to: URL(fileURLWithPath: file)) }
            }
            var manifests = ((try? parse(try read(path + "/index.json"), what: "index.json"))?["manifests"]?.arrayValue ?? []).filter {
                $0["annotations"]?["org.opencontainers.image.ref.name"]?.stringValue != tag
            }
            var entry = descriptor(layerType: BuiltImage.manifestType, digest: image.digest, size: image.manifest.count)
            entry["annotations"] = ["org.opencontainers.image.ref.name": .string(tag)]
            manifests.append(entry)
            let index: JSONValue = ["schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": .array(manifests)]
            try Data(JSONWriter.compact(index).utf8).write(to: URL(fileURLWithPath: path + "/index.json"))
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError(.build, "cannot write the OCI layout \(path): \(error.localizedDescription)", subject: path)
        }
    }

    /// Pushes every blob of `image` (those the registry has are skipped), then its manifest as `target`.
    public static func push(_ image: BuiltImage, to target: ImageReference, with registry: RegistryClient) async throws(RegistryError) {
        for (digest, bytes) in image.blobs.sorted(by: { $0.key < $1.key }) { try await registry.pushBlob(bytes, digest: digest, to: target) }
        try await registry.pushManifest(image.manifest, mediaType: BuiltImage.manifestType, to: target)
    }

    private static func parse(_ bytes: [UInt8], what: String) throws(RegistryError) -> JSONValue {
        do { return try JSONParser.parse(bytes, file: what) } catch { throw RegistryError(.decoding, "\(what) is not JSON", subject: what) }
    }

    private static func read(_ path: String) throws(RegistryError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw RegistryError(.build, "cannot read \(path)", subject: path) }
        return Array(data)
    }

    /// Blob `digest` of the layout at `path`, its digest checked.
    private static func blob(_ digest: String, in path: String) throws(RegistryError) -> [UInt8] {
        guard ImageReference.isDigest(digest) else { throw RegistryError(.decoding, "\(digest.prefix(80)) is not a sha256 digest", subject: path) }
        let bytes = try read(path + "/blobs/sha256/" + digest.dropFirst("sha256:".count))
        guard RegistryClient.sha256(bytes) == digest else {
            throw RegistryError(.digestMismatch, "blob \(digest) in \(path) does not match its digest", subject: path)
        }
        return bytes
    }
}
