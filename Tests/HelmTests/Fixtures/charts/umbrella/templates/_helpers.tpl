{{/* Also defined by the backend subchart: the parent's definition wins everywhere. */}}
{{- define "shared.name" -}}parent-{{ .Chart.Name }}{{- end -}}

{{- define "umbrella.fullname" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}
