import Crypto
import Foundation
import Kube
import Manifests
import Sync

/// An Application's randomness for charts: 32 random bytes kept in a Secret of the Application's
/// namespace (never in Git), and the time templates see for the revision being rendered.
///
/// `randAlphaNum`, `uuidv4`, `genCA` and friends draw from the seed, and `now` reads the time
/// recorded when the revision was first rendered, so the same revision renders the same bytes on
/// every reconcile and on every replica, while the values stay unpredictable to readers of Git.
/// The Secret is created on first render; a creation or update that loses a race re-reads the
/// winner's, so replicas agree. It names the Application as its owner, so Kubernetes' garbage
/// collector deletes it with the Application (a re-created Application draws a new seed).
struct HelmSeed: Sendable, Hashable {
    /// The seed.
    var seed: [UInt8]
    /// The time templates see (`now`), fixed per revision.
    var time: Date

    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    /// The data key holding the seed.
    static let seedKey = "seed"
    /// The label naming the Application whose seed a Secret holds.
    static let applicationLabel = "keelson.dev/helm-seed-for"
    /// The annotation recording the revision the time belongs to.
    static let revisionAnnotation = "keelson.dev/helm-revision"
    /// The annotation recording the time templates see for that revision.
    static let timeAnnotation = "keelson.dev/helm-time"
    /// The seed's length in bytes.
    static let length = 32

    /// `<app>-helm-seed`, shortened with a digest when the name would pass Kubernetes' limit.
    static func secretName(for app: Application) -> String {
        let name = app.name + "-helm-seed"
        guard name.count > 253 else { return name }
        return String(app.name.prefix(200)) + "-" + SHA256.hash(data: Data(app.name.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
            + "-helm-seed"
    }

    /// The seed of `app` and the time for `revision`, creating or updating the Secret as needed.
    static func load(
        _ client: any KubernetesAPI, for app: Application, revision: String, now: Date,
        random: @Sendable () -> [UInt8] = { HelmSeed.randomBytes() }
    ) async throws(KubeError) -> HelmSeed {
        let name = secretName(for: app)
        for _ in 0..<5 {
            var secret: Manifest
            do {
                secret = try await client.get(secretKind, name: name, namespace: app.namespace)
            } catch {
                guard error.isNotFound else { throw error }
                do {
                    secret = try await client.create(
                        newSecret(name: name, app: app, seed: random(), revision: revision, now: now), options: WriteOptions())
                } catch {
                    // Another replica created it first: use theirs.
                    guard error.isAlreadyExists || error.isConflict else { throw error }
                    continue
                }
            }
            guard let seed = seed(in: secret) else {
                throw KubeError(
                    .invalidRequest, "Secret \(app.namespace)/\(name) holds no \(length)-byte '\(seedKey)'; delete it to draw a new seed",
                    resource: "Secret/\(app.namespace)/\(name)")
            }
            let owned = app.uid == nil || secret.object["metadata"]?["ownerReferences"] != nil
            let recorded = secret.annotations[revisionAnnotation] == revision ? secret.annotations[timeAnnotation].flatMap(parseTime) : nil
            if owned, let recorded { return HelmSeed(seed: seed, time: recorded) }
            // A new revision gets its time recorded, and a Secret from before seeds had owners its
            // owner; a conflict means another replica wrote first, so read again.
            let time = recorded ?? parseTime(format(now)) ?? now
            if recorded == nil {
                secret.setAnnotation(revisionAnnotation, revision)
                secret.setAnnotation(timeAnnotation, format(time))
            }
            if !owned, let reference = ownerReference(app) { secret.object["metadata"]?["ownerReferences"] = [reference] }
            do {
                _ = try await client.update(secret, options: WriteOptions())
                return HelmSeed(seed: seed, time: time)
            } catch {
                guard error.isConflict else { throw error }
            }
        }
        throw KubeError(.api, "Secret \(app.namespace)/\(name) kept changing while being read", resource: "Secret/\(app.namespace)/\(name)")
    }

    /// 32 bytes from the system's secure generator.
    static func randomBytes() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func newSecret(name: String, app: Application, seed: [UInt8], revision: String, now: Date) -> Manifest {
        var metadata: JSONObject = [
            "name": .string(name), "namespace": .string(app.namespace),
            "labels": ["app.kubernetes.io/managed-by": "keelson", applicationLabel: .string(app.name)],
            "annotations": [revisionAnnotation: .string(revision), timeAnnotation: .string(format(now))],
        ]
        if let reference = ownerReference(app) { metadata["ownerReferences"] = [reference] }
        return Manifest(unchecked: [
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": .object(metadata),
            "data": [seedKey: .string(Data(seed).base64EncodedString())],
        ])
    }

    /// The Application as the Secret's owner; `nil` when its uid is unknown.
    private static func ownerReference(_ app: Application) -> JSONValue? {
        guard let uid = app.uid else { return nil }
        return ["apiVersion": .string(Application.apiVersion), "kind": .string(Application.kind), "name": .string(app.name), "uid": .string(uid)]
    }

    private static func seed(in secret: Manifest) -> [UInt8]? {
        guard let encoded = secret.object["data"]?[seedKey]?.stringValue, let data = Data(base64Encoded: encoded), data.count == length else {
            return nil
        }
        return Array(data)
    }

    /// RFC 3339 with whole seconds, as Kubernetes writes times.
    static func format(_ date: Date) -> String { ChangeSet.timestamp(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))) }

    static func parseTime(_ text: String) -> Date? { try? Date(text, strategy: .iso8601) }
}
