{{/* Name of the chart, at most 63 characters. */}}
{{- define "oneko.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, with the chart name unless the release already has it.
Components append -api / -worker, so it stays below 63 - 7 characters. */}}
{{- define "oneko.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 56 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 56 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 56 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "oneko.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "oneko.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "oneko.selectorLabels" -}}
app.kubernetes.io/name: {{ include "oneko.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Selector labels of one component: (dict "root" $ "component" "api"). */}}
{{- define "oneko.componentSelector" -}}
{{ include "oneko.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "oneko.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "oneko.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the Secret with the connections and keys. */}}
{{- define "oneko.secretName" -}}
{{- default (include "oneko.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* Image of a component: (dict "root" $ "component" "api" "c" .Values.api). */}}
{{- define "oneko.image" -}}
{{- if .c.image }}
{{- .c.image }}
{{- else }}
{{- printf "%s/oneko-%s:%s" (trimSuffix "/" .root.Values.image.repository) .component (default .root.Chart.AppVersion .root.Values.image.tag) }}
{{- end }}
{{- end }}

{{/* ONEKO_PUBLIC_URL. */}}
{{- define "oneko.publicURL" -}}
{{- if .Values.config.publicURL }}
{{- trimSuffix "/" .Values.config.publicURL }}
{{- else if .Values.ingress.enabled }}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host }}
{{- else }}
{{- printf "http://%s.%s.svc:%v" (include "oneko.fullname" .) .Release.Namespace .Values.service.port }}
{{- end }}
{{- end }}

{{/* ONEKO_SECURE_COOKIES. */}}
{{- define "oneko.secureCookies" -}}
{{- if kindIs "bool" .Values.config.secureCookies }}
{{- .Values.config.secureCookies }}
{{- else }}
{{- and .Values.ingress.enabled .Values.ingress.tls.enabled }}
{{- end }}
{{- end }}

{{/* Rules of oneko's ServiceAccount wherever it works (a ClusterRole, or a Role in each
managed namespace). What oneko's code does itself:
- secrets: Helm keeps every release revision in a Secret of its namespace (get, list,
  watch, create, update, patch, delete), and oneko writes the pull secret of a project's
  docker registry into each namespace it deploys to (create, update; list and delete when
  the registry's credentials change or it is deleted).
- pods, pods/log, events: status of releases, Helm's readiness wait, logs and events.
- namespaces: get the namespaces it deploys to (creating and deleting them needs the
  cluster scope, added there).
Then releaseRules: the objects that the charts of the releases create. */}}
{{- define "oneko.rules" -}}
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [pods, pods/log, events]
  verbs: [get, list, watch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [get, list, watch]
{{- with .Values.rbac.releaseRules }}
{{ toYaml . }}
{{- end }}
{{- with .Values.rbac.extraRules }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Checks the templates make beyond values.schema.json. */}}
{{- define "oneko.validate" -}}
{{- if and (eq .Values.rbac.scope "namespaced") .Values.rbac.create (empty .Values.rbac.namespaces) }}
{{- fail "rbac.namespaces: list the namespaces oneko may deploy to when rbac.scope is namespaced" }}
{{- end }}
{{- if not .Values.secrets.existingSecret }}
{{- range $k := list "secretKey" "mongoURI" "redisURL" }}
{{- if not (get $.Values.secrets $k) }}
{{- fail (printf "secrets.%s is required unless secrets.existingSecret names a Secret that holds it" $k) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* The Pod of a component: (dict "root" $ "component" "api" "c" .Values.api). */}}
{{- define "oneko.podTemplate" -}}
{{- $root := .root }}
{{- $c := .c }}
metadata:
  labels:
    {{- include "oneko.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
    {{- with $c.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    {{- /* Roll the Pods when the chart-made Secret changes. */}}
    {{- if not $root.Values.secrets.existingSecret }}
    checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
    {{- end }}
    {{- with $c.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "oneko.serviceAccountName" $root }}
  automountServiceAccountToken: {{ not $root.Values.config.kubeconfigSecret }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  {{- if eq .component "worker" }}
  terminationGracePeriodSeconds: {{ add $c.shutdownTimeoutSeconds $c.terminationGraceMarginSeconds }}
  {{- else }}
  terminationGracePeriodSeconds: {{ add $c.preStopSleepSeconds 15 }}
  {{- end }}
  {{- if $c.topologySpread.enabled }}
  topologySpreadConstraints:
    - maxSkew: {{ $c.topologySpread.maxSkew }}
      topologyKey: {{ $c.topologySpread.topologyKey }}
      whenUnsatisfiable: {{ $c.topologySpread.whenUnsatisfiable }}
      labelSelector:
        matchLabels:
          {{- include "oneko.componentSelector" . | nindent 10 }}
  {{- end }}
  {{- with $c.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "oneko.image" . | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      ports:
        - name: http
          containerPort: {{ $root.Values.containerPort }}
          protocol: TCP
      env:
        - name: ONEKO_HTTP_ADDR
          value: {{ printf "0.0.0.0:%v" $root.Values.containerPort | quote }}
        - name: ONEKO_PUBLIC_URL
          value: {{ include "oneko.publicURL" $root | quote }}
        - name: ONEKO_MONGO_DATABASE
          value: {{ $root.Values.config.mongoDatabase | quote }}
        - name: ONEKO_SECURE_COOKIES
          value: {{ include "oneko.secureCookies" $root | quote }}
        - name: ONEKO_SESSION_TTL
          value: {{ $root.Values.config.sessionTTL | quote }}
        - name: ONEKO_END_OF_DAY
          value: {{ $root.Values.config.endOfDay | quote }}
        - name: ONEKO_END_OF_DAY_NEXT_DAY
          value: {{ $root.Values.config.endOfDayNextDay | quote }}
        - name: ONEKO_LAST_WORKING_DAY
          value: {{ $root.Values.config.lastWorkingDay | quote }}
        - name: ONEKO_TIMEZONE
          value: {{ $root.Values.config.timezone | quote }}
        - name: ONEKO_LOG_LEVEL
          value: {{ $root.Values.config.logLevel | quote }}
        - name: ONEKO_RENDER_MAX_BYTES
          value: {{ $root.Values.config.renderMaxBytes | quote }}
        - name: ONEKO_LOGIN_MAX_FAILURES
          value: {{ $root.Values.config.loginMaxFailures | quote }}
        - name: ONEKO_LOGIN_ADDRESS_MAX_FAILURES
          value: {{ $root.Values.config.loginAddressMaxFailures | quote }}
        - name: ONEKO_LOGIN_WINDOW
          value: {{ $root.Values.config.loginWindow | quote }}
        - name: ONEKO_LOGIN_CONCURRENCY
          value: {{ $root.Values.config.loginConcurrency | quote }}
        - name: ONEKO_TOKEN_MAX_LIFETIME
          value: {{ $root.Values.config.tokenMaxLifetime | quote }}
        - name: ONEKO_ORPHAN_SWEEP_MAX_SHARE
          value: {{ $root.Values.config.orphanSweepMaxShare | quote }}
        - name: ONEKO_EVENTS_MAX_PER_USER
          value: {{ $root.Values.config.eventsMaxPerUser | quote }}
        - name: ONEKO_EVENTS_MAX_STREAMS
          value: {{ $root.Values.config.eventsMaxStreams | quote }}
        - name: ONEKO_LOG_FOLLOWS_PER_USER
          value: {{ $root.Values.config.logFollowsPerUser | quote }}
        - name: ONEKO_LOG_FOLLOWS_TOTAL
          value: {{ $root.Values.config.logFollowsTotal | quote }}
        - name: ONEKO_WEBHOOK_ONLY_POLL_INTERVAL
          value: {{ $root.Values.config.webhookOnlyPollInterval | quote }}
        {{- with $root.Values.config.externalLogURL }}
        - name: ONEKO_EXTERNAL_LOG_URL
          value: {{ . | quote }}
        {{- end }}
        {{- with $root.Values.config.chartOrigins }}
        - name: ONEKO_CHART_ORIGINS
          value: {{ join "," . | quote }}
        {{- end }}
        {{- with $root.Values.config.trustedProxies }}
        - name: ONEKO_TRUSTED_PROXIES
          value: {{ join "," . | quote }}
        {{- end }}
        {{- with $root.Values.config.installationID }}
        - name: ONEKO_INSTALLATION_ID
          value: {{ . | quote }}
        {{- end }}
        {{- with $root.Values.config.allowClusterScoped }}
        - name: ONEKO_ALLOW_CLUSTER_SCOPED
          value: {{ join "," . | quote }}
        {{- end }}
        {{- with $root.Values.config.allowNamespaces }}
        - name: ONEKO_ALLOW_NAMESPACES
          value: {{ join "," . | quote }}
        {{- end }}
        - name: ONEKO_WORKER_CONCURRENCY
          value: {{ $root.Values.worker.concurrency | quote }}
        - name: ONEKO_WORKER_SHUTDOWN_TIMEOUT
          value: {{ printf "%vs" $root.Values.worker.shutdownTimeoutSeconds | quote }}
        - name: ONEKO_DATA_DIR
          value: /var/lib/oneko
        - name: HOME
          value: /tmp
        {{- if $root.Values.config.kubeconfigSecret }}
        - name: ONEKO_KUBECONFIG
          value: /etc/oneko/kubeconfig/kubeconfig
        {{- end }}
        - name: ONEKO_SECRET_KEY
          valueFrom:
            secretKeyRef:
              name: {{ include "oneko.secretName" $root }}
              key: {{ $root.Values.secrets.keys.secretKey }}
        - name: ONEKO_MONGO_URI
          valueFrom:
            secretKeyRef:
              name: {{ include "oneko.secretName" $root }}
              key: {{ $root.Values.secrets.keys.mongoURI }}
        - name: ONEKO_REDIS_URL
          valueFrom:
            secretKeyRef:
              name: {{ include "oneko.secretName" $root }}
              key: {{ $root.Values.secrets.keys.redisURL }}
        {{- if eq .component "api" }}
        - name: ONEKO_ADMIN_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ include "oneko.secretName" $root }}
              key: {{ $root.Values.secrets.keys.adminPassword }}
              optional: true
        - name: ONEKO_MIGRATE_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ include "oneko.secretName" $root }}
              key: {{ $root.Values.secrets.keys.migratePassword }}
              optional: true
        {{- end }}
        {{- with $c.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      startupProbe:
        httpGet: {path: /healthz, port: http}
        periodSeconds: 2
        failureThreshold: 60
      livenessProbe:
        httpGet: {path: /healthz, port: http}
        periodSeconds: 10
        timeoutSeconds: 2
        failureThreshold: 3
      readinessProbe:
        httpGet: {path: /readyz, port: http}
        periodSeconds: 5
        timeoutSeconds: 3
        failureThreshold: 2
      {{- if and (eq .component "api") (gt (int $c.preStopSleepSeconds) 0) }}
      lifecycle:
        preStop:
          sleep:
            seconds: {{ $c.preStopSleepSeconds }}
      {{- end }}
      resources:
        {{- toYaml $c.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: data
          mountPath: /var/lib/oneko
        {{- if $root.Values.config.kubeconfigSecret }}
        - name: kubeconfig
          mountPath: /etc/oneko/kubeconfig
          readOnly: true
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ $root.Values.scratch.sizeLimit }}
    - name: data
      emptyDir:
        sizeLimit: {{ $root.Values.scratch.sizeLimit }}
    {{- if $root.Values.config.kubeconfigSecret }}
    - name: kubeconfig
      secret:
        secretName: {{ $root.Values.config.kubeconfigSecret }}
    {{- end }}
{{- end }}
