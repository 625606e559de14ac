import Controller
import ExternalSecrets
import Fleet
import Foundation
import ImageAutomation
import KeelsonFoundation
import Manifests
import Notify
import Render
import SealedSecrets

/// Keelson's installation, carried in the binary: the files of `deploy/` (a Kustomize base; tests
/// keep the copies in `Installation/` and the CRDs equal to it), rendered with the native
/// Kustomize, so `keelson install` needs no checkout and prints what `kubectl kustomize deploy/`
/// prints.
///
/// ```swift
/// let objects = try Installation.manifests(image: "registry.example.com/keelson:0.1.0", replicas: 1)
/// ```
public enum Installation {
    /// The name the controller's image has in `deploy/controller.yaml`, which `image` replaces.
    public static let imageName = "keelson"
    /// The controller's Deployment.
    public static let deploymentName = "keelson-controller"

    /// Every file of `deploy/`, by its path relative to `deploy/`.
    public static let files: [(path: String, text: String)] =
        [
            ("kustomization.yaml", PackageResources.kustomization_yaml), ("namespace.yaml", PackageResources.namespace_yaml),
            ("rbac.yaml", PackageResources.rbac_yaml), ("controller.yaml", PackageResources.controller_yaml),
            ("service.yaml", PackageResources.service_yaml), ("networkpolicy.yaml", PackageResources.networkpolicy_yaml),
        ].map { ($0.0, String(decoding: $0.1, as: UTF8.self)) }
        + (ControllerCRDs.all + ImageAutomationCRDs.all + NotifyCRDs.all + SealedSecretCRDs.all + ExternalSecretsCRDs.all
        + ApplicationSetCRDs.all).map {
            ("crds/" + $0.file, $0.yaml)
        }

    /// The objects to apply, in kustomize's order: `deploy/` as it is, with the controller's image
    /// replaced by `image` and its replica count set to `replicas` when they are given.
    public static func manifests(image: String? = nil, replicas: Int? = nil) throws -> [Manifest] {
        try render(tree(image: image, replicas: replicas))
    }

    /// An installation as a Kustomize tree: `deploy/` under `base/`, and a `kustomization.yaml`
    /// over it that sets the image and replicas and adds `resources` (files beside it).
    public static func tree(
        image: String? = nil, replicas: Int? = nil, resources: [(path: String, text: String)] = []
    ) throws -> [(path: String, text: String)] {
        try check(image: image, replicas: replicas)
        var overlay: JSONObject = ["resources": .array((["base"] + resources.map(\.path)).map { .string($0) })]
        if let image { overlay["images"] = [["name": .string(imageName), "newName": .string(image)]] }
        if let replicas { overlay["replicas"] = [["name": .string(deploymentName), "count": .number(JSONNumber(Int64(replicas)))]] }
        let header = "# Keelson's installation: deploy/ of Keelson in base/, made by keelson install or bootstrap.\n"
        return [("kustomization.yaml", header + YAMLEncoder.encode(.object(overlay)))] + resources + files.map { ("base/" + $0.path, $0.text) }
    }

    /// The objects a tree renders to, with the native Kustomize.
    public static func render(_ tree: [(path: String, text: String)]) throws -> [Manifest] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keelson-install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write(tree, into: directory)
        return try Kustomizer().render(try SecureRoot(directory: directory), path: ".").manifests
    }

    /// Writes a tree's files under `directory`, creating folders as needed.
    public static func write(_ tree: [(path: String, text: String)], into directory: String) throws {
        for (path, text) in tree {
            let full = directory + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
    }
}

extension Installation {
    /// Refuses an image or replica count `manifests` cannot use.
    public static func check(image: String?, replicas: Int?) throws(InstallationError) {
        if let replicas, replicas < 0 { throw InstallationError("--replicas must not be negative, got \(replicas)") }
        if let image, image.isEmpty || image.contains(where: \.isWhitespace) {
            throw InstallationError("--image must be an image reference, got '\(image)'")
        }
    }
}

/// Installation flags that cannot be used.
public struct InstallationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
