import Foundation

extension RegistryClient {
    /// Uploads a blob in one request (POST then PUT with `digest=`), unless the registry has it.
    public func pushBlob(_ bytes: [UInt8], digest: String, to image: ImageReference) async throws(RegistryError) {
        let base = try baseURL(image)
        let exists = RegistryRequest(method: .HEAD, url: "\(base)/v2/\(image.repository)/blobs/\(digest)", image: image, actions: "pull,push")
        if (try? await send(exists)) != nil { return }
        let start = try await send(
            RegistryRequest(method: .POST, url: "\(base)/v2/\(image.repository)/blobs/uploads/", body: [], image: image, actions: "pull,push"))
        guard let location = start.headers.first(name: "Location") else {
            throw RegistryError(.registry, "the upload was not given a Location", subject: image.name)
        }
        var upload = try Self.sameHost(location, base: base, image: image)
        upload += (upload.contains("?") ? "&" : "?") + "digest=" + digest.replacingOccurrences(of: ":", with: "%3A")
        _ = try await send(
            RegistryRequest(
                method: .PUT, url: upload, headers: [("Content-Type", "application/octet-stream")], body: bytes, image: image,
                actions: "pull,push"))
    }

    /// Stores `manifest` under `image`'s tag (or digest) and returns the digest the registry reports.
    @discardableResult
    public func pushManifest(_ manifest: [UInt8], mediaType: String, to image: ImageReference) async throws(RegistryError) -> String? {
        guard let reference = image.tag ?? image.digest else {
            throw RegistryError(.invalidReference, "a manifest is pushed to a tag or digest", subject: image.name)
        }
        let reply = try await send(
            RegistryRequest(
                method: .PUT, url: "\(try baseURL(image))/v2/\(image.repository)/manifests/\(reference)",
                headers: [("Content-Type", mediaType)], body: manifest, image: image, actions: "pull,push"))
        return reply.headers.first(name: "Docker-Content-Digest")
    }
}
