{{- define "errors.deep" -}}
value: {{ required "deep value is required" .Values.deep }}
{{- end -}}
