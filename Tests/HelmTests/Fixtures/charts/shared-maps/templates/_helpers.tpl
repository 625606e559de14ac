{{- define "shared-maps.init" -}}
{{- $_ := set .Values "computed" (printf "%s-computed" .Values.name) -}}
{{- $_ := set . "fromPartial" "set on dot" -}}
{{- end -}}
{{- define "shared-maps.fill" -}}
{{- $_ := set . "filled" (add1 (.count | default 0)) -}}
{{- $_ := unset . "drop" -}}
{{- end -}}
