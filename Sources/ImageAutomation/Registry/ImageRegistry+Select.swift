extension ImageRegistry {
    /// Lists `image`'s tags, chooses one by `policy`, and (with `pinDigest`) reads its digest:
    /// what an `ImagePolicy` reports and its setters write. `name` is how the setters spell the
    /// repository (as the policy wrote it); it defaults to the normalised `registry/repository`.
    public func select(
        _ image: ImageReference, policy: TagPolicy, pinDigest: Bool = false, name: String? = nil
    ) async throws(ImageAutomationError) -> SelectedImage {
        let tags = try await tags(of: image)
        let tag: String
        do { tag = try policy.select(tags) } catch {
            throw ImageAutomationError(error.code, error.message, subject: image.name, cause: error.cause)
        }
        var tagged = image
        tagged.tag = tag
        tagged.digest = nil
        let digest = pinDigest ? try await digest(of: tagged) : nil
        return SelectedImage(name: name ?? image.name, tag: tag, digest: digest)
    }
}
