import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Render

/// `helmCharts` rendered by Keelson's Helm engine against `kubectl kustomize --enable-helm` (kustomize
/// v5.8.1 running helm 4.2.3): the same objects in the same order, or both fail.
@Suite struct KustomizeHelmChartsTests {
    /// A kustomization over the test chart, and the extra files it names.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var kustomization: String
        var files: [String: String] = [:]
        /// Where the chart is written (its chart home), relative to the test directory.
        var home = "charts"
        /// The directory to build.
        var entry = "."
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // The chart home defaults to `charts`, the release name to `release-name`, CRDs and tests hooks left as helm template leaves them.
        Case(name: "default chart home", kustomization: "helmCharts:\n- name: web\n"),
        // `helmGlobals.chartHome` moves the home; `configHome` is accepted and unused.
        Case(
            name: "custom chart home", kustomization: "helmGlobals: {chartHome: vendor/helm, configHome: /tmp/nowhere}\nhelmCharts:\n- name: web\n",
            home: "vendor/helm"),
        // With a version and a repo the chart is read from NAME-VERSION/NAME, where kustomize's pull puts it; nothing is pulled.
        Case(
            name: "pulled chart layout", kustomization: "helmCharts:\n- {name: web, version: 0.1.0, repo: 'https://charts.example.invalid'}\n",
            home: "charts/web-0.1.0"),
        // A version without a repo still reads HOME/NAME.
        Case(name: "version without repo", kustomization: "helmCharts:\n- {name: web, version: 9.9.9}\n"),
        // valuesMerge override (the default): inline wins, maps merge, lists are replaced, null removes the key from the file.
        Case(
            name: "valuesInline override",
            kustomization: """
                helmCharts:
                - name: web
                  valuesInline:
                    replicas: 3
                    image: {tag: "1.27"}
                    ports: [8080, 8443]
                    feature: {enabled: true}
                    dropped: null
                    sub: {greeting: hola}
                    extra: {big: 1000000, ratio: 1.50, code: "007"}

                """),
        // valuesMerge merge: the file wins; inline values only add keys.
        Case(
            name: "valuesInline merge",
            kustomization: """
                helmCharts:
                - name: web
                  valuesMerge: merge
                  valuesInline: {replicas: 3, image: {tag: "1.27", pullPolicy: Always}, feature: {enabled: true, extra: 1}, added: yes}

                """),
        // valuesMerge replace: inline values replace the values file (helm still starts from the chart's defaults).
        Case(
            name: "valuesInline replace",
            kustomization: "helmCharts:\n- name: web\n  valuesMerge: replace\n  valuesInline: {replicas: 4, dropped: null, labels: {tier: back}}\n"),
        // valuesFile replaces the chart's values.yaml as the file kustomize passes.
        Case(
            name: "valuesFile", kustomization: "helmCharts:\n- {name: web, valuesFile: values/prod.yaml}\n",
            files: ["values/prod.yaml": "replicas: 5\nimage: {tag: prod}\nlabels: null\n"]),
        // valuesFile combined with inline values (override), then additionalValuesFiles on top, in order.
        Case(
            name: "additionalValuesFiles",
            kustomization: """
                helmCharts:
                - name: web
                  valuesFile: values/prod.yaml
                  valuesInline: {replicas: 7}
                  additionalValuesFiles: [values/a.yaml, values/b.yaml]

                """,
            files: [
                "values/prod.yaml": "replicas: 5\nimage: {tag: prod}\n", "values/a.yaml": "image: {tag: a}\nsub: {colour: red}\n",
                "values/b.yaml": "image: {repository: registry.example.com/web}\n",
            ]),
        // releaseName and namespace become .Release.Name and .Release.Namespace.
        Case(name: "releaseName and namespace", kustomization: "helmCharts:\n- {name: web, releaseName: shop, namespace: store}\n"),
        // A chart's own namespace wins over the kustomization's, which moves none of the chart's objects.
        Case(
            name: "chart namespace over kustomization namespace",
            kustomization: "namespace: apps\nresources: [sa.yaml]\nhelmCharts:\n- {name: web, namespace: other}\n",
            files: ["sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default}\n"]),
        // A chart without a namespace takes the kustomization's as its release namespace.
        Case(name: "kustomization namespace", kustomization: "namespace: apps\nhelmCharts:\n- {name: web, releaseName: shop}\n"),
        // includeCRDs adds the chart's crds/ files first.
        Case(name: "includeCRDs", kustomization: "helmCharts:\n- {name: web, includeCRDs: true}\n"),
        // includeCRDs false is the default.
        Case(name: "includeCRDs false", kustomization: "helmCharts:\n- {name: web, includeCRDs: false}\n"),
        // skipTests drops the test hook, keeps the others.
        Case(name: "skipTests", kustomization: "helmCharts:\n- {name: web, skipTests: true}\n"),
        // skipHooks drops every hook.
        Case(name: "skipHooks", kustomization: "helmCharts:\n- {name: web, skipHooks: true}\n"),
        // apiVersions and kubeVersion reach .Capabilities.
        Case(
            name: "apiVersions and kubeVersion",
            kustomization: "helmCharts:\n- {name: web, apiVersions: [foo.example.com/v1], kubeVersion: '1.30'}\n"),
        // nameTemplate names the release with Sprig.
        Case(name: "nameTemplate", kustomization: "helmCharts:\n- {name: web, nameTemplate: '{{ printf \"%s-%s\" \"blue\" \"green\" | lower }}'}\n"),
        // The kustomization's transformers apply to the chart's output: prefix, namespace, labels, name references.
        Case(
            name: "transformers on chart output",
            kustomization: """
                namePrefix: team-
                namespace: prod
                commonLabels: {owner: team}
                resources: [extra.yaml]
                configMapGenerator:
                - {name: settings, literals: [a=b]}
                helmCharts:
                - {name: web, releaseName: shop}

                """,
            files: ["extra.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: runner}\n"]),
        // Subchart values and globals are scoped as Helm scopes them.
        Case(
            name: "subchart values",
            kustomization: "helmCharts:\n- {name: web, valuesInline: {sub: {greeting: bonjour, colour: green}, global: {env: prod}}}\n"),
        // The same chart twice under different release names.
        Case(
            name: "two releases", kustomization: "helmCharts:\n- {name: web, releaseName: one}\n- {name: web, releaseName: two, namespace: other}\n"),
        // The deprecated helmChartInflationGenerator still works, before helmCharts.
        Case(
            name: "legacy helmChartInflationGenerator",
            kustomization:
                "helmChartInflationGenerator:\n- {chartName: web, releaseName: old, valuesLocal: {replicas: 2}}\nhelmCharts:\n- {name: web, releaseName: new}\n"
        ),
        // A HelmChartInflationGenerator config under `generators` renders as a `helmCharts` entry would, after it.
        Case(
            name: "builtin generator config",
            kustomization: """
                helmCharts:
                - {name: web, releaseName: field}
                generators:
                - |-
                  apiVersion: builtin
                  kind: HelmChartInflationGenerator
                  metadata: {name: web-chart}
                  name: web
                  releaseName: plugin
                  namespace: plugged
                  valuesInline: {replicas: 3}

                """),
        // buildMetadata: a chart's objects name the generator as their origin.
        Case(name: "origin annotations", kustomization: "helmCharts:\n- {name: web}\nbuildMetadata: [originAnnotations, managedByLabel]\n"),
        // The nearest enclosing namespace is the release namespace; no namespace transformer moves the chart's objects.
        Case(
            name: "overlay namespace reaches the chart", kustomization: "namespace: outer\nresources: [mid]\n",
            files: [
                "mid/kustomization.yaml": "resources: [../base]\n", "base/kustomization.yaml": "resources: [sa.yaml]\nhelmCharts:\n- {name: web}\n",
                "base/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: runner}\n",
            ], home: "base/charts"),
        Case(
            name: "nearest namespace wins", kustomization: "namespace: outer\nresources: [mid]\n",
            files: [
                "mid/kustomization.yaml": "namespace: middle\nresources: [../base]\n", "base/kustomization.yaml": "helmCharts:\n- {name: web}\n",
            ],
            home: "base/charts"),
        Case(
            name: "component chart takes the parent's namespace", kustomization: "namespace: outer\ncomponents: [comp]\n",
            files: [
                "comp/kustomization.yaml":
                    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nhelmCharts:\n- {name: web, releaseName: c}\n"
            ],
            home: "comp/charts"),
        // YAML 1.1 in valuesInline, as kustomize's go-yaml reads it: yes/off are booleans, a `y` key is "true".
        Case(
            name: "valuesInline YAML 1.1",
            kustomization: "helmCharts:\n- {name: web, valuesInline: {feature: {enabled: yes, on: off}, y: 1, q: 'yes'}}\n"),
        // A base with a chart under an overlay: the chart home is the base's.
        Case(
            name: "chart in a base", kustomization: "namePrefix: ov-\nresources: [base]\n",
            files: ["base/kustomization.yaml": "helmCharts:\n- {name: web, releaseName: b}\n"], home: "base/charts"),
        // Failures both must report: a missing chart, a chart home outside the kustomization, a failing template,
        // a values file outside, an unknown field, a bad valuesMerge, a name and a name template together, no name.
        Case(name: "missing chart", kustomization: "helmCharts:\n- name: nothere\n"),
        Case(
            name: "chart home outside", kustomization: "namePrefix: x-\nresources: [app]\n",
            files: ["app/kustomization.yaml": "helmGlobals: {chartHome: ../charts}\nhelmCharts:\n- name: web\n"]),
        Case(name: "template fails", kustomization: "helmCharts:\n- {name: web, valuesInline: {fail: stop here}}\n"),
        Case(
            name: "values file outside", kustomization: "resources: [app]\n",
            files: ["app/kustomization.yaml": "helmCharts:\n- {name: web, valuesFile: ../v.yaml}\n", "v.yaml": "a: 1\n"], home: "app/charts"),
        Case(name: "unknown field", kustomization: "helmCharts:\n- {name: web, extraArgs: [--debug]}\n"),
        Case(name: "bad valuesMerge", kustomization: "helmCharts:\n- {name: web, valuesMerge: deep, valuesInline: {a: 1}}\n"),
        Case(name: "name and nameTemplate", kustomization: "helmCharts:\n- {name: web, releaseName: a, nameTemplate: b}\n"),
        Case(
            name: "empty values file with inline values", kustomization: "helmCharts:\n- {name: web, valuesFile: empty.yaml, valuesInline: {a: 1}}\n",
            files: ["empty.yaml": "# nothing\n"]),
        Case(name: "no name", kustomization: "helmCharts:\n- {releaseName: a}\n"),
        Case(name: "map over scalar", kustomization: "helmCharts:\n- {name: web, valuesInline: {replicas: {a: 1}}}\n"),
    ]

    @Test("Keelson renders helmCharts as kustomize v5.8.1 with helm 4.2.3 does", arguments: cases)
    func matchesKustomize(_ test: Case) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try TestCharts.write(in: dir, at: test.home)
        _ = try dir.write(test.entry == "." ? "kustomization.yaml" : test.entry + "/kustomization.yaml", test.kustomization)
        for (path, text) in test.files { _ = try dir.write(path, text) }
        try await Self.compare(dir, entry: test.entry, name: test.name)
    }
}
