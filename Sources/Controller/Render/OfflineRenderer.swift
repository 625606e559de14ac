import Foundation
import Helm
import KeelsonFoundation
import Manifests
import Render
import Secrets

/// Renders an Application's Git source from a work tree without a cluster, with the
/// controller's own code path: what `keelson plan` compares.
///
/// What the controller reads from the cluster is fixed instead: a chart renders as a first
/// install (release revision 1) with Helm's default capabilities (or `helm.kubeVersion`), no
/// `lookup`, and one all-zero seed and time, so both sides of a comparison draw the same
/// "random" values and only real changes differ. `valuesFrom` and `postBuild.substituteFrom`
/// need the cluster and are refused; `postBuild.substitute` works.
public struct OfflineRenderer: Sendable {
    /// Decrypts (or, without identities, seals) SOPS files as they are read.
    public var decrypter: SOPSFileDecrypter

    /// The seed and time every chart draws from.
    static let seed = HelmSeed(seed: [UInt8](repeating: 0, count: HelmSeed.length), time: Date(timeIntervalSince1970: 0))

    /// Creates a renderer; without identities, encrypted files are read sealed (`SOPS.sealed`).
    public init(identities: [AgeIdentity] = []) {
        decrypter = SOPSFileDecrypter(identities: identities, sealsWithoutKeys: true)
    }

    /// The objects `app` renders to from `directory`, a work tree of its repository at one revision.
    public func render(_ app: Application, directory: String, limits: SecureRoot.Limits = SecureRoot.Limits()) async throws -> [Manifest] {
        let decrypter = self.decrypter
        let root = try SecureRoot(directory: directory, limits: limits) { path, bytes in try decrypter.decrypt(path: path, bytes: bytes) }
        let rendering = GitSourceRendering(
            chart: { root, path in try await Self.chart(app).render(root: root, path: path) },
            kustomizeSeed: { KustomizeChartSeeding.seeded(Self.seed) },
            variables: { postBuild in try PostBuildVariables.offline(postBuild, app: app) })
        return try await rendering.render(app, root: root).manifests
    }

    /// The chart render of `app` without a cluster.
    static func chart(_ app: Application) throws -> ChartRendering {
        let helm = app.spec.source.helm ?? ApplicationSpec.HelmOptions()
        if !helm.valuesFrom.isEmpty {
            throw ApplicationError(
                application: app.id, field: "spec.source.helm.valuesFrom", message: "reads the cluster, which a render without one cannot")
        }
        let layers = HelmValueSources.inline(helm) + helm.parameters.map { ValueLayer.parameter($0) }
        let apiVersions = Capabilities.defaultAPIVersions + helm.apiVersions.filter { !Capabilities.defaultAPIVersions.contains($0) }
        let capabilities = Capabilities(
            kubeVersion: helm.kubeVersion.flatMap(KubeVersion.init(parsing:)) ?? Capabilities.defaultKubeVersion, apiVersions: apiVersions)
        return ChartRendering(
            app: app, release: HelmReleasePlan(isInstall: true, revision: 1), capabilities: capabilities, seed: seed, lookup: nil,
            values: layers)
    }
}
