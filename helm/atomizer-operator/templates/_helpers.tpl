{{/* Chart name, or nameOverride. */}}
{{- define "atomizer-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: fullnameOverride, or the release name when it already contains the chart name, or
release-chart. Truncated to 63 characters, the limit of a DNS label.
*/}}
{{- define "atomizer-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "atomizer-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object of the release. */}}
{{- define "atomizer-operator.labels" -}}
helm.sh/chart: {{ include "atomizer-operator.chart" . }}
{{ include "atomizer-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: atomizer
{{- end }}

{{/* Labels of the AtomizerAgents the release renders: the release's, not the operator pod's. */}}
{{- define "atomizer-operator.agentLabels" -}}
helm.sh/chart: {{ include "atomizer-operator.chart" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: atomizer
{{- end }}

{{/* Labels that select the operator's pods; they never change across upgrades. */}}
{{- define "atomizer-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "atomizer-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The operator's ServiceAccount. */}}
{{- define "atomizer-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "atomizer-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator image reference; the tag defaults to the appVersion. */}}
{{- define "atomizer-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* "true" when the operator runs leader election: forced, or auto with more than one replica. */}}
{{- define "atomizer-operator.leaderElection" -}}
{{- $enabled := .Values.leaderElection.enabled }}
{{- if eq (toString $enabled) "auto" }}
{{- gt (int .Values.replicaCount) 1 | toString }}
{{- else }}
{{- $enabled | toString }}
{{- end }}
{{- end }}

{{/*
The namespaces the operator watches, comma-separated: watchNamespaces, else the release namespace;
empty (every namespace) only with watchAllNamespaces. The schema rejects both set together.
*/}}
{{- define "atomizer-operator.watchNamespaces" -}}
{{- if .Values.watchAllNamespaces }}
{{- if .Values.watchNamespaces }}
{{- fail "watchAllNamespaces: true and watchNamespaces exclude each other; set one of them" }}
{{- end }}
{{- else if .Values.watchNamespaces }}
{{- join "," .Values.watchNamespaces }}
{{- else }}
{{- .Release.Namespace }}
{{- end }}
{{- end }}

{{/* Name of the leader-election Lease. */}}
{{- define "atomizer-operator.leaseName" -}}
{{- default (include "atomizer-operator.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{/*
What the operator does with the API, and nothing more. RbacCoverageTest runs the operator and
checks that these rules allow every call it made and nothing it did not make.
- atomizeragents: its informer lists and watches; status is written through the status
  subresource (a patch, server-side apply in production). It never writes the spec.
- pods: its informer; create, and delete to replace or suspend. With server-side apply
  (the production default) a create is an apply patch, which the API server authorizes as
  patch, and as create when the pod does not exist yet.
- persistentvolumeclaims: its informer of state claims; create (apply) the state claim; patch to
  change the claim's owner reference (state.retainOnDelete); get to check that the shared
  workspaces/skills claims an agent names exist, before creating its pod.
- secrets: read-only, list and watch, to fingerprint tokens and keep one token in one pod.
- events: create, on the agents' transitions (core v1 Events).
*/}}
{{- define "atomizer-operator.rules" -}}
- apiGroups: ["atomizer.io"]
  resources: ["atomizeragents"]
  verbs: ["list", "watch"]
- apiGroups: ["atomizer.io"]
  resources: ["atomizeragents/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/*
Cluster-scoped reads: the nodes' allocatable memory, listed at most once a minute when an agent's
pod is created, to warn when the agents' memory requests do not fit (Event InsufficientNodeMemory).
*/}}
{{- define "atomizer-operator.nodeRules" -}}
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["list"]
{{- end }}
