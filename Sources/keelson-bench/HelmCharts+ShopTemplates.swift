extension HelmCharts {
    /// The shop chart's named templates, configuration, RBAC and policy objects.
    static let shopTemplates: [String: String] = [
        "_helpers.tpl": #"""
        {{/* The chart's short name. */}}
        {{- define "shop.name" -}}
        {{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
        {{- end }}

        {{/* The release-qualified name every object starts with. */}}
        {{- define "shop.fullname" -}}
        {{- if .Values.fullnameOverride }}
        {{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
        {{- else }}
        {{- $name := default .Chart.Name .Values.nameOverride }}
        {{- if contains $name .Release.Name }}
        {{- .Release.Name | trunc 63 | trimSuffix "-" }}
        {{- else }}
        {{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
        {{- end }}
        {{- end }}
        {{- end }}

        {{- define "shop.chart" -}}
        {{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
        {{- end }}

        {{- define "shop.selectorLabels" -}}
        app.kubernetes.io/name: {{ include "shop.name" . }}
        app.kubernetes.io/instance: {{ .Release.Name }}
        {{- end }}

        {{- define "shop.labels" -}}
        helm.sh/chart: {{ include "shop.chart" . }}
        {{ include "shop.selectorLabels" . }}
        {{- if .Chart.AppVersion }}
        app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
        {{- end }}
        app.kubernetes.io/managed-by: {{ .Release.Service }}
        {{- with .Values.global.labels }}
        {{ toYaml . }}
        {{- end }}
        {{- end }}

        {{/* Called with (dict "root" $ "component" .). */}}
        {{- define "shop.componentLabels" -}}
        {{ include "shop.labels" .root }}
        app.kubernetes.io/component: {{ .component.name }}
        {{- end }}

        {{- define "shop.componentSelector" -}}
        {{ include "shop.selectorLabels" .root }}
        app.kubernetes.io/component: {{ .component.name }}
        {{- end }}

        {{- define "shop.serviceAccountName" -}}
        {{- if .Values.serviceAccount.create }}
        {{- default (include "shop.fullname" .) .Values.serviceAccount.name }}
        {{- else }}
        {{- default "default" .Values.serviceAccount.name }}
        {{- end }}
        {{- end }}

        {{/* Called with (dict "root" $ "image" IMAGE). */}}
        {{- define "shop.image" -}}
        {{- $tag := .image.tag | default .root.Chart.AppVersion -}}
        {{- printf "%s/%s:%s" .root.Values.global.imageRegistry .image.repository (toString $tag) -}}
        {{- end }}

        """#,
        "_pod.tpl": #"""
        {{/* A pod spec; called with (dict "root" $ "component" COMPONENT). */}}
        {{- define "shop.podSpec" -}}
        {{- $root := .root -}}
        {{- $c := .component -}}
        serviceAccountName: {{ include "shop.serviceAccountName" $root }}
        {{- with $root.Values.imagePullSecrets }}
        imagePullSecrets:
          {{- toYaml . | nindent 2 }}
        {{- end }}
        securityContext:
          {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
        containers:
        - name: {{ $c.name }}
          image: {{ include "shop.image" (dict "root" $root "image" ($c.image | default $root.Values.image)) | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          {{- with $c.args }}
          args:
            {{- toYaml . | nindent 4 }}
          {{- end }}
          env:
          - name: COMPONENT
            value: {{ $c.name | quote }}
          {{- range $key, $value := $root.Values.env }}
          - name: {{ $key }}
            value: {{ tpl (toString $value) $root | quote }}
          {{- end }}
          envFrom:
          - configMapRef:
              name: {{ include "shop.fullname" $root }}-env
          - secretRef:
              name: {{ include "shop.fullname" $root }}
          {{- if $c.port }}
          ports:
          - name: http
            containerPort: {{ $c.port }}
            protocol: TCP
          livenessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 10
          readinessProbe:
            httpGet: {path: /ready, port: http}
          {{- end }}
          resources:
            {{- toYaml $c.resources | nindent 4 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 4 }}
          volumeMounts:
          - {name: config, mountPath: /etc/shop}
          - {name: tmp, mountPath: /tmp}
        volumes:
        - name: config
          configMap:
            name: {{ include "shop.fullname" $root }}-files
        - name: tmp
          emptyDir: {}
        {{- with $root.Values.nodeSelector }}
        nodeSelector:
          {{- toYaml . | nindent 2 }}
        {{- end }}
        {{- with $root.Values.tolerations }}
        tolerations:
          {{- toYaml . | nindent 2 }}
        {{- end }}
        {{- end }}

        """#,
        "NOTES.txt": #"""
        {{ .Chart.Name }} {{ .Chart.AppVersion }} is installed as {{ .Release.Name }}.
        {{- range .Values.ingress.hosts }}
          https://{{ tpl .host $ }}
        {{- end }}

        """#,
        "serviceaccount.yaml": #"""
        {{- if .Values.serviceAccount.create -}}
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {{ include "shop.serviceAccountName" . }}
          labels:
            {{- include "shop.labels" . | nindent 4 }}
          {{- with .Values.serviceAccount.annotations }}
          annotations:
            {{- toYaml . | nindent 4 }}
          {{- end }}
        automountServiceAccountToken: false
        {{- end }}

        """#,
        "secret.yaml": #"""
        {{- $existing := lookup "v1" "Secret" .Release.Namespace (include "shop.fullname" .) }}
        apiVersion: v1
        kind: Secret
        metadata:
          name: {{ include "shop.fullname" . }}
          labels:
            {{- include "shop.labels" . | nindent 4 }}
        type: Opaque
        data:
          {{- range $key, $value := .Values.secrets }}
          {{ $key }}: {{ $value | b64enc | quote }}
          {{- end }}
          {{- if $existing }}
          DB_PASSWORD: {{ index $existing.data "DB_PASSWORD" }}
          {{- else }}
          DB_PASSWORD: {{ required "database.password is required" .Values.database.password | b64enc | quote }}
          {{- end }}

        """#,
        "configmap-env.yaml": #"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ include "shop.fullname" . }}-env
          labels:
            {{- include "shop.labels" . | nindent 4 }}
        data:
          {{- range $key, $value := .Values.env }}
          {{ $key }}: {{ tpl (toString $value) $ | quote }}
          {{- end }}
          ENVIRONMENT: {{ .Values.global.environment | upper | quote }}
          COMPONENTS: {{ include "shop.enabledComponents" . | quote }}

        {{- define "shop.enabledComponents" -}}
        {{- $names := list -}}
        {{- range .Values.components }}{{ if .enabled }}{{ $names = append $names .name }}{{ end }}{{ end -}}
        {{- join "," $names -}}
        {{- end }}

        """#,
        "configmap-files.yaml": #"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ include "shop.fullname" . }}-files
          labels:
            {{- include "shop.labels" . | nindent 4 }}
        data:
          {{- (.Files.Glob "files/conf.d/*.conf").AsConfig | nindent 2 }}

        """#,
        "configmap-rendered.yaml": #"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ include "shop.fullname" . }}-rendered
          labels:
            {{- include "shop.labels" . | nindent 4 }}
        data:
          {{- range $name, $text := .Values.renderedConfig }}
          {{ $name }}: |
            {{- tpl $text $ | nindent 4 }}
          {{- end }}

        """#,
        "ingress.yaml": #"""
        {{- if .Values.ingress.enabled -}}
        {{- $fullName := include "shop.fullname" . -}}
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {{ $fullName }}
          labels:
            {{- include "shop.labels" . | nindent 4 }}
          {{- with .Values.ingress.annotations }}
          annotations:
            {{- toYaml . | nindent 4 }}
          {{- end }}
        spec:
          ingressClassName: {{ .Values.ingress.className }}
          tls:
            {{- range .Values.ingress.tls }}
            - secretName: {{ .secretName }}
              hosts:
                {{- range .hosts }}
                - {{ tpl . $ | quote }}
                {{- end }}
            {{- end }}
          rules:
            {{- range .Values.ingress.hosts }}
            - host: {{ tpl .host $ | quote }}
              http:
                paths:
                  {{- range .paths }}
                  - path: {{ .path }}
                    pathType: Prefix
                    backend:
                      service:
                        name: {{ $fullName }}-{{ .component }}
                        port:
                          name: http
                  {{- end }}
            {{- end }}
        {{- end }}

        """#,
        "rbac.yaml": #"""
        {{- if .Values.rbac.create }}
        {{- range $scope := list "Role" "ClusterRole" }}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: {{ $scope }}
        metadata:
          name: {{ include "shop.fullname" $ }}{{ if eq $scope "ClusterRole" }}-{{ $.Release.Namespace }}{{ end }}
          labels:
            {{- include "shop.labels" $ | nindent 4 }}
        rules:
          {{- toYaml $.Values.rbac.rules | nindent 2 }}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: {{ $scope }}Binding
        metadata:
          name: {{ include "shop.fullname" $ }}{{ if eq $scope "ClusterRole" }}-{{ $.Release.Namespace }}{{ end }}
          labels:
            {{- include "shop.labels" $ | nindent 4 }}
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: {{ $scope }}
          name: {{ include "shop.fullname" $ }}{{ if eq $scope "ClusterRole" }}-{{ $.Release.Namespace }}{{ end }}
        subjects:
        - kind: ServiceAccount
          name: {{ include "shop.serviceAccountName" $ }}
          namespace: {{ $.Release.Namespace }}
        {{- end }}
        {{- end }}

        """#,
        "networkpolicy.yaml": #"""
        {{- if .Values.networkPolicy.enabled }}
        {{- range .Values.components }}
        {{- if and .enabled .port }}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: {{ include "shop.fullname" $ }}-{{ .name }}
          labels:
            {{- include "shop.componentLabels" (dict "root" $ "component" .) | nindent 4 }}
        spec:
          podSelector:
            matchLabels:
              {{- include "shop.componentSelector" (dict "root" $ "component" .) | nindent 6 }}
          policyTypes: [Ingress]
          ingress:
          - from:
            - podSelector:
                matchLabels:
                  {{- include "shop.selectorLabels" $ | nindent 18 }}
            {{- range $.Values.networkPolicy.allowedNamespaces }}
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: {{ . }}
            {{- end }}
            ports:
            - port: {{ .port }}
              protocol: TCP
        {{- end }}
        {{- end }}
        {{- end }}

        """#,
        "quota.yaml": #"""
        apiVersion: v1
        kind: ResourceQuota
        metadata:
          name: {{ include "shop.fullname" . }}
          labels:
            {{- include "shop.labels" . | nindent 4 }}
        spec:
          hard:
            requests.cpu: {{ .Values.quota.cpu | quote }}
            requests.memory: {{ .Values.quota.memory }}
            pods: {{ .Values.quota.pods | quote }}
        ---
        apiVersion: v1
        kind: LimitRange
        metadata:
          name: {{ include "shop.fullname" . }}
          labels:
            {{- include "shop.labels" . | nindent 4 }}
        spec:
          limits:
          - type: Container
            default: {cpu: 500m, memory: 256Mi}
            defaultRequest: {cpu: 100m, memory: 128Mi}

        """#,
        "servicemonitor.yaml": #"""
        {{- if .Values.serviceMonitor.enabled }}
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata:
          name: {{ include "shop.fullname" . }}
          labels:
            {{- include "shop.labels" . | nindent 4 }}
        spec:
          selector:
            matchLabels:
              {{- include "shop.selectorLabels" . | nindent 6 }}
          endpoints:
          {{- range .Values.components }}
          {{- if and .enabled .port }}
          - port: http
            path: /metrics
            interval: {{ $.Values.serviceMonitor.interval }}
            relabelings:
            - {targetLabel: component, replacement: {{ .name }}}
          {{- end }}
          {{- end }}
        {{- end }}

        """#,
        "extra-objects.yaml": #"""
        {{- range .Values.extraObjects }}
        ---
        {{ tpl (toYaml .) $ }}
        {{- end }}

        """#,
    ]
}
