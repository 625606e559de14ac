import Foundation
import KeelsonTesting
import Manifests
import Testing

/// What Argo CD and Flux would apply for `examples/migration`, per Application: built by the engines
/// those tools run — kustomize v5.8.1 (inside kubectl 1.37.1) and Helm 4.2.3 — from the same sources
/// with the same options, each object placed in its destination namespace as the tools place it.
enum MigrationExpectations {
    /// Argo CD's layout: plain files, a Kustomize overlay with Argo CD's kustomize options, a chart
    /// with a values file, inline values and a parameter, and two Applications from an ApplicationSet.
    static func argoCD(repository root: String) async throws -> [String: [Manifest]] {
        let scratch = try TemporaryDirectory(prefix: "keelson-argocd-expected")
        defer { scratch.remove() }
        // kustomize reads resources by relative path only: the sources are copied beside the overlays.
        try FileManager.default.copyItem(atPath: root + "/workloads", toPath: scratch.path + "/workloads")
        var expected: [String: [Manifest]] = [:]
        expected["guestbook"] = try ["configmap.yaml", "deployment.yaml", "network/service.yaml"].flatMap { file in
            try decode(try String(contentsOfFile: root + "/workloads/guestbook/" + file, encoding: .utf8), file: file)
        }.map { placed($0, in: "guestbook") }
        // Argo CD runs `kustomize edit set namePrefix/image` and `add label/annotation` in the
        // source folder: the same kustomization fields, here as an overlay of the unchanged base.
        try scratch.write(
            "shop/kustomization.yaml",
            """
            resources: [../workloads/shop/overlays/prod]
            namePrefix: prod-
            commonLabels: {team: shop}
            commonAnnotations: {owner: shop-team}
            images: [{name: registry.example.com/shop, newName: registry.example.com/shop, newTag: 2.1.0}]
            """)
        expected["shop"] = try await kustomize(scratch.path + "/shop").map { placed($0, in: "shop") }
        let inline = try scratch.write("web-values.yaml", "greeting: hello from Argo CD\n")
        expected["web"] = try await helm(
            "web-prod", chart: root + "/charts/web",
            ["--namespace", "web", "-f", root + "/charts/web/values-prod.yaml", "-f", inline, "--set", "replicaCount=2"]
        ).map { placed($0, in: "web") }
        for (team, size) in [("alpha", "small"), ("beta", "large")] {
            try scratch.write(
                "team-\(team)/kustomization.yaml", "resources: [../workloads/team]\ncommonLabels: {team: \(team), size: \(size)}\n")
            expected["team-\(team)"] = try await kustomize(scratch.path + "/team-\(team)").map { placed($0, in: "team-\(team)") }
        }
        return expected
    }

    /// Flux's layout: plain files, a kustomization with `targetNamespace` and post-build
    /// substitution, and a HelmRelease whose values come from a ConfigMap and inline.
    ///
    /// Flux substitutes after the build; no `flux` binary is installable here, so the expected
    /// text is the sources with the variables replaced as Flux documents (`${var}` from
    /// `substitute` and the ConfigMap, `${var:=default}`, objects marked `substitute: disabled` left
    /// alone), built by kustomize with the namespace Flux's `targetNamespace` sets.
    static func flux(repository root: String) async throws -> [String: [Manifest]] {
        let scratch = try TemporaryDirectory(prefix: "keelson-flux-expected")
        defer { scratch.remove() }
        var expected: [String: [Manifest]] = [:]
        expected["infrastructure"] = try ["namespace.yaml", "platform-info.yaml"].flatMap { file in
            try decode(try String(contentsOfFile: root + "/flux/infrastructure/" + file, encoding: .utf8), file: file)
        }
        let variables = ["${cluster_name}": "test", "${region}": "eu-west-1", "${replicas}": "3", "${tier:=frontend}": "frontend"]
        for file in ["kustomization.yaml", "deployment.yaml", "settings.yaml", "raw.yaml"] {
            var text = try String(contentsOfFile: root + "/flux/apps/test/" + file, encoding: .utf8)
            if file != "raw.yaml" { for (variable, value) in variables { text = text.replacingOccurrences(of: variable, with: value) } }
            try scratch.write("apps/base/" + file, text)
        }
        try scratch.write("apps/kustomization.yaml", "resources: [base]\nnamespace: podinfo\n")
        expected["apps"] = try await kustomize(scratch.path + "/apps")
        // Flux merges valuesFrom in order, then the inline values; the release is TARGETNAMESPACE-NAME.
        let fromConfigMap = try scratch.write("web-values.yaml", "replicaCount: 2\nenvironment: prod\nregion: eu-west-1\n")
        let inline = try scratch.write("web-inline.yaml", "greeting: hello from Flux\n")
        expected["web"] = try await helm("web-web", chart: root + "/charts/web", ["--namespace", "web", "-f", fromConfigMap, "-f", inline])
            .map { placed($0, in: "web") }
        return expected
    }

    static func decode(_ text: String, file: String) throws -> [Manifest] {
        try Manifest.objects(from: YAMLDecoder().decode(Array(text.utf8), file: file))
    }

    /// `object` in `namespace` unless it names one or is a Namespace.
    static func placed(_ object: Manifest, in namespace: String) -> Manifest {
        guard object.namespace.isEmpty, object.kind != "Namespace" else { return object }
        var result = object
        var metadata = result.metadata
        metadata["namespace"] = .string(namespace)
        result.object["metadata"] = .object(metadata)
        return result
    }

    static func kustomize(_ directory: String) async throws -> [Manifest] {
        let result = try await ProcessRunner.run(
            try ReferenceKubectl.v137.path(), ["kustomize", "--load-restrictor", "LoadRestrictionsNone", directory])
        try #require(result.status == 0, "kustomize failed: \(result.errorOutput.suffix(400))")
        return try Manifest.objects(from: YAMLDecoder().decode(result.stdout, file: "kustomize-output"))
    }

    static func helm(_ release: String, chart: String, _ arguments: [String]) async throws -> [Manifest] {
        try await HelmReference.template(release, chart, arguments).flatMap { try decode($0.content, file: $0.source) }
    }
}
