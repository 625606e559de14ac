{{- define "shared.name" -}}backend-{{ .Chart.Name }}{{- end -}}
{{- define "backend.only" -}}backend-only-{{ .Values.role }}{{- end -}}
