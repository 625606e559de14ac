import Foundation

/// Writes the charts `HelmBenchmark` renders: an application chart shaped like the charts teams
/// write (`shop`: named templates, component lists, `tpl`, `.Files.Glob`, `lookup`, hooks, an aliased
/// subchart and one reading globals) and a platform chart of many services (`platform`).
enum HelmCharts {
    /// Writes `text` at `path` below `root`, creating the folders on the way.
    static func write(_ root: String, _ path: String, _ text: String) throws { try KustomizeTree.write(root, path, text) }

    /// The application chart: about 30 template files, two subcharts; returns its directory.
    static func application(_ root: String) throws -> String {
        let chart = root + "/shop"
        try write(chart, "Chart.yaml", shopChart)
        try write(chart, "values.yaml", shopValues)
        try write(chart, ".helmignore", "*.swp\n*.bak\n.git/\n")
        for (name, text) in shopTemplates.merging(shopWorkloadTemplates, uniquingKeysWith: { $1 }) {
            try write(chart, "templates/" + name, text)
        }
        for index in 0..<6 {
            try write(chart, "files/conf.d/\(["server", "cache", "queue", "search", "mail", "audit"][index]).conf", fileText(index))
        }
        try write(chart, "files/ignored.bak", "not packaged\n")
        for (name, text) in cacheChart { try write(chart, "charts/cache/" + name, text) }
        for (name, text) in metricsChart { try write(chart, "charts/metrics/" + name, text) }
        return chart
    }

    static func fileText(_ index: Int) -> String {
        (0..<12).map { "setting_\(index)_\($0) = value-\($0 * 7 + index)" }.joined(separator: "\n") + "\n"
    }

    static let shopChart = """
        apiVersion: v2
        name: shop
        description: An online shop (benchmark chart)
        type: application
        version: 1.4.2
        appVersion: "2.8.0"
        kubeVersion: ">=1.25.0-0"
        keywords: [shop, benchmark]
        maintainers:
        - name: Platform Team
          email: platform@example.com
        dependencies:
        - name: cache
          version: 0.3.0
          alias: session
        - name: metrics
          version: 1.1.0
          condition: metrics.enabled

        """

    static let shopValues = """
        global:
          imageRegistry: registry.example.com
          environment: production
          labels:
            team: checkout
            cost-center: "4711"
        nameOverride: ""
        fullnameOverride: ""
        image:
          repository: shop/app
          tag: ""
          pullPolicy: IfNotPresent
        imagePullSecrets:
        - name: regcred
        serviceAccount:
          create: true
          name: ""
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/shop
        podAnnotations:
          prometheus.io/scrape: "true"
          prometheus.io/port: "9090"
        podSecurityContext: {fsGroup: 2000, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
          readOnlyRootFilesystem: true
          runAsUser: 1000
        nodeSelector:
          kubernetes.io/os: linux
        tolerations:
        - {key: dedicated, operator: Equal, value: shop, effect: NoSchedule}
        components:
        - name: api
          enabled: true
          replicas: 3
          port: 8080
          args: [serve, --port=8080, --metrics=:9090]
          resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: "1", memory: 512Mi}}
          autoscaling: {enabled: true, min: 3, max: 12, cpu: 70}
        - name: web
          enabled: true
          replicas: 2
          port: 3000
          image: {repository: shop/web, tag: 2.8.1}
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}
          autoscaling: {enabled: true, min: 2, max: 6, cpu: 80}
        - name: worker
          enabled: true
          replicas: 4
          args: [work, --queue=orders, --concurrency=8]
          resources: {requests: {cpu: 500m, memory: 512Mi}, limits: {cpu: "2", memory: 1Gi}}
          autoscaling: {enabled: true, min: 4, max: 20, cpu: 60}
        - name: search
          enabled: true
          replicas: 2
          port: 9200
          resources: {requests: {cpu: 200m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}
          autoscaling: {enabled: false}
        - name: notifier
          enabled: true
          replicas: 1
          port: 8081
          resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
          autoscaling: {enabled: false}
        - name: legacy
          enabled: false
          replicas: 1
          port: 8000
          resources: {}
          autoscaling: {enabled: false}
        env:
          LOG_LEVEL: info
          FEATURE_FLAGS: checkout,wishlist,reviews
          CACHE_TTL: 300
          PUBLIC_URL: https://{{ .Release.Name }}.example.com
          SESSION_HOST: "{{ .Release.Name }}-session"
          REGION: eu-west-1
        secrets:
          API_KEY: c2VjcmV0LWFwaS1rZXk
          SMTP_PASSWORD: mail-password
        database:
          password: changeit
          storage: 20Gi
          storageClass: fast-ssd
        renderedConfig:
          application.yaml: |
            server:
              name: {{ include "shop.fullname" . }}
              environment: {{ .Values.global.environment }}
            upstreams:
            {{- range .Values.components }}
            {{- if .enabled }}
              - {{ .name }}:{{ .port | default 80 }}
            {{- end }}
            {{- end }}
          logging.json: '{"level": "{{ .Values.env.LOG_LEVEL }}", "release": "{{ .Release.Name }}"}'
        ingress:
          enabled: true
          className: nginx
          annotations:
            cert-manager.io/cluster-issuer: letsencrypt
            nginx.ingress.kubernetes.io/proxy-body-size: 8m
          hosts:
          - host: shop.example.com
            paths:
            - {path: /, component: web}
            - {path: /api, component: api}
          - host: "{{ .Release.Name }}.internal.example.com"
            paths:
            - {path: /, component: api}
          tls:
          - secretName: shop-tls
            hosts: [shop.example.com, "{{ .Release.Name }}.internal.example.com"]
        cronJobs:
        - {name: cleanup, schedule: "0 3 * * *", args: [cleanup, --older-than=30d]}
        - {name: report, schedule: "*/30 * * * *", args: [report, --format=csv]}
        - {name: reindex, schedule: "0 4 * * 0", args: [reindex]}
        migrations:
          enabled: true
          name: migrate
          args: [migrate, up]
          resources: {requests: {cpu: 100m, memory: 128Mi}}
        rbac:
          create: true
          rules:
          - apiGroups: [""]
            resources: [configmaps, secrets]
            verbs: [get, list, watch]
          - apiGroups: [batch]
            resources: [jobs]
            verbs: [get, list, create]
        networkPolicy:
          enabled: true
          allowedNamespaces: [ingress-nginx, monitoring]
        quota:
          cpu: "40"
          memory: 80Gi
          pods: "100"
        serviceMonitor:
          enabled: true
          interval: 30s
        session:
          replicas: 2
          config:
            maxmemory: 256mb
            maxmemory-policy: allkeys-lru
        metrics:
          enabled: true
          scrapeInterval: 15s
        extraObjects:
        - apiVersion: v1
          kind: ConfigMap
          metadata:
            name: "{{ .Release.Name }}-extra"
          data:
            owner: "{{ .Values.global.labels.team }}"
        - apiVersion: scheduling.k8s.io/v1
          kind: PriorityClass
          metadata:
            name: "{{ .Release.Name }}-critical"
          value: 100000
          globalDefault: false

        """
}
