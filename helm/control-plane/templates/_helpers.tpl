{{- define "control-plane.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "control-plane.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "control-plane.labels" -}}
app.kubernetes.io/name: {{ include "control-plane.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "control-plane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "control-plane.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* An embedded (H2) database lives inside one pod: it cannot be shared by replicas. */}}
{{- define "control-plane.embeddedDatabase" -}}
{{- if hasPrefix "jdbc:h2:" .Values.database.url -}}true{{- end -}}
{{- end -}}

{{- define "control-plane.checkReplicas" -}}
{{- if include "control-plane.embeddedDatabase" . -}}
{{- if or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled -}}
{{- fail "An embedded H2 database (database.url jdbc:h2:…) cannot be shared by replicas: set replicaCount: 1 and autoscaling.enabled: false, or use PostgreSQL" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "control-plane.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "control-plane.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}
