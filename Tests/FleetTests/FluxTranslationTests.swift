import Controller
import Fleet
import Manifests
import Testing

/// Flux Kustomizations and HelmReleases, with the sources they name, become Keelson
/// Applications that keep what Flux did; what cannot be kept is named in the report.
@Suite struct FluxTranslationTests {
    let translation: Translation
    let failing: Translation

    init() throws {
        translation = FluxTranslation.translate(try MigrationFixtures.manifests("flux.yaml"), options: TranslationOptions())
        failing = FluxTranslation.translate(try MigrationFixtures.manifests("flux-failing.yaml"), options: TranslationOptions())
    }

    func application(_ namespace: String, _ name: String, in translation: Translation? = nil) throws -> Manifest {
        let objects = (translation ?? self.translation).objects
        return try #require(objects.first { $0.namespace == namespace && $0.name == name }, "no \(namespace)/\(name) in \(objects.map(\.key))")
    }

    func reported(_ object: String, _ field: String) -> Unsupported? {
        translation.unsupported.first { $0.object == object && $0.field == field }
    }

    // A Kustomization keeps its source (the GitRepository's URL, branch and credentials), path
    // without `./`, prune, and the shorter of its and its source's intervals; Flux corrects
    // drift, so selfHeal is on. Without targetNamespace, the destination is its own namespace.
    @Test func kustomizationKeepsItsSource() throws {
        let manifest = try application("keelson", "infra")
        #expect(manifest.annotations[TranslatedFrom.annotation] == "kustomize.toolkit.fluxcd.io/Kustomization flux-system/infra")
        let app = try Application(manifest)
        #expect(app.spec.source.repoURL == "https://git.example.com/platform.git" && app.spec.source.revision == "main")
        #expect(app.spec.source.path == "infrastructure" && app.spec.source.secretRef == "git-credentials")
        #expect(app.spec.syncPolicy.automated.map { [$0.prune, $0.selfHeal, $0.allowEmpty] } == [true, true, false])
        #expect(app.spec.syncPolicy.interval == .seconds(60))
        #expect(app.spec.destination.namespace == "flux-system")
        // `wait` is what Keelson does anyway; `timeout` is not.
        let object = "kustomize.toolkit.fluxcd.io/Kustomization flux-system/infra"
        #expect(reported(object, "spec.wait") == nil && reported(object, "spec.timeout") != nil)
        #expect(reported("source.toolkit.fluxcd.io/GitRepository flux-system/platform", "spec.ignore") != nil)
    }

    // targetNamespace is both Kustomize's namespace and the destination; prefixes, common
    // metadata (as `labels`, which leave selectors alone), patches, images, postBuild and
    // decryption are carried; dependsOn follows the dependency into the controller's namespace.
    @Test func kustomizationCarriesKustomizeOptions() throws {
        let manifest = try application("keelson", "apps")
        let spec = try #require(manifest.object["spec"])
        let source = try #require(spec["source"])
        #expect(spec["destination"] == ["namespace": "apps"])
        #expect(source["kustomize"]?["namespace"] == "apps" && source["kustomize"]?["namePrefix"] == "prod-")
        #expect(source["kustomize"]?["labels"] == ["env": "production"] && source["kustomize"]?["commonAnnotations"] == ["owner": "platform"])
        #expect(source["kustomize"]?["images"] == [["name": "podinfo", "newName": "ghcr.io/stefanprodan/podinfo", "newTag": "6.5.0"]])
        #expect(source["kustomize"]?["patches"]?.arrayValue?.count == 1)
        #expect(source["postBuild"]?["substitute"] == ["cluster_name": "production"])
        #expect(
            source["postBuild"]?["substituteFrom"] == [
                ["kind": "ConfigMap", "name": "cluster-vars"], ["kind": "Secret", "name": "cluster-secrets", "optional": true],
            ])
        #expect(source["decryption"] == ["provider": "sops", "secretRef": ["name": "sops-age"]])
        #expect(spec["dependsOn"] == [["name": "infra", "namespace": "keelson"]])
        #expect(spec["serviceAccountName"] == "deployer")
        let object = "kustomize.toolkit.fluxcd.io/Kustomization flux-system/apps"
        #expect(reported(object, "spec.serviceAccountName")?.reason.contains("destination namespace") == true)
        #expect(reported(object, "spec.healthChecks") != nil)
        // It moved from flux-system: the Secrets and ConfigMaps it reads must move too.
        let moved = try #require(reported(object, "metadata.namespace")).reason
        #expect(moved.contains("Secret git-credentials") && moved.contains("ConfigMap cluster-vars") && moved.contains("Secret sops-age"))
    }

    // A HelmRelease from an HTTP repository: chart, version range, values and valuesFrom;
    // Flux's release name `<targetNamespace>-<name>`; createNamespace, the larger remediation
    // retry count, drift detection, and Flux's CRD defaults (create, never update).
    @Test func helmReleaseFromHelmRepository() throws {
        let app = try Application(try application("apps", "redis"))
        #expect(app.spec.source.repoURL == "https://charts.bitnami.com/bitnami" && app.spec.source.chart == "redis")
        #expect(app.spec.source.revision == "18.x" && app.spec.destination.namespace == "cache")
        let helm = try #require(app.spec.source.helm)
        #expect(helm.releaseName == "cache-redis" && helm.values == ["architecture": "standalone"])
        #expect(helm.valuesFrom.map(\.name) == ["redis-values", "redis-auth"] && helm.valuesFrom[1].targetPath == "auth.password")
        #expect(helm.crds == .createOnly)
        #expect(app.spec.syncPolicy.syncOptions == ["CreateNamespace=true"] && app.spec.syncPolicy.retry.limit == 5)
        #expect(app.spec.syncPolicy.automated.map { [$0.prune, $0.selfHeal, $0.allowEmpty] } == [true, true, false])
        #expect(app.spec.ignoreDifferences.map(\.kind) == ["Deployment"])
        #expect(app.spec.dependsOn == ["keelson/cert-manager"])
        #expect(reported("helm.toolkit.fluxcd.io/HelmRelease apps/redis", "spec.test") != nil)
        #expect(reported("helm.toolkit.fluxcd.io/HelmRelease apps/redis", "spec.upgrade.remediation.remediateLastFailure") != nil)
    }

    // A chart from an OCI HelmRepository is named by its oci:// URL. The HelmRelease shares its
    // namespace and name with a Kustomization, which keeps the name; the clash is reported.
    @Test func helmReleaseFromOCIRepositoryAndNameClash() throws {
        #expect(try Application(try application("keelson", "podinfo")).spec.source.path == "podinfo")
        let app = try Application(try application("keelson", "podinfo-helmrelease"))
        #expect(app.spec.source.repoURL == "oci://ghcr.io/stefanprodan/charts/podinfo" && app.spec.source.revision == ">=6.0.0")
        let helm = try #require(app.spec.source.helm)
        #expect(helm.releaseName == "podinfo" && helm.crds == .apply && helm.postRendererPatches.count == 1)
        #expect(app.spec.syncPolicy.automated?.selfHeal == false)
        let object = "helm.toolkit.fluxcd.io/HelmRelease flux-system/podinfo"
        #expect(reported(object, "metadata.name") != nil && reported(object, "spec.postRenderers[0].kustomize.images") != nil)
    }

    // An OCI artifact source and a missing source fail, naming the field; a GitRepository with
    // no ref follows master, as Flux's does, and its Application stays in its namespace.
    @Test func untranslatableKustomizationsFail() throws {
        let failures = Dictionary(uniqueKeysWithValues: failing.failures.map { ($0.object, $0) })
        let oci = try #require(failures["kustomize.toolkit.fluxcd.io/Kustomization flux-system/from-oci"])
        #expect(oci.field == "spec.sourceRef.kind" && oci.message.contains("OCI artifact"))
        #expect(failures["kustomize.toolkit.fluxcd.io/Kustomization flux-system/orphan"]?.field == "spec.sourceRef")
        let app = try Application(try application("team-a", "team-a", in: failing))
        #expect(app.spec.source.revision == "master" && app.spec.destination.namespace == "team-a")
        #expect(failing.objects.count == 1)
    }

    // With applicationNamespace set every Application goes there, dependsOn included.
    @Test func applicationNamespaceOverrides() throws {
        var options = TranslationOptions()
        options.applicationNamespace = "migrated"
        let moved = FluxTranslation.translate(try MigrationFixtures.manifests("flux.yaml"), options: options)
        #expect(Set(moved.objects.map(\.namespace)) == ["migrated"])
        #expect(try application("migrated", "apps", in: moved).object["spec"]?["dependsOn"] == [["name": "infra", "namespace": "migrated"]])
    }
}
