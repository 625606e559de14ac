import Foundation
import KeelsonTesting
import Kube
import Manifests
import Notify
import SCM
import Synchronization

/// What notification tests share: applying Providers and Alerts beside the notify CRDs, and the
/// repository's head.
protocol NotificationFixtures {}

extension NotificationFixtures {
    /// The token forge Providers use (B6 checks it leaks nowhere).
    static var token: String { "ghp_TESTTOKEN123" }

    /// The forge token's Secret; a `generic` Provider `hook` posting to the receiver's
    /// `/generic`, with an Alert for `events` of the Applications named `app`; and for each of
    /// `forges` a Provider on the fake forge for `repository`, with an Alert for every event.
    static func objects(receiver: String, app: String = "*", events: [String], forges: [Forge], fake: FakeSCM, repository: String) -> String {
        var text = """
            apiVersion: v1
            kind: Secret
            metadata: {name: forge-token, namespace: keelson}
            stringData: {token: \(token)}
            ---
            apiVersion: keelson.dev/v1alpha1
            kind: Provider
            metadata: {name: hook, namespace: keelson}
            spec: {type: generic, address: "\(receiver)/generic"}
            ---
            apiVersion: keelson.dev/v1alpha1
            kind: Alert
            metadata: {name: hook, namespace: keelson}
            spec:
              providerRef: {name: hook}
              sources: [{kind: Application, name: "\(app)"}]
              events: [\(events.joined(separator: ", "))]

            """
        for forge in forges {
            text += """
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: Provider
                metadata: {name: \(forge.rawValue), namespace: keelson}
                spec: {type: \(forge.rawValue), address: "\(repository)", apiURL: "\(fake.apiURL(forge))", secretRef: {name: forge-token}}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: Alert
                metadata: {name: \(forge.rawValue), namespace: keelson}
                spec:
                  providerRef: {name: \(forge.rawValue)}
                  sources: [{kind: Application, name: "*"}]

                """
        }
        return text
    }

    /// Applies the notify CRDs, then `objects`, waiting for the CRDs to be served.
    static func applyNotify(_ objects: String, client: KubeClient) async throws {
        try await apply(NotifyCRDs.all.map(\.yaml).joined(separator: "\n---\n") + "\n---\n" + objects, client: client)
    }

    static func apply(_ yaml: String, client: KubeClient) async throws {
        for object in try Manifest.decode(Array(yaml.utf8), file: "objects.yaml") {
            for attempt in 0..<50 {
                do {
                    _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
                    break
                } catch {
                    // A CRD is served a moment after it is created.
                    if attempt == 49 { throw error }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }
    }

    static func head(_ h: ControllerHarness) async throws -> String {
        try await ProcessRunner.run("git", ["-C", h.repository, "rev-parse", "HEAD"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The events the receiver got on `/generic`, as Flux-shaped JSON.
    static func hooks(_ receiver: HTTPReceiver) async -> [JSONValue] {
        await receiver.requests(path: "/generic").compactMap { try? JSONParser.parse($0.body) }
    }
}

/// The harness's repository served by `git daemon`, so a forge Provider can name it and the
/// Application's `repoURL` pins to it: the project is `<folder>/repo` on every forge.
final class ServedRepository: Sendable {
    private let daemon = Mutex<ControllerSourceTests.GitDaemon?>(nil)
    private let served = Mutex<String>("")

    /// For `ControllerHarness.with(plainTransports: true, repoURL:)`.
    func url(_ repository: String) throws -> String {
        let folder = (repository as NSString).deletingLastPathComponent
        let server = try ControllerSourceTests.GitDaemon(base: (folder as NSString).deletingLastPathComponent)
        daemon.withLock { $0 = server }
        let path = (folder as NSString).lastPathComponent + "/repo"
        served.withLock { $0 = path }
        return "git://127.0.0.1:\(server.port)/\(path)"
    }

    /// The project's path on the forge.
    var project: String { served.withLock { $0 } }

    /// The daemon's port, once `url` started it.
    var port: Int? { daemon.withLock { $0?.port } }

    /// The repository's address for a Provider (`http://127.0.0.1:PORT/<folder>/repo`).
    var address: String? { port.map { "http://127.0.0.1:\($0)/\(project)" } }

    /// Stops the daemon.
    func stop() { daemon.withLock { $0?.process.withLock { $0?.kill() } } }
}
