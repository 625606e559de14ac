extension HelmCharts {
    /// The platform chart: `services` entries in `values.yaml`, five objects each (ServiceAccount,
    /// ConfigMap, Deployment, Service, HorizontalPodAutoscaler); returns its directory.
    static func platform(_ root: String, services: Int) throws -> String {
        let chart = root + "/platform"
        try write(
            chart, "Chart.yaml",
            """
            apiVersion: v2
            name: platform
            version: 3.0.1
            appVersion: "3.0"

            """)
        try write(chart, "values.yaml", platformValues(services: services))
        for (name, text) in platformTemplates { try write(chart, "templates/" + name, text) }
        return chart
    }

    static func platformValues(services: Int) -> String {
        let tiers = ["frontend", "backend", "data", "batch"]
        var text = """
            registry: registry.example.com/platform
            defaults:
              replicas: 2
              resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 512Mi}}
              autoscaling: {min: 2, max: 10, cpu: 75}
            commonEnv:
              OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector.observability:4317
              LOG_FORMAT: json
              CLUSTER: prod-eu-1
            services:

            """
        for index in 0..<services {
            text += """
                - name: service-\(index)
                  tier: \(tiers[index % tiers.count])
                  image: service-\(index)
                  tag: 1.\(index % 7).\(index % 3)
                  port: \(8000 + index)
                  replicas: \(1 + index % 4)
                  env:
                    SERVICE_ID: "\(index)"
                    UPSTREAM: service-\((index + 1) % services)
                    POOL_SIZE: \(4 + index % 5)
                  config:
                    feature.\(index).enabled: "true"
                    limits.rps: "\(100 * (1 + index % 9))"

                """
            if index % 5 == 0 { text += "  autoscaling: {max: 30}\n" }
        }
        return text
    }

    static let platformTemplates: [String: String] = [
        "_helpers.tpl": #"""
        {{- define "platform.labels" -}}
        app.kubernetes.io/name: {{ .service.name }}
        app.kubernetes.io/instance: {{ .root.Release.Name }}
        app.kubernetes.io/part-of: {{ .root.Chart.Name }}
        app.kubernetes.io/version: {{ .service.tag | quote }}
        app.kubernetes.io/managed-by: {{ .root.Release.Service }}
        platform.example.com/tier: {{ .service.tier }}
        {{- end }}
        {{- define "platform.selector" -}}
        app.kubernetes.io/name: {{ .service.name }}
        app.kubernetes.io/instance: {{ .root.Release.Name }}
        {{- end }}
        {{- define "platform.service" -}}
        {{- $merged := mergeOverwrite (deepCopy .root.Values.defaults) .service -}}
        {{- toYaml $merged -}}
        {{- end }}

        """#,
        "serviceaccounts.yaml": #"""
        {{- range .Values.services }}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {{ .name }}
          labels:
            {{- include "platform.labels" (dict "root" $ "service" .) | nindent 4 }}
        {{- end }}

        """#,
        "configmaps.yaml": #"""
        {{- range .Values.services }}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .name }}-config
          labels:
            {{- include "platform.labels" (dict "root" $ "service" .) | nindent 4 }}
        data:
          {{- range $key, $value := .config }}
          {{ $key }}: {{ $value | quote }}
          {{- end }}
          service.json: {{ dict "name" .name "port" .port "tier" .tier | toJson | quote }}
        {{- end }}

        """#,
        "deployments.yaml": #"""
        {{- range .Values.services }}
        {{- $service := include "platform.service" (dict "root" $ "service" .) | fromYaml }}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .name }}
          labels:
            {{- include "platform.labels" (dict "root" $ "service" .) | nindent 4 }}
        spec:
          replicas: {{ $service.replicas }}
          selector:
            matchLabels:
              {{- include "platform.selector" (dict "root" $ "service" .) | nindent 6 }}
          template:
            metadata:
              labels:
                {{- include "platform.labels" (dict "root" $ "service" .) | nindent 8 }}
              annotations:
                checksum/config: {{ toJson .config | sha256sum | trunc 16 }}
            spec:
              serviceAccountName: {{ .name }}
              containers:
              - name: {{ .name }}
                image: {{ printf "%s/%s:%s" $.Values.registry .image .tag }}
                ports:
                - {name: http, containerPort: {{ .port }}}
                env:
                {{- range $key, $value := merge (dict) .env $.Values.commonEnv }}
                - name: {{ $key }}
                  value: {{ $value | toString | quote }}
                {{- end }}
                envFrom:
                - configMapRef: {name: {{ .name }}-config}
                resources:
                  {{- toYaml $service.resources | nindent 12 }}
                {{- if eq .tier "frontend" }}
                readinessProbe:
                  httpGet: {path: /ready, port: http}
                {{- end }}
        {{- end }}

        """#,
        "services.yaml": #"""
        {{- range .Values.services }}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{ .name }}
          labels:
            {{- include "platform.labels" (dict "root" $ "service" .) | nindent 4 }}
        spec:
          ports:
          - {name: http, port: 80, targetPort: {{ .port }}}
          selector:
            {{- include "platform.selector" (dict "root" $ "service" .) | nindent 4 }}
        {{- end }}

        """#,
        "autoscalers.yaml": #"""
        {{- range .Values.services }}
        {{- $service := include "platform.service" (dict "root" $ "service" .) | fromYaml }}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: {{ .name }}
          labels:
            {{- include "platform.labels" (dict "root" $ "service" .) | nindent 4 }}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{ .name }}}
          minReplicas: {{ max $service.replicas $service.autoscaling.min }}
          maxReplicas: {{ $service.autoscaling.max }}
          metrics:
          - type: Resource
            resource:
              name: cpu
              target: {type: Utilization, averageUtilization: {{ $service.autoscaling.cpu }}}
        {{- end }}

        """#,
    ]
}
