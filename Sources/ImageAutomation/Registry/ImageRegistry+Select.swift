import Registry

/// What image automation needs from a registry; `RegistryClient` is the production one.
public protocol ImageRegistry: Sendable {
    /// Every tag of the repository `image` names.
    func tags(of image: ImageReference) async throws(RegistryError) -> [String]
    /// The manifest digest of `image`'s tag.
    func digest(of image: ImageReference) async throws(RegistryError) -> String
}

extension RegistryClient: ImageRegistry {}

extension ImageRegistry {
    /// Lists `image`'s tags, chooses one by `policy`, and (with `pinDigest`) reads its digest:
    /// what an `ImagePolicy` reports and its setters write. `name` is how the setters spell the
    /// repository (as the policy wrote it); it defaults to the normalised `registry/repository`.
    public func select(
        _ image: ImageReference, policy: TagPolicy, pinDigest: Bool = false, name: String? = nil
    ) async throws(ImageAutomationError) -> SelectedImage {
        let tags: [String]
        do { tags = try await self.tags(of: image) } catch { throw ImageAutomationError(error) }
        let tag: String
        do { tag = try policy.select(tags) } catch {
            throw ImageAutomationError(error.code, error.message, subject: image.name, cause: error.cause)
        }
        var tagged = image
        tagged.tag = tag
        tagged.digest = nil
        var digest: String?
        if pinDigest {
            do { digest = try await self.digest(of: tagged) } catch { throw ImageAutomationError(error) }
        }
        return SelectedImage(name: name ?? image.name, tag: tag, digest: digest)
    }
}
