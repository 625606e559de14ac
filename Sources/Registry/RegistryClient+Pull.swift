import Crypto
import Foundation
import NIOHTTP1

/// A manifest as a registry served it, its digest checked.
public struct RegistryManifest: Sendable {
    /// The manifest bytes.
    public var bytes: [UInt8]
    /// `sha256:...` of `bytes`.
    public var digest: String
    /// The `Content-Type` the registry gave.
    public var mediaType: String
}

extension RegistryClient {
    /// Reads `image`'s manifest (by digest when it has one, else its tag) asking for
    /// `mediaTypes`, and checks its bytes against the pinned digest and `Docker-Content-Digest`.
    public func manifest(of image: ImageReference, accepting mediaTypes: [String]) async throws(RegistryError) -> RegistryManifest {
        guard let reference = image.digest ?? image.tag else {
            throw RegistryError(.invalidReference, "a manifest is read by tag or digest", subject: image.name)
        }
        let url = "\(try baseURL(image))/v2/\(image.repository)/manifests/\(reference)"
        let reply = try await send(RegistryRequest(url: url, headers: [("Accept", mediaTypes.joined(separator: ", "))], image: image))
        let digest = Self.sha256(reply.body)
        for expected in [image.digest, reply.headers.first(name: "Docker-Content-Digest")].compactMap({ $0 })
        where expected.hasPrefix("sha256:") && expected != digest {
            throw RegistryError(.digestMismatch, "manifest \(reference) has digest \(digest), not \(expected)", subject: image.name)
        }
        let mediaType = reply.headers.first(name: "Content-Type")?.split(separator: ";").first.map(String.init) ?? ""
        return RegistryManifest(bytes: reply.body, digest: digest, mediaType: mediaType)
    }

    /// Reads blob `digest` of `image`'s repository, at most `maxBytes`, and checks its sha256.
    /// A redirect (registries serve blobs from storage hosts) is followed once, without credentials.
    public func blob(_ digest: String, of image: ImageReference, maxBytes: Int) async throws(RegistryError) -> [UInt8] {
        guard digest.hasPrefix("sha256:"), ImageReference.isDigest(digest) else {
            throw RegistryError(.decoding, "blob digest \(digest.prefix(80)) is not sha256:<64 hex digits>", subject: image.name)
        }
        var request = RegistryRequest(url: "\(try baseURL(image))/v2/\(image.repository)/blobs/\(digest)", image: image)
        request.maxBytes = maxBytes
        request.followsRedirect = true
        let reply = try await send(request)
        let actual = Self.sha256(reply.body)
        guard actual == digest else {
            throw RegistryError(.digestMismatch, "blob \(digest) has digest \(actual)", subject: image.name)
        }
        return reply.body
    }

    /// `sha256:` and the lowercase hex digest of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Where a blob redirect points: a path on the registry, or an https URL (http only to
    /// loopback in insecure mode).
    func redirectTarget(_ location: String, request: RegistryRequest) throws(RegistryError) -> String {
        let base = try baseURL(request.image)
        if location.hasPrefix("/") { return base + location }
        guard let url = URLComponents(string: location), let host = url.host else {
            throw RegistryError(.registry, "\(request.summary) redirected to an unusable location", subject: request.image.name)
        }
        let hostWithPort = host + (url.port.map { ":\($0)" } ?? "")
        guard url.scheme == "https" || (url.scheme == "http" && options.insecure && RegistryOptions.isLoopback(hostWithPort)) else {
            throw RegistryError(.insecure, "\(request.summary) redirected to \(hostWithPort) without https", subject: request.image.name)
        }
        return location
    }
}
