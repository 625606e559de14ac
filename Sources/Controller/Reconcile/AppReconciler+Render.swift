import Foundation
import GitSource
import Helm
import Kube
import Manifests
import Render
import Secrets

/// Reading the source: resolving revisions and rendering the desired state at one.
extension AppReconciler {
    /// Chart archives by digest, beside the Git cache.
    var charts: ChartCache { ChartCache(directory: git.directory + "/charts") }

    /// The exact revision `wanted` (a branch, tag, commit or semver range; for a chart
    /// repository a version or range) stands for now.
    func resolve(_ source: AppSource, _ wanted: String) async throws -> String {
        switch source {
        case .git(let remote): return try await git.resolve(remote, try Revision.parse(wanted))
        case .chartRepository(let repository): return try await repository.resolve(wanted)
        }
    }

    /// The Secret named by `spec.source.decryption.secretRef`, or nil when the application
    /// decrypts nothing or the Secret does not exist (yet).
    func decryptionSecret(_ app: Application) async throws -> Manifest? {
        guard app.spec.source.decryption != nil else { return nil }
        guard let name = app.spec.source.decryption?.secretRef else {
            throw ApplicationError(application: app.id, field: "spec.source.decryption.secretRef", message: "is required")
        }
        do {
            return try await client.get(GroupVersionKind(group: "", version: "v1", kind: "Secret"), name: name, namespace: app.namespace)
        } catch {
            guard error.isNotFound else { throw error }
            return nil
        }
    }

    /// Renders the application at `revision`: a Git path as plain manifests or a kustomization,
    /// decrypting SOPS files in memory with the age identities in `keys`, or as a chart when it
    /// holds a `Chart.yaml`; a chart repository's chart at that version. For a chart, also the
    /// release it was rendered as.
    func render(
        _ app: Application, source: AppSource, revision: String, keys: Manifest?, history: History
    ) async throws -> (manifests: [Manifest], release: HelmReleasePlan?) {
        let release = HelmReleasePlan.plan(history: history, rendering: revision)
        switch source {
        case .chartRepository(let repository):
            let archive = try await repository.archive(at: revision)
            let context = try await chartContext(app, revision: revision, release: release)
            return (try await context.render(archive: archive), release)
        case .git(let remote):
            var identities: [AgeIdentity] = []
            var credentials = SOPSCredentials(environment: awsEnvironment)
            if let decryption = app.spec.source.decryption {
                guard let keys else {
                    throw ApplicationError(
                        application: app.id, field: "spec.source.decryption.secretRef",
                        message: "names Secret \(app.namespace)/\(decryption.secretRef ?? ""), which does not exist")
                }
                identities = try Self.identities(in: keys)
                credentials.vault = try DecryptionVaultCredentials.read(keys, application: app.id, client: client)
                credentials.aws = try DecryptionAWSCredentials.read(keys, application: app.id)
            }
            let rendering = GitSourceRendering(
                chart: { [self] root, path in
                    try await chartContext(app, revision: revision, release: release).render(root: root, path: path)
                },
                kustomizeSeed: { [self] in
                    KustomizeChartSeeding.seeded(try await HelmSeed.load(client, for: app, revision: revision, now: now()))
                },
                variables: { [client] postBuild in try await PostBuildVariables.read(postBuild, client: client, namespace: app.namespace) })
            // The work tree is leased while it is read, so the cache's pruning cannot remove it.
            return try await git.withCheckout(remote, commit: revision) { checkout -> (manifests: [Manifest], release: HelmReleasePlan?) in
                // Vault and KMS are asked before the (synchronous) reads: each distinct wrapped data key
                // once, of the files under the Application's own path only, so its credentials go to no
                // server or key that the rest of the repository names.
                var ring = SOPSKeyRing(identities: identities)
                if credentials.vault != nil || credentials.aws != nil {
                    let wrapped = SOPS.wrappedKeys(inDirectory: checkout.directory, under: app.spec.source.path)
                    if !wrapped.isEmpty { ring = await SOPS.unwrap(wrapped, credentials: credentials, identities: identities) }
                }
                // Without decryption configured, an encrypted file is refused rather than applied as ciphertext.
                let decrypter = SOPSFileDecrypter(keys: ring)
                let transform: SecureRoot.ReadTransform = { path, bytes in try decrypter.decrypt(path: path, bytes: bytes) }
                let rendered = try await rendering.render(app, root: try SecureRoot(directory: checkout.directory, transform: transform))
                return (rendered.manifests, rendered.isChart ? release : nil)
            }
        }
    }

    /// What a chart render of `app` at `revision` needs from the cluster: the Application's seed
    /// and the revision's time, `.Capabilities` of the destination, and `lookup` when allowed.
    func chartContext(_ app: Application, revision: String, release: HelmReleasePlan) async throws -> ChartRendering {
        let helm = app.spec.source.helm ?? ApplicationSpec.HelmOptions()
        // Lookups read as the Application's identity, so RBAC has the last word.
        let reader =
            tenancy.serviceAccount(of: app).map {
                destination.impersonating(.serviceAccount(namespace: app.spec.destination.namespace, name: $0))
            } ?? destination
        let seed = try await HelmSeed.load(client, for: app, revision: revision, now: now())
        let capabilities = try await ClusterCapabilities.read(destination, helm: helm)
        let values = try await HelmValueSources.read(helm, client: client, namespace: app.namespace)
        let lookup =
            helm.lookup
            ? ClusterLookup(client: reader, policy: LookupPolicy(namespace: app.spec.destination.namespace, allowSecrets: helm.lookupSecrets)) : nil
        return ChartRendering(
            app: app, release: release, capabilities: capabilities, seed: seed, lookup: lookup, values: values)
    }

    /// Age identities in a Secret: every data value that holds `AGE-SECRET-KEY-` lines.
    static func identities(in secret: Manifest) throws -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for (key, value) in secret.object["data"]?.objectValue ?? [:] {
            guard let encoded = value.stringValue, let data = Data(base64Encoded: encoded) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            guard text.contains("AGE-SECRET-KEY-") else { continue }
            identities += try AgeIdentity.parseFile(text, source: "Secret/\(secret.namespace)/\(secret.name)[\(key)]")
        }
        return identities
    }

}
