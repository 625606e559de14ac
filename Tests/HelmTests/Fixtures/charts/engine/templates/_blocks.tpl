{{- define "engine.replaced" -}}from-define{{- end -}}
