import Foundation
import Manifests

extension RegistryClient {
    /// The manifest media types asked for when reading a digest, most specific last.
    static let manifestMediaTypes = [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]

    /// Every tag of `image`'s repository, following `Link` pages on the same host.
    public func tags(of image: ImageReference) async throws(RegistryError) -> [String] {
        let base = try baseURL(image)
        var url: String? = "\(base)/v2/\(image.repository)/tags/list?n=\(options.pageSize)"
        var tags: [String] = []
        var pages = 0
        while let current = url {
            pages += 1
            guard pages <= options.maxPages else {
                throw RegistryError(.responseTooLarge, "tag list is longer than \(options.maxPages) pages", subject: image.name)
            }
            let reply = try await send(RegistryRequest(url: current, headers: [("Accept", "application/json")], image: image))
            guard let body = try? JSONParser.parse(reply.body, file: "tags"), let list = body["tags"] else {
                throw RegistryError(.decoding, "tag list reply is not {\"tags\": [...]}", subject: image.name)
            }
            // Registries answer `"tags": null` for a repository without tags.
            for tag in list.arrayValue ?? [] {
                guard let tag = tag.stringValue else { throw RegistryError(.decoding, "tag list holds a non-string", subject: image.name) }
                tags.append(tag)
            }
            url = try reply.headers.first(name: "Link").flatMap(LinkHeader.next).map { next throws(RegistryError) in
                try Self.sameHost(next, base: base, image: image)
            }
        }
        return tags
    }

    /// The digest of `image`'s manifest (its tag, or `latest`), read by `HEAD`.
    public func digest(of image: ImageReference) async throws(RegistryError) -> String {
        if let digest = image.digest { return digest }
        let reference = image.tag ?? "latest"
        let url = "\(try baseURL(image))/v2/\(image.repository)/manifests/\(reference)"
        let accept = [("Accept", Self.manifestMediaTypes.joined(separator: ", "))]
        let head = try await send(RegistryRequest(method: .HEAD, url: url, headers: accept, image: image))
        if let digest = head.headers.first(name: "Docker-Content-Digest"), ImageReference.isDigest(digest) { return digest }
        // Some registries leave the header off HEAD replies; GET carries it.
        let get = try await send(RegistryRequest(url: url, headers: accept, image: image))
        guard let digest = get.headers.first(name: "Docker-Content-Digest"), ImageReference.isDigest(digest) else {
            throw RegistryError(.decoding, "the registry gave no Docker-Content-Digest for \(reference)", subject: image.name)
        }
        return digest
    }

    /// A `Link` target resolved against the registry; another host is refused so
    /// credentials never follow a page link elsewhere.
    static func sameHost(_ link: String, base: String, image: ImageReference) throws(RegistryError) -> String {
        if link.hasPrefix("/") { return base + link }
        guard link.hasPrefix(base + "/") else {
            throw RegistryError(.registry, "the next page link points to another host", subject: image.name)
        }
        return link
    }
}
