{{- define "shared.name" -}}cache-{{ .Chart.Name }}{{- end -}}
