{{/* Comments produce nothing. */}}
{{- define "engine.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "engine.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "engine.port" -}}
{{ .name }}: {{ .port }}
{{- end -}}

{{/* Redefined in _zz_override.tpl: Helm parses same-depth files in reverse name order, so this one wins. */}}
{{- define "engine.greeting" -}}first{{- end -}}
