import Registry

/// Evaluates one `ImagePolicy`: lists its repository's tags, drops excluded ones, chooses a tag
/// and (with digest reflection) reads its digest. Used by the service and `keelson image update`.
public enum PolicyScanner {
    /// The selection and how many tags took part.
    public static func select(
        _ policy: ImagePolicy, repository: ImageRepositorySpec, options: RegistryOptions, docker: DockerConfig?,
        previous: SelectedImage? = nil
    ) async throws -> (selected: SelectedImage, tagCount: Int) {
        let tagPolicy = try policy.tagPolicy()
        var options = options
        options.insecure = repository.insecure
        do {
            return try await scan(policy, repository: repository, tagPolicy: tagPolicy, options: options, docker: docker, previous: previous)
        } catch let error as RegistryError {
            throw ImageAutomationError(error)
        }
    }

    private static func scan(
        _ policy: ImagePolicy, repository: ImageRepositorySpec, tagPolicy: TagPolicy, options: RegistryOptions, docker: DockerConfig?,
        previous: SelectedImage?
    ) async throws -> (selected: SelectedImage, tagCount: Int) {
        let reference = try ImageReference.parse(repository.image)
        return try await RegistryClient.withClient(
            options: options,
            credentials: { host throws(RegistryError) in
                try docker?.credential(for: host) ?? .anonymous
            }
        ) { registry in
            let tags = repository.excluding(try await registry.tags(of: reference))
            let tag: String
            do throws(ImageAutomationError) { tag = try tagPolicy.select(tags) } catch {
                throw ImageAutomationError(error.code, error.message, subject: repository.image)
            }
            var digest: String?
            switch policy.digestReflection {
            case .never: break
            case .ifNotPresent where previous?.tag == tag && previous?.digest != nil: digest = previous?.digest
            case .ifNotPresent, .always:
                var tagged = reference
                tagged.tag = tag
                digest = try await registry.digest(of: tagged)
            }
            return (SelectedImage(name: repository.image, tag: tag, digest: digest), tags.count)
        }
    }
}
