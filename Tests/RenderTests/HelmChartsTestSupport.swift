import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Render

/// The kustomize reference, for fixtures and `helmCharts`: kustomize v5.8.1 (inside kubectl 1.37.1, which scripts/test installs
/// and names in `KEELSON_KUBECTL_137`), with the real helm 4.2.3 for charts.
enum KustomizeReference {
    /// kubectl 1.37.1.
    static func kubectl() throws -> String { try ReferenceKubectl.v137.path() }

    /// `kubectl kustomize --enable-helm DIRECTORY`.
    static func build(_ directory: String) async throws -> ProcessResult {
        try await ProcessRunner.run(try kubectl(), ["kustomize", "--enable-helm", "--helm-command", try HelmReference.executable(), directory])
    }
}

/// The chart tree the `helmCharts` tests render: a chart with a subchart, CRDs, hooks and a test,
/// whose ConfigMap shows what the templates saw (values, release, capabilities).
enum TestCharts {
    static let web: [String: String] = [
        "Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: \"1.2\"\n",
        "values.yaml": """
        replicas: 1
        image:
          repository: nginx
          tag: "1.25"
        ports: [80]
        labels: {tier: front}
        feature:
          enabled: false
          size: 10
        dropped: keep
        sub:
          greeting: hello
        global:
          env: dev

        """,
        "templates/_helpers.tpl": "{{- define \"web.fullname\" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end }}\n",
        "templates/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ include "web.fullname" . }}
          namespace: {{ .Release.Namespace }}
          labels: {{- toYaml .Values.labels | nindent 4 }}
        spec:
          replicas: {{ .Values.replicas }}
          selector:
            matchLabels: {app: {{ include "web.fullname" . }}}
          template:
            metadata:
              labels: {app: {{ include "web.fullname" . }}}
            spec:
              containers:
              - name: web
                image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
                envFrom:
                - configMapRef: {name: {{ include "web.fullname" . }}-info}
                ports:
                {{- range .Values.ports }}
                - containerPort: {{ . }}
                {{- end }}

        """,
        "templates/service.yaml": """
        apiVersion: v1
        kind: Service
        metadata:
          name: {{ include "web.fullname" . }}
        spec:
          selector: {app: {{ include "web.fullname" . }}}
          ports: [{port: 80}]

        """,
        "templates/info.yaml": """
        {{- if .Values.fail }}{{ fail .Values.fail }}{{ end -}}
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ include "web.fullname" . }}-info
        data:
          values: {{ toJson .Values | quote }}
          release: "{{ .Release.Name }}/{{ .Release.Namespace }}/{{ .Release.IsInstall }}/{{ .Release.Service }}"
          kube: {{ .Capabilities.KubeVersion.Version | quote }}
          hasFoo: {{ .Capabilities.APIVersions.Has "foo.example.com/v1" | quote }}
          chart: "{{ .Chart.Name }}-{{ .Chart.Version }}-{{ .Chart.AppVersion }}"

        """,
        "templates/rbac.yaml": """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {{ include "web.fullname" . }}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: {{ include "web.fullname" . }}
          namespace: {{ .Release.Namespace }}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects:
        - {kind: ServiceAccount, name: {{ include "web.fullname" . }}, namespace: {{ .Release.Namespace }}}
        - {kind: ServiceAccount, name: default}

        """,
        "templates/hooks.yaml": """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {{ include "web.fullname" . }}-migrate
          annotations:
            helm.sh/hook: pre-install,pre-upgrade
            helm.sh/hook-weight: "-5"
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: busybox}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ include "web.fullname" . }}-after
          annotations: {helm.sh/hook: post-upgrade}
        data: {at: upgrade}

        """,
        "templates/tests/test-connection.yaml": """
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{ include "web.fullname" . }}-test
          annotations: {helm.sh/hook: test}
        spec:
          restartPolicy: Never
          containers: [{name: wget, image: busybox, args: ["{{ include "web.fullname" . }}:80"]}]

        """,
        "templates/NOTES.txt": "Thanks for installing {{ .Release.Name }}.\n",
        "crds/widgets.yaml": """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]

        """,
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.3.0\n",
        "charts/sub/values.yaml": "greeting: hi\ncolour: blue\n",
        "charts/sub/templates/cm.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-sub
        data:
          greeting: {{ .Values.greeting | quote }}
          colour: {{ .Values.colour | quote }}
          env: {{ .Values.global.env | quote }}

        """,
    ]

    /// Writes the chart as `directory/web` inside `dir`.
    static func write(in dir: TemporaryDirectory, at directory: String = "charts") throws {
        for (path, text) in web { _ = try dir.write(directory + "/web/" + path, text) }
    }
}

extension KustomizeHelmChartsTests {
    /// Renders `dir` with Keelson and with kustomize; records every difference.
    static func compare(_ dir: TemporaryDirectory, entry: String = ".", name: String) async throws {
        let kustomize = try await KustomizeReference.build(dir.path + "/" + entry)
        let root = try SecureRoot(directory: dir.path)
        let ours = Result { () throws(RenderError) in try Kustomizer().render(root, path: entry) }
        switch ours {
        case .failure(let error):
            #expect(kustomize.status != 0, "\(name): Keelson failed (\(error)) but kustomize rendered it")
        case .success(let result):
            try #require(kustomize.status == 0, "\(name): kustomize failed but Keelson rendered it: \(kustomize.errorOutput.suffix(600))")
            let theirs = try Manifest.decode(kustomize.stdout, file: "kustomize-output").map(\.object)
            let mine = result.manifests.map(\.object)
            #expect(mine.map(Self.identity) == theirs.map(Self.identity), "\(name): objects or order differ")
            for (a, b) in zip(mine, theirs) where a != b {
                Issue.record(
                    "\(name): \(Self.identity(b)) differs\n--- keelson\n\(YAMLEncoder.encode(.object(a)))--- kustomize\n\(YAMLEncoder.encode(.object(b)))"
                )
            }
        }
    }

    static func identity(_ object: JSONObject) -> String {
        let metadata = object["metadata"]
        return [object["kind"]?.stringValue, metadata?["namespace"]?.stringValue, metadata?["name"]?.stringValue]
            .map { $0 ?? "" }.joined(separator: "/")
    }
}
