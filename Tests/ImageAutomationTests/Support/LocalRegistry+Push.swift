import Crypto
import Foundation
import KeelsonTesting
import Registry

extension LocalRegistry {
    /// Pushes a tiny OCI image (one config blob, one layer) as `repository:tag`; returns the manifest digest.
    @discardableResult
    static func pushImage(_ client: RegistryClient, _ reference: String) async throws -> String {
        let image = try ImageReference.parse(reference)
        let config = Array(
            #"{"architecture":"amd64","os":"linux","config":{"Labels":{"tag":"\#(image.tag ?? "")"}},"rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
        let layer = Array("layer of \(reference)".utf8)
        try await client.pushBlob(config, digest: digest(config), to: image)
        try await client.pushBlob(layer, digest: digest(layer), to: image)
        let manifest = Array(
            """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(digest(config))","size":\(config.count)},\
            "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\(digest(layer))","size":\(layer.count)}]}
            """.utf8)
        try await client.pushManifest(manifest, mediaType: "application/vnd.oci.image.manifest.v1+json", to: image)
        return digest(manifest)
    }

    static func digest(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
