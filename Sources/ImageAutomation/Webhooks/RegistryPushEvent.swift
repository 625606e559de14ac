import Manifests
import Registry

/// What a registry said was pushed: the repositories (without tags) and the tag, when given.
public struct RegistryPushEvent: Sendable, Hashable {
    /// The pushed repositories.
    public var images: [ImageReference]
    /// The pushed tag, if the payload names one.
    public var tag: String?

    /// Reads an authenticated payload of `provider`.
    init(_ provider: RegistryWebhookProvider, payload: JSONValue, event: String?) throws(RegistryWebhookError) {
        func malformed(_ what: String) -> RegistryWebhookError { RegistryWebhookError(.malformed, "not a \(provider.rawValue) push: \(what)") }
        var names: [String] = []
        switch provider {
        case .dockerhub:
            guard let repository = payload[path: ["repository", "repo_name"]]?.stringValue else { throw malformed("no repository.repo_name") }
            names = [ImageReference.dockerHub + "/" + repository]
            tag = payload[path: ["push_data", "tag"]]?.stringValue
        case .ghcr:
            if event == "ping" { throw RegistryWebhookError(.ignored, "ping") }
            guard event == nil || event == "package" || event == "registry_package" else {
                throw RegistryWebhookError(.ignored, "not a package event")
            }
            guard let package = payload["package"], let name = package["name"]?.stringValue else { throw malformed("no package.name") }
            let action = payload["action"]?.stringValue ?? "published"
            guard action == "published" || action == "updated" else { throw RegistryWebhookError(.ignored, "package \(action), not published") }
            let type = package["package_type"]?.stringValue?.lowercased() ?? "container"
            guard type == "container" || type == "docker" else { throw RegistryWebhookError(.ignored, "not a container package") }
            if let url = package[path: ["package_version", "package_url"]]?.stringValue, !url.isEmpty {
                names = [url]
            } else {
                let owner = package[path: ["owner", "login"]]?.stringValue ?? package["namespace"]?.stringValue
                guard let owner else { throw malformed("no package.owner.login") }
                names = ["ghcr.io/" + owner.lowercased() + "/" + name.lowercased()]
            }
            tag = package[path: ["package_version", "container_metadata", "tag", "name"]]?.stringValue
        case .harbor:
            let type = payload["type"]?.stringValue ?? ""
            guard ["PUSH_ARTIFACT", "pushImage"].contains(type) else { throw RegistryWebhookError(.ignored, "event \(type) is not a push") }
            guard let data = payload["event_data"], let fullName = data[path: ["repository", "repo_full_name"]]?.stringValue else {
                throw malformed("no event_data.repository.repo_full_name")
            }
            let resources = data["resources"]?.arrayValue ?? []
            guard let url = resources.first?["resource_url"]?.stringValue, let slash = url.firstIndex(of: "/") else {
                throw malformed("no event_data.resources[].resource_url naming the registry host")
            }
            names = [url[..<slash] + "/" + fullName]
            tag = resources.first?["tag"]?.stringValue
        case .generic:
            guard let image = payload["image"]?.stringValue else { throw malformed("no image") }
            names = [image]
            tag = payload["tag"]?.stringValue
        }
        var images: [ImageReference] = []
        for name in names {
            guard var reference = try? ImageReference.parse(name) else { throw malformed("\"\(name.prefix(200))\" is not an image reference") }
            if tag == nil { tag = reference.tag }
            reference.tag = nil
            reference.digest = nil
            images.append(reference)
        }
        self.images = images
    }
}
