{{- define "common.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .name }}
  labels:
    app.kubernetes.io/managed-by: {{ .root.Release.Service }}
    helm.sh/chart: {{ .root.Chart.Name }}
data:
  {{- range $k, $v := .data }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
  library: {{ include "common.name" .root | quote }}
{{- end -}}

{{- define "common.name" -}}common-sees-{{ .Chart.Name }}{{- end -}}
