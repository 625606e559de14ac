import Controller
import Foundation
import KeelsonRuntime
import KeelsonTesting
import Kube
import Manifests
import Testing

/// The two layouts of `examples/migration`: Argo CD's (an app of apps, an AppProject, an
/// ApplicationSet) and Flux's (`flux bootstrap`'s gotk-sync, Kustomizations, a HelmRelease).
enum MigrationLayout: Sendable {
    case argoCD, flux

    /// The controller's namespace for the layout: Keelson's own beside Argo CD's (whose objects move
    /// into it), Flux's own for Flux (whose Kustomizations read ConfigMaps of their namespace).
    var namespace: String { self == .argoCD ? "keelson" : "flux-system" }
    /// The one file `kubectl apply` starts with.
    var bootstrap: String { self == .argoCD ? "argocd/root.yaml" : "flux/clusters/test/flux-system/gotk-sync.yaml" }
    /// The folder of the tool's own objects, for `keelson import`.
    var objectsFolder: String { self == .argoCD ? "argocd" : "flux/clusters/test" }
    /// The Keelson Applications the layout ends with.
    var applications: [String] {
        self == .argoCD ? ["guestbook", "root", "shop", "team-alpha", "team-beta", "web"] : ["apps", "flux-system", "infrastructure", "web"]
    }
}

/// `examples/migration` as a Git repository of its own, synced by a controller on a sandbox.
enum MigrationRepository {
    /// The address the example files name, replaced with the test repository's.
    static let exampleURL = "file:///tmp/keelson-migration"

    /// Every file of `examples/migration`, with the repository address replaced by `url`.
    static func files(url: String) throws -> [String: String] {
        let root = Fixtures.packageRoot() + "/examples/migration"
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[relative] = try String(contentsOfFile: root + "/" + relative, encoding: .utf8).replacingOccurrences(of: exampleURL, with: url)
        }
        return files
    }

    /// A controller whose tenancy is the layout's control-plane namespace, with the Argo CD and
    /// Flux CRDs installed; `body` gets the harness once the repository is committed.
    static func withController(
        _ layout: MigrationLayout, configure: @escaping @Sendable (inout KeelsonConfiguration) -> Void,
        _ body: @Sendable (ControllerHarness) async throws -> Void
    ) async throws {
        try await ControllerHarness.with(
            files: ["README.md": "migration test\n"], apps: [:], tenancy: TenancyRules(controllerNamespace: layout.namespace),
            prepare: { client in try await ForeignCRDs.install(client) }, configure: configure
        ) { h in
            try await h.commit(try files(url: "file://" + h.repository).mapValues { Optional($0) }, message: "the example repository")
            // Argo CD's objects live in its namespace, as its install made it.
            if layout == .argoCD { try await h.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n") }
            try await body(h)
        }
    }

    /// Waits until every Application of `layout` is synced and healthy.
    static func waitUntilSynced(_ h: ControllerHarness, _ layout: MigrationLayout) async throws {
        try await h.eventually("every Application of the \(layout) layout is synced and healthy", timeout: .seconds(180)) {
            for name in layout.applications {
                let status = await h.status(name, namespace: layout.namespace)
                guard status?["sync"]?["status"] == "Synced", status?["health"]?["status"] == "Healthy" else { return false }
            }
            return true
        }
    }
}

extension ControllerHarness {
    /// Checks every Application's inventory is exactly its expected objects, and each live object
    /// holds every field of its expected one (the cluster adds defaults and each tool its own labels).
    func expectLive(_ expected: [String: [Manifest]], namespace: String) async throws {
        for (application, objects) in expected.sorted(by: { $0.key < $1.key }) {
            // The inventory names an object as rendered (`Kind/name` when the destination gives the
            // namespace): compared by kind and name; each live read below checks the namespace.
            let inventory = (await status(application, namespace: namespace)?["inventory"]?.arrayValue ?? []).compactMap(\.stringValue)
            let kindAndName = { (key: String) in "\(key.prefix { $0 != "/" })/\(key.split(separator: "/").last ?? "")" }
            #expect(Set(inventory.map(kindAndName)) == Set(objects.map { "\($0.kind)/\($0.name)" }), "the inventory of \(application)")
            for object in objects {
                let kind = GroupVersionKind(group: object.group, version: object.version, kind: object.kind)
                let live = try await client.get(kind, name: object.name, namespace: object.namespace.isEmpty ? nil : object.namespace)
                let difference = Self.missing(object.value, in: live.value, path: "")
                #expect(difference == nil, "\(object.key) (of \(application)): \(difference ?? "")")
            }
        }
    }

    /// The first place where `expected` holds something `live` does not, or nil.
    static func missing(_ expected: JSONValue, in live: JSONValue, path: String) -> String? {
        switch (expected, live) {
        case (.object(let want), .object(let have)):
            for (key, value) in want {
                guard let other = have[key] else { return "\(path).\(key) is missing" }
                if let found = missing(value, in: other, path: path + "." + key) { return found }
            }
            return nil
        case (.array(let want), .array(let have)):
            guard want.count == have.count else { return "\(path) has \(have.count) items, expected \(want.count)" }
            for (index, (a, b)) in zip(want, have).enumerated() {
                if let found = missing(a, in: b, path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return expected == live ? nil : "\(path) is \(JSONWriter.compact(live)), expected \(JSONWriter.compact(expected))"
        }
    }
}
