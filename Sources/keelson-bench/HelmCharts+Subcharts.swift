extension HelmCharts {
    /// `charts/cache`, which the shop chart uses under the alias `session`.
    static let cacheChart: [String: String] = [
        "Chart.yaml": """
        apiVersion: v2
        name: cache
        version: 0.3.0
        appVersion: "7.2.4"

        """,
        "values.yaml": """
        replicas: 1
        image: {repository: cache/valkey, tag: 7.2.4}
        port: 6379
        config:
          maxmemory: 64mb
          appendonly: "yes"

        """,
        "templates/_helpers.tpl": #"""
        {{- define "cache.fullname" -}}
        {{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
        {{- end }}
        {{- define "cache.labels" -}}
        app.kubernetes.io/name: {{ .Chart.Name }}
        app.kubernetes.io/instance: {{ .Release.Name }}
        app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
        {{- with .Values.global.labels }}
        {{ toYaml . }}
        {{- end }}
        {{- end }}

        """#,
        "templates/configmap.yaml": #"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ include "cache.fullname" . }}
          labels:
            {{- include "cache.labels" . | nindent 4 }}
        data:
          cache.conf: |
            {{- range $key, $value := .Values.config }}
            {{ $key }} {{ $value }}
            {{- end }}
            port {{ .Values.port }}

        """#,
        "templates/statefulset.yaml": #"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: {{ include "cache.fullname" . }}
          labels:
            {{- include "cache.labels" . | nindent 4 }}
        spec:
          replicas: {{ .Values.replicas }}
          serviceName: {{ include "cache.fullname" . }}
          selector:
            matchLabels:
              app.kubernetes.io/name: {{ .Chart.Name }}
              app.kubernetes.io/instance: {{ .Release.Name }}
          template:
            metadata:
              labels:
                {{- include "cache.labels" . | nindent 8 }}
              annotations:
                checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
            spec:
              containers:
              - name: cache
                image: "{{ .Values.global.imageRegistry }}/{{ .Values.image.repository }}:{{ .Values.image.tag }}"
                args: [/etc/cache/cache.conf]
                ports:
                - {name: cache, containerPort: {{ .Values.port }}}
                volumeMounts:
                - {name: config, mountPath: /etc/cache}
              volumes:
              - name: config
                configMap:
                  name: {{ include "cache.fullname" . }}

        """#,
        "templates/service.yaml": #"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {{ include "cache.fullname" . }}
          labels:
            {{- include "cache.labels" . | nindent 4 }}
        spec:
          clusterIP: None
          ports:
          - {name: cache, port: {{ .Values.port }}, targetPort: cache}
          selector:
            app.kubernetes.io/name: {{ .Chart.Name }}
            app.kubernetes.io/instance: {{ .Release.Name }}

        """#,
    ]

    /// `charts/metrics`, enabled by the shop chart's `metrics.enabled`; reads the parent's globals.
    static let metricsChart: [String: String] = [
        "Chart.yaml": """
        apiVersion: v2
        name: metrics
        version: 1.1.0
        appVersion: "0.27.0"

        """,
        "values.yaml": """
        enabled: false
        scrapeInterval: 60s
        image: {repository: metrics/exporter, tag: v0.27.0}
        global:
          environment: development

        """,
        "templates/_helpers.tpl": #"""
        {{- define "metrics.labels" -}}
        app.kubernetes.io/name: {{ .Chart.Name }}
        app.kubernetes.io/instance: {{ .Release.Name }}
        environment: {{ .Values.global.environment }}
        {{- range $key, $value := .Values.global.labels }}
        {{ $key }}: {{ $value | quote }}
        {{- end }}
        {{- end }}

        """#,
        "templates/resources.yaml": #"""
        {{- $name := printf "%s-metrics" .Release.Name -}}
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {{ $name }}
          labels:
            {{- include "metrics.labels" . | nindent 4 }}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ $name }}
          labels:
            {{- include "metrics.labels" . | nindent 4 }}
        data:
          scrape.yaml: |
            global:
              scrape_interval: {{ .Values.scrapeInterval }}
              external_labels:
                {{- toYaml .Values.global.labels | nindent 8 }}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ $name }}
          labels:
            {{- include "metrics.labels" . | nindent 4 }}
        spec:
          selector:
            matchLabels:
              app.kubernetes.io/name: {{ .Chart.Name }}
          template:
            metadata:
              labels:
                {{- include "metrics.labels" . | nindent 8 }}
            spec:
              serviceAccountName: {{ $name }}
              containers:
              - name: exporter
                image: {{ printf "%s/%s:%s" .Values.global.imageRegistry .Values.image.repository .Values.image.tag | quote }}
                ports:
                - {name: metrics, containerPort: 9100}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{ $name }}
          labels:
            {{- include "metrics.labels" . | nindent 4 }}
        spec:
          ports:
          - {name: metrics, port: 9100, targetPort: metrics}
          selector:
            app.kubernetes.io/name: {{ .Chart.Name }}

        """#,
    ]
}
