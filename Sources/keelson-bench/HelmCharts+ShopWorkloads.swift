extension HelmCharts {
    /// The shop chart's workloads, services, autoscalers and hooks.
    static let shopWorkloadTemplates: [String: String] = [
        "deployments.yaml": #"""
        {{- range .Values.components }}
        {{- if .enabled }}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ include "shop.fullname" $ }}-{{ .name }}
          labels:
            {{- include "shop.componentLabels" (dict "root" $ "component" .) | nindent 4 }}
        spec:
          {{- if not .autoscaling.enabled }}
          replicas: {{ .replicas }}
          {{- end }}
          revisionHistoryLimit: 5
          strategy:
            type: RollingUpdate
            rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
          selector:
            matchLabels:
              {{- include "shop.componentSelector" (dict "root" $ "component" .) | nindent 6 }}
          template:
            metadata:
              annotations:
                checksum/env: {{ include (print $.Template.BasePath "/configmap-env.yaml") $ | sha256sum }}
                checksum/files: {{ include (print $.Template.BasePath "/configmap-files.yaml") $ | sha256sum }}
                {{- with $.Values.podAnnotations }}
                {{- toYaml . | nindent 8 }}
                {{- end }}
              labels:
                {{- include "shop.componentLabels" (dict "root" $ "component" .) | nindent 8 }}
            spec:
              {{- include "shop.podSpec" (dict "root" $ "component" .) | nindent 6 }}
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 100
                    podAffinityTerm:
                      topologyKey: kubernetes.io/hostname
                      labelSelector:
                        matchLabels:
                          {{- include "shop.componentSelector" (dict "root" $ "component" .) | nindent 16 }}
        {{- end }}
        {{- end }}

        """#,
        "services.yaml": #"""
        {{- range .Values.components }}
        {{- if and .enabled .port }}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{ include "shop.fullname" $ }}-{{ .name }}
          labels:
            {{- include "shop.componentLabels" (dict "root" $ "component" .) | nindent 4 }}
        spec:
          type: ClusterIP
          ports:
          - name: http
            port: {{ .port }}
            targetPort: http
            protocol: TCP
          selector:
            {{- include "shop.componentSelector" (dict "root" $ "component" .) | nindent 4 }}
        {{- end }}
        {{- end }}

        """#,
        "hpa.yaml": #"""
        {{- range .Values.components }}
        {{- if and .enabled .autoscaling.enabled }}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: {{ include "shop.fullname" $ }}-{{ .name }}
          labels:
            {{- include "shop.componentLabels" (dict "root" $ "component" .) | nindent 4 }}
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: {{ include "shop.fullname" $ }}-{{ .name }}
          minReplicas: {{ .autoscaling.min }}
          maxReplicas: {{ .autoscaling.max }}
          metrics:
          - type: Resource
            resource:
              name: cpu
              target: {type: Utilization, averageUtilization: {{ .autoscaling.cpu }}}
        {{- end }}
        {{- end }}

        """#,
        "pdb.yaml": #"""
        {{- range .Values.components }}
        {{- if and .enabled (gt (int .replicas) 1) }}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: {{ include "shop.fullname" $ }}-{{ .name }}
          labels:
            {{- include "shop.componentLabels" (dict "root" $ "component" .) | nindent 4 }}
        spec:
          minAvailable: {{ sub (int .replicas) 1 }}
          selector:
            matchLabels:
              {{- include "shop.componentSelector" (dict "root" $ "component" .) | nindent 6 }}
        {{- end }}
        {{- end }}

        """#,
        "cronjobs.yaml": #"""
        {{- range .Values.cronJobs }}
        {{- $job := merge (dict "resources" (dict "requests" (dict "cpu" "50m" "memory" "64Mi"))) . }}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: {{ printf "%s-%s" (include "shop.fullname" $) .name | trunc 52 }}
          labels:
            {{- include "shop.componentLabels" (dict "root" $ "component" .) | nindent 4 }}
        spec:
          schedule: {{ .schedule | quote }}
          concurrencyPolicy: Forbid
          jobTemplate:
            spec:
              template:
                metadata:
                  labels:
                    {{- include "shop.componentSelector" (dict "root" $ "component" .) | nindent 12 }}
                spec:
                  restartPolicy: OnFailure
                  {{- include "shop.podSpec" (dict "root" $ "component" $job) | nindent 10 }}
        {{- end }}

        """#,
        "database.yaml": #"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: {{ include "shop.fullname" . }}-db
          labels:
            {{- include "shop.componentLabels" (dict "root" . "component" (dict "name" "db")) | nindent 4 }}
        spec:
          serviceName: {{ include "shop.fullname" . }}-db
          replicas: 1
          selector:
            matchLabels:
              {{- include "shop.componentSelector" (dict "root" . "component" (dict "name" "db")) | nindent 6 }}
          template:
            metadata:
              labels:
                {{- include "shop.componentSelector" (dict "root" . "component" (dict "name" "db")) | nindent 8 }}
            spec:
              containers:
              - name: postgres
                image: {{ printf "%s/postgres:16.2" .Values.global.imageRegistry }}
                env:
                - name: POSTGRES_PASSWORD
                  valueFrom:
                    secretKeyRef: {name: {{ include "shop.fullname" . }}, key: DB_PASSWORD}
                ports:
                - {name: postgres, containerPort: 5432}
                volumeMounts:
                - {name: data, mountPath: /var/lib/postgresql/data}
          volumeClaimTemplates:
          - metadata:
              name: data
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: {{ .Values.database.storageClass }}
              resources:
                requests:
                  storage: {{ .Values.database.storage }}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{ include "shop.fullname" . }}-db
          labels:
            {{- include "shop.labels" . | nindent 4 }}
        spec:
          clusterIP: None
          ports:
          - {name: postgres, port: 5432}
          selector:
            {{- include "shop.componentSelector" (dict "root" . "component" (dict "name" "db")) | nindent 4 }}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: {{ include "shop.fullname" . }}-uploads
          labels:
            {{- include "shop.labels" . | nindent 4 }}
          annotations:
            helm.sh/resource-policy: keep
        spec:
          accessModes: [ReadWriteMany]
          resources:
            requests:
              storage: 50Gi

        """#,
        "hooks.yaml": #"""
        {{- if .Values.migrations.enabled }}
        {{- range $event, $weight := dict "pre-install,pre-upgrade" "-5" "post-install" "5" "pre-upgrade" "-10" }}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {{ include "shop.fullname" $ }}-{{ $.Values.migrations.name }}-{{ $event | replace "," "-" | sha1sum | trunc 8 }}
          labels:
            {{- include "shop.labels" $ | nindent 4 }}
          annotations:
            helm.sh/hook: {{ $event }}
            helm.sh/hook-weight: {{ $weight | quote }}
            helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
        spec:
          backoffLimit: 1
          template:
            spec:
              restartPolicy: Never
              {{- include "shop.podSpec" (dict "root" $ "component" $.Values.migrations) | nindent 6 }}
        {{- end }}
        {{- end }}

        """#,
        "tests/test-connection.yaml": #"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{ include "shop.fullname" . }}-test-connection
          labels:
            {{- include "shop.labels" . | nindent 4 }}
          annotations:
            helm.sh/hook: test
        spec:
          restartPolicy: Never
          containers:
          {{- range .Values.components }}
          {{- if and .enabled .port }}
          - name: wget-{{ .name }}
            image: busybox:1.36
            command: [wget]
            args: ['{{ include "shop.fullname" $ }}-{{ .name }}:{{ .port }}']
          {{- end }}
          {{- end }}

        """#,
    ]
}
