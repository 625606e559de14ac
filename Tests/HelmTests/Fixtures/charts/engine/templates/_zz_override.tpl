{{- define "engine.greeting" -}}second{{- end -}}
