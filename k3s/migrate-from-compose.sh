#!/usr/bin/env bash
# migrate-from-compose.sh: moves the team's docker-compose agents onto k3s IN PLACE.
#
# Nothing is copied, moved or changed on disk. Each agent starts on its existing data: its private
# state directory and the shared workspaces directory become hostPath PersistentVolumes, each
# pre-bound (claimRef) to the claim that will use it:
#   instances/<agent>/  -> PV <ns>-<agent>-state  -> claim <agent>-state (the operator creates it)
#   workspaces/         -> PV <ns>-workspaces      -> claim atomizer-workspaces (created here)
#   skills/ (if any)    -> PV <ns>-skills          -> claim atomizer-skills (created here)
# Every PV has reclaim policy Retain and the dedicated class atomizer-hostpath, which no
# provisioner serves, so nothing but these PVs can bind those claims and deleting a claim never
# deletes data. The tokens go into the Secret atomizer-discord-tokens, and one AtomizerAgent is
# created per agent service.
#
# Supported layout (the team's pivot document):
#   <compose-dir>/docker-compose.yml  services, each with:
#       environment: DISCORD_TOKEN=${<AGENT>_TOKEN} (or DISCORD_BOT_TOKEN), list or map form;
#                    other KEY=literal entries are kept, KEY=${VAR} entries read VAR from the Secret
#       volumes: ./instances/<agent>:/root/.openclaw (short or long syntax; any target works)
#                ./workspaces:/app/workspaces and ./skills:/app/skills (in a service or an x- anchor)
#       image, container_name; anchors (x-agent-base: &agent-base) and merges (<<: *agent-base)
#   <compose-dir>/.env                KEY=VALUE lines (export, quotes and comments allowed)
#   <compose-dir>/instances/<agent>/  private state, one directory per agent
#   <compose-dir>/workspaces/         shared brain; workspaces/<agent>/ or a known alias
#                                     (tech-lead -> technical-lead, nx-expert -> nx_expert)
# A service is an agent when it maps DISCORD_TOKEN or DISCORD_BOT_TOKEN to a ${VAR} of .env; other
# services are listed and left out. Not supported (the script stops with a message): named docker
# volumes, tokens written inline in docker-compose.yml, env_file-only tokens, flow mappings, YAML
# multi-documents. Single-node k3s is assumed: hostPath volumes live on this machine.
#
# Idempotent: every object is looked up first (kubectl get); existing ones are reported as
# "already migrated" and never changed. Objects are only ever created (kubectl create), never
# applied or replaced. Token values are never printed, not even in --dry-run.
#
# Usage: k3s/migrate-from-compose.sh [--dry-run] [--compose-dir DIR] [--namespace NS]
#                                    [--kubectl CMD] [--agent-dir AGENT=DIR]...
#   --dry-run             print the plan and the objects' YAML; change nothing
#   --compose-dir DIR     the compose layout (default: ~/atomizer)
#   --namespace NS        namespace of the Secret, claims and agents (default: atomizer)
#   --kubectl CMD         kubectl command, e.g. "k3s kubectl" (default: kubectl)
#   --agent-dir A=DIR     the agent A's directory under workspaces/, when it is not A or an alias
# Environment: DOCKER (default docker) is used to refuse while the compose agents still run.
set -euo pipefail

SECRET=atomizer-discord-tokens
WORKSPACES_CLAIM=atomizer-workspaces
SKILLS_CLAIM=atomizer-skills
CLASS=atomizer-hostpath
# hostPath volumes enforce no size; these only have to satisfy the claims' requests.
STATE_SIZE=1Gi
SHARED_SIZE=10Gi
OPENCLAW_UID=1000 # the OpenClaw image's user; the operator's pods run as it by default

dry_run=0
compose_dir="${HOME}/atomizer"
namespace=atomizer
kubectl_cmd=kubectl
declare -A agent_dir_opt=()

die() { echo "migrate-from-compose: $*" >&2; exit 1; }
note() { echo "  note: $*"; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --compose-dir) compose_dir="${2:?--compose-dir needs a directory}"; shift ;;
    --namespace) namespace="${2:?--namespace needs a name}"; shift ;;
    --kubectl) kubectl_cmd="${2:?--kubectl needs a command}"; shift ;;
    --agent-dir)
      [[ "${2:-}" == *=* ]] || die "--agent-dir needs AGENT=DIR"
      agent_dir_opt["${2%%=*}"]="${2#*=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "migrate-from-compose: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
read -r -a KUBECTL <<<"${kubectl_cmd}"
[[ "${namespace}" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "namespace '${namespace}' is not a DNS-1123 label"
[[ -d "${compose_dir}" ]] || die "no compose directory at ${compose_dir} (use --compose-dir)"
compose_dir="$(cd "${compose_dir}" && pwd -P)"
compose_file="${compose_dir}/docker-compose.yml"
[[ -f "${compose_file}" ]] || compose_file="${compose_dir}/compose.yml"
[[ -f "${compose_file}" ]] || die "no docker-compose.yml in ${compose_dir}"
env_file="${compose_dir}/.env"
[[ -f "${env_file}" ]] || die "no .env in ${compose_dir}: it holds the agents' tokens"

# --- Parse docker-compose.yml (awk, no YAML library). Output, tab-separated:
#   B name | A name anchor | M name anchor | S name key value | K name key
#   E name VAR value | V name src:target | U name what
parse_compose() {
  awk '
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
    function unq(s) {
      s = trim(s)
      if (s ~ /^".*"$/ || s ~ /^\047.*\047$/) s = substr(s, 2, length(s) - 2)
      return s
    }
    function flush_long() {
      if (lv_open && lv_src != "" && lv_tgt != "") print "V", block, lv_src ":" lv_tgt
      else if (lv_open) print "U", block, "a long-syntax volume without source or target"
      lv_open = 0; lv_src = ""; lv_tgt = ""
    }
    function start_block(text, ind,   name, rest) {
      flush_long()
      name = unq(substr(text, 1, index(text, ":") - 1)); rest = substr(text, index(text, ":") + 1)
      block = name; key = ""; key_ind = -1; block_ind = ind
      print "B", name
      if (match(rest, /&[A-Za-z0-9_.-]+/)) print "A", name, substr(rest, RSTART + 1, RLENGTH - 1)
    }
    function env_item(item,   n) {
      item = unq(item); n = index(item, "=")
      if (n) print "E", block, substr(item, 1, n - 1), substr(item, n + 1)
      else print "E", block, item, "\001"
    }
    function flow_items(v,   parts, i, n) {
      gsub(/^\[|\]$/, "", v); n = split(v, parts, ",")
      for (i = 1; i <= n; i++) if (trim(parts[i]) != "") {
        if (key == "environment") env_item(parts[i]); else print "V", block, unq(parts[i])
      }
    }
    BEGIN { OFS = "\t"; block = ""; in_services = 0; svc_ind = -1 }
    {
      line = $0; sub(/\r$/, "", line)
      if (line ~ /^[ \t]*(#.*)?$/) next
      if (line ~ /^---/) { if (content) { print "U", "-", "a second YAML document"; exit } next }
      content = 1
      sub(/[ \t]+#.*$/, "", line)
      match(line, /^ */); ind = RLENGTH; text = substr(line, ind + 1)
      if (ind == 0) {
        flush_long(); block = ""; in_services = 0
        if (text ~ /^services:[ \t]*$/) { in_services = 1; svc_ind = -1 }
        else if (text ~ /^x-[^:]*:/) start_block(text, 0)
        next
      }
      if (in_services && (svc_ind < 0 || ind == svc_ind) && text ~ /^[^- #][^:]*:/) {
        svc_ind = ind; start_block(text, ind); next
      }
      if (block == "" || ind <= block_ind) next
      if (key_ind < 0) key_ind = ind
      if (ind == key_ind && text !~ /^-( |$)/) {
        flush_long()
        k = unq(substr(text, 1, index(text, ":") - 1)); v = trim(substr(text, index(text, ":") + 1))
        key = k
        if (k == "<<") {
          while (match(v, /\*[A-Za-z0-9_.-]+/)) { print "M", block, substr(v, RSTART + 1, RLENGTH - 1); v = substr(v, RSTART + RLENGTH) }
        } else if (k == "environment" || k == "volumes") {
          print "K", block, k
          if (v ~ /^\[/) flow_items(v); else if (v ~ /^\{/) print "U", block, k " as a flow mapping"
        } else if (k == "image" || k == "container_name" || k == "env_file") {
          print "S", block, k, unq(v)
        }
        next
      }
      if (key == "environment") {
        if (text ~ /^- /) env_item(substr(text, 3))
        else if (text ~ /^[^:]+:/) {
          n = index(text, ":"); v = unq(substr(text, n + 1))
          print "E", block, unq(substr(text, 1, n - 1)), v
        }
      } else if (key == "volumes") {
        if (text ~ /^- /) {
          flush_long(); item = trim(substr(text, 3))
          if (item ~ /^[a-z_]+:( |$)/) { lv_open = 1; text = item } else { print "V", block, unq(item); next }
        }
        if (lv_open && text ~ /^source:/) lv_src = unq(substr(text, 8))
        if (lv_open && text ~ /^target:/) lv_tgt = unq(substr(text, 8))
      }
    }
    END { flush_long() }
  ' "${compose_file}"
}

declare -A anchors=() merges=() scalars=() haskey=() envs=() vols=()
blocks=()
while IFS=$'\t' read -r rec name a b; do
  case "${rec}" in
    B) blocks+=("${name}") ;;
    A) anchors["${a}"]="${name}" ;;
    M) merges["${name}"]+="${a} " ;;
    S) scalars["${name}/${a}"]="${b}" ;;
    K) haskey["${name}/${a}"]=1 ;;
    E) envs["${name}"]+="${a}"$'\t'"${b}"$'\n' ;;
    V) vols["${name}"]+="${a}"$'\n' ;;
    U) die "docker-compose.yml: unsupported construct in '${name}': ${a}" ;;
  esac
done < <(parse_compose)
((${#blocks[@]})) || die "docker-compose.yml: no services found"

# resolve BLOCK KEY: the block that provides KEY to BLOCK (itself, else its merged anchors, YAML
# merge semantics: a key of the service replaces the anchor's key as a whole).
resolve() {
  local block="$1" key="$2" depth="${3:-0}" anchor from
  if [[ -n "${haskey[${block}/${key}]:-}" || -n "${scalars[${block}/${key}]+x}" ]]; then
    echo "${block}"; return
  fi
  ((depth < 5)) || return 0
  for anchor in ${merges[${block}]:-}; do
    from="${anchors[${anchor}]:-}"
    [[ -n "${from}" ]] || die "docker-compose.yml: '${block}' merges unknown anchor *${anchor}"
    from="$(resolve "${from}" "${key}" $((depth + 1)))"
    [[ -n "${from}" ]] && { echo "${from}"; return; }
  done
  return 0
}

# abs_source SRC: a bind mount's source as an absolute path, or empty for a named volume.
abs_source() {
  case "$1" in
    /*) echo "$1" ;;
    "~"/*) echo "${HOME}/${1#\~/}" ;;
    ./* | ../* | .) (cd "${compose_dir}" && cd "$(dirname "$1")" 2>/dev/null && echo "$(pwd -P)/$(basename "$1")") ||
      echo "${compose_dir}/${1#./}" ;;
    *) echo "" ;;
  esac
}

var_ref() { # prints VAR when $1 is exactly ${VAR}, ${VAR:-x}, ${VAR?x} or $VAR
  if [[ "$1" =~ ^\$\{([A-Za-z_][A-Za-z0-9_]*)([:?-][^}]*)?\}$ || "$1" =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
    echo "${BASH_REMATCH[1]}"
  fi
}

quote() { # a YAML double-quoted scalar
  local s="${1//\\/\\\\}"
  printf '"%s"' "${s//\"/\\\"}"
}

# --- The shared volumes: any block (service or anchor) that mounts /app/workspaces or /app/skills.
workspaces_src="" workspaces_target=/app/workspaces skills_src="" skills_target=/app/skills
for block in "${blocks[@]}"; do
  while IFS= read -r vol; do
    [[ -n "${vol}" ]] || continue
    IFS=: read -r src target _ <<<"${vol}"
    case "${target}" in
      */workspaces) workspaces_src="$(abs_source "${src}")"; workspaces_target="${target}" ;;
      */skills) skills_src="$(abs_source "${src}")"; skills_target="${target}" ;;
    esac
  done <<<"${vols[${block}]:-}"
done
[[ -n "${workspaces_src}" ]] || workspaces_src="${compose_dir}/workspaces"
[[ -d "${workspaces_src}" ]] || die "the shared workspaces directory ${workspaces_src} does not exist"
if [[ -n "${skills_src}" && ! -d "${skills_src}" ]]; then
  echo "  note: skills directory ${skills_src} does not exist; the agents get no skills volume"
  skills_src=""
fi

# --- .env: KEY=VALUE, read as docker compose does (export prefix, quotes, comments). Values stay
# in this process and in one mode-600 temporary file for kubectl; they are never printed.
declare -A dotenv=()
while IFS= read -r line || [[ -n "${line}" ]]; do
  line="${line%$'\r'}"
  [[ "${line}" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_.]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || continue
  k="${BASH_REMATCH[2]}" v="${BASH_REMATCH[3]}"
  if [[ "${v}" =~ ^\"(.*)\"[[:space:]]*(#.*)?$ || "${v}" =~ ^\'(.*)\'[[:space:]]*(#.*)?$ ]]; then
    v="${BASH_REMATCH[1]}"
  else
    v="${v%%[[:space:]]#*}"; v="${v%"${v##*[![:space:]]}"}"
  fi
  dotenv["${k}"]="${v}"
done <"${env_file}"

# --- The agents.
agents=() others=()
declare -A service=() token_key=() token_env=() state_src=() state_target=() agent_yaml_env=() agent_image=() agent_dir=() agent_user=() container=()
declare -A secret_keys=()
for block in "${blocks[@]}"; do
  [[ "${block}" == x-* ]] && continue
  from="$(resolve "${block}" environment)"
  env_list="${envs[${from:-none}]:-}"
  tkey="" tenv=""
  for candidate in DISCORD_TOKEN DISCORD_BOT_TOKEN; do
    while IFS=$'\t' read -r k v; do
      [[ "${k}" == "${candidate}" && -z "${tkey}" ]] || continue
      tkey="$(var_ref "${v}")"; tenv="${k}"
      [[ -n "${tkey}" ]] || { sugg="${block^^}"; die "service '${block}' sets ${k} inline in docker-compose.yml (value not shown); move it to .env as ${sugg//[-.]/_}_TOKEN and write ${k}=\${${sugg//[-.]/_}_TOKEN}"; }
    done <<<"${env_list}"
  done
  if [[ -z "${tkey}" ]]; then others+=("${block}"); continue; fi

  name="${block,,}"; name="${name//[_.]/-}"
  [[ "${name}" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ && ${#name} -le 57 ]] ||
    die "service '${block}' cannot become an agent name (DNS-1123 label, at most 57 characters)"
  agents+=("${name}")
  token_key["${name}"]="${tkey}" token_env["${name}"]="${tenv}"
  secret_keys["${tkey}"]=1
  container["${name}"]="${scalars[$(resolve "${block}" container_name)/container_name]:-${block}}"
  service["${name}"]="${block}"

  extra=""
  while IFS=$'\t' read -r k v; do
    [[ -n "${k}" && "${k}" != "${tenv}" ]] || continue
    if [[ "${v}" == $'\001' ]]; then
      note "${name}: ${k} is passed through from docker's own environment; not migrated"; continue
    fi
    ref="$(var_ref "${v}")"
    if [[ -n "${ref}" ]]; then
      secret_keys["${ref}"]=1
      extra+="    - name: ${k}"$'\n'"      valueFrom:"$'\n'"        secretKeyRef: {name: ${SECRET}, key: ${ref}}"$'\n'
    elif [[ "${v}" == *'$'* ]]; then
      note "${name}: ${k} mixes text and \${...} references; not migrated, add it to spec.env by hand"
    else
      extra+="    - name: ${k}"$'\n'"      value: $(quote "${v}")"$'\n'
    fi
  done <<<"${env_list}"
  agent_yaml_env["${name}"]="${extra}"

  src="" target=""
  from="$(resolve "${block}" volumes)"
  while IFS= read -r vol; do
    [[ -n "${vol}" ]] || continue
    IFS=: read -r s t _ <<<"${vol}"
    case "${t}" in */workspaces | */skills) continue ;; esac
    if [[ "${s}" == *instances/* || "${t}" == */.openclaw ]]; then
      src="$(abs_source "${s}")"; target="${t}"
      [[ -n "${src}" ]] || die "service '${block}': named docker volume '${s}' is not supported (its data is inside docker's volume store); bind-mount a directory instead"
    fi
  done <<<"${vols[${from:-none}]:-}"
  if [[ -z "${src}" && -d "${compose_dir}/instances/${block}" ]]; then
    src="${compose_dir}/instances/${block}" target=/root/.openclaw
    note "${name}: no state volume in docker-compose.yml; using ${src} at ${target}"
  fi
  [[ -n "${src}" ]] || die "service '${block}': no ./instances/<agent> state volume found"
  [[ -d "${src}" ]] || die "service '${block}': state directory ${src} does not exist"
  state_src["${name}"]="${src}" state_target["${name}"]="${target}"
  owner="$(stat -c '%u:%g' "${src}")"
  [[ "${owner}" == "${OPENCLAW_UID}:${OPENCLAW_UID}" ]] || agent_user["${name}"]="${owner}"

  image="${scalars[$(resolve "${block}" image)/image]:-}"
  if [[ -n "${image}" && "${image##*/}" == *:* && "${image}" != *:latest ]]; then
    agent_image["${name}"]="${image}"
  fi

  dir="${agent_dir_opt[${name}]:-${agent_dir_opt[${block}]:-}}"
  if [[ -z "${dir}" && ! -d "${workspaces_src}/${name}" ]]; then
    case "${name}" in tech-lead) aliases=(technical-lead tech_lead) ;; *) aliases=("${name//-/_}") ;; esac
    for alias in "${aliases[@]}"; do
      [[ -d "${workspaces_src}/${alias}" ]] && { dir="${alias}"; break; }
    done
    [[ -n "${dir}" ]] || note "${name}: no workspaces/${name}/ yet; the operator creates it"
  fi
  agent_dir["${name}"]="${dir}"
done
((${#agents[@]})) || die "docker-compose.yml: no service maps DISCORD_TOKEN to a \${VAR} of .env"
for k in "${!secret_keys[@]}"; do
  [[ -n "${dotenv[${k}]:-}" ]] || die ".env has no value for ${k}, which docker-compose.yml references"
done
mapfile -t keys < <(printf '%s\n' "${!secret_keys[@]}" | sort)

# --- The objects, in creation order: kind|name|namespace|yaml. The Secret is made by kubectl.
objects=()
add() { objects+=("$1|$2|$3|$4"); }
pv_yaml() { # name claim-ns claim path mode size
  cat <<EOF
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $1
  labels: {app.kubernetes.io/part-of: atomizer, atomizer.io/migrated-from: docker-compose}
spec:
  capacity: {storage: $6}
  accessModes: [$5]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ${CLASS}
  volumeMode: Filesystem
  claimRef: {namespace: $2, name: $3}
  hostPath:
    path: $(quote "$4")
    type: Directory
EOF
}
pvc_yaml() { # name ns volume size
  cat <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: $1
  namespace: $2
  labels: {app.kubernetes.io/part-of: atomizer, atomizer.io/migrated-from: docker-compose}
spec:
  accessModes: [ReadWriteMany]
  storageClassName: ${CLASS}
  volumeName: $3
  resources: {requests: {storage: $4}}
EOF
}
add namespace "${namespace}" "" "apiVersion: v1
kind: Namespace
metadata: {name: ${namespace}}"
add secret "${SECRET}" "${namespace}" ""
add persistentvolume "${namespace}-workspaces" "" "$(pv_yaml "${namespace}-workspaces" "${namespace}" "${WORKSPACES_CLAIM}" "${workspaces_src}" ReadWriteMany "${SHARED_SIZE}")"
add persistentvolumeclaim "${WORKSPACES_CLAIM}" "${namespace}" "$(pvc_yaml "${WORKSPACES_CLAIM}" "${namespace}" "${namespace}-workspaces" "${SHARED_SIZE}")"
if [[ -n "${skills_src}" ]]; then
  add persistentvolume "${namespace}-skills" "" "$(pv_yaml "${namespace}-skills" "${namespace}" "${SKILLS_CLAIM}" "${skills_src}" ReadWriteMany "${SHARED_SIZE}")"
  add persistentvolumeclaim "${SKILLS_CLAIM}" "${namespace}" "$(pvc_yaml "${SKILLS_CLAIM}" "${namespace}" "${namespace}-skills" "${SHARED_SIZE}")"
fi
for name in "${agents[@]}"; do
  add persistentvolume "${namespace}-${name}-state" "" "$(pv_yaml "${namespace}-${name}-state" "${namespace}" "${name}-state" "${state_src[${name}]}" ReadWriteOnce "${STATE_SIZE}")"
done
for name in "${agents[@]}"; do
  y="apiVersion: atomizer.io/v1alpha1
kind: AtomizerAgent
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: {app.kubernetes.io/part-of: atomizer, atomizer.io/migrated-from: docker-compose}
  annotations: {atomizer.io/compose-container: $(quote "${container[${name}]}")}
spec:
  role: ${name}"
  [[ -n "${agent_image[${name}]:-}" ]] && y+=$'\n'"  image: $(quote "${agent_image[${name}]}")"
  y+="
  token: {secretName: ${SECRET}, key: ${token_key[${name}]}, envName: ${token_env[${name}]}}
  state:
    storageClassName: ${CLASS}
    size: ${STATE_SIZE}
    mountPath: $(quote "${state_target[${name}]}")
  workspaces:
    claimName: ${WORKSPACES_CLAIM}
    mountPath: $(quote "${workspaces_target}")"
  [[ -n "${agent_dir[${name}]}" ]] && y+=$'\n'"    agentDir: $(quote "${agent_dir[${name}]}")"
  [[ -n "${skills_src}" ]] && y+=$'\n'"  skills: {claimName: ${SKILLS_CLAIM}, mountPath: $(quote "${skills_target}")}"
  [[ -n "${agent_yaml_env[${name}]}" ]] && y+=$'\n'"  env:"$'\n'"${agent_yaml_env[${name}]%$'\n'}"
  if [[ -n "${agent_user[${name}]:-}" ]]; then
    uid="${agent_user[${name}]%%:*}" gid="${agent_user[${name}]##*:}"
    nonroot=true; [[ "${uid}" == 0 ]] && nonroot=false
    y+="
  pod:
    securityContext:
      runAsUser: ${uid}
      runAsGroup: ${gid}
      runAsNonRoot: ${nonroot}
      seccompProfile: {type: RuntimeDefault}"
  fi
  add atomizeragent "${name}" "${namespace}" "${y}"
done

# --- Cluster checks. lookup KIND NAME NS: prints "absent", "present" or "error".
lookup() {
  local out
  local -a ns=()
  [[ -n "$3" ]] && ns=(-n "$3")
  if out="$("${KUBECTL[@]}" get "$1" "$2" "${ns[@]}" --ignore-not-found -o name --request-timeout=20s 2>/dev/null)"; then
    [[ -n "${out}" ]] && echo present || echo absent
  else
    echo error
  fi
}
# conflict KIND NAME NS: why an existing object does not match the plan, or nothing.
conflict() {
  local -a ns=()
  [[ -n "$3" ]] && ns=(-n "$3")
  case "$1" in
    persistentvolume)
      local want path claim
      want="$(sed -n 's/^    path: "\(.*\)"$/\1/p' <<<"$4")"
      path="$("${KUBECTL[@]}" get pv "$2" -o 'jsonpath={.spec.hostPath.path}')"
      claim="$("${KUBECTL[@]}" get pv "$2" -o 'jsonpath={.spec.claimRef.namespace}/{.spec.claimRef.name}')"
      [[ "${path}" == "${want}" ]] || echo "its hostPath is '${path}', not '${want}'"
      [[ "$4" == *"claimRef: {namespace: ${claim%%/*}, name: ${claim#*/}}"* ]] || echo "it is bound for claim ${claim}"
      ;;
    secret)
      local have k
      # shellcheck disable=SC2016 # a Go template: prints the key names only, never the values
      have=" $("${KUBECTL[@]}" get secret "$2" "${ns[@]}" -o 'go-template={{range $k, $v := .data}}{{$k}} {{end}}') "
      for k in "${keys[@]}"; do [[ "${have}" == *" ${k} "* ]] || echo "it has no key ${k}"; done
      ;;
  esac
  return 0
}

echo "migrate-from-compose: ${compose_file}"
echo "  agents (${#agents[@]}): ${agents[*]}"
((${#others[@]} == 0)) || echo "  left out (no DISCORD_TOKEN=\${VAR} mapping): ${others[*]}"
echo "  workspaces: ${workspaces_src} -> claim ${WORKSPACES_CLAIM}${skills_src:+; skills: ${skills_src} -> claim ${SKILLS_CLAIM}}"
owned=() unpinned=()
for name in "${agents[@]}"; do
  [[ -n "${agent_user[${name}]:-}" ]] && owned+=("${name}(${agent_user[${name}]})")
  [[ -z "${agent_image[${name}]:-}" ]] && unpinned+=("${name}")
done
((${#owned[@]} == 0)) || note "state directories not owned by OpenClaw's user ${OPENCLAW_UID}: ${owned[*]}; those pods run as the owner (spec.pod.securityContext). To run as ${OPENCLAW_UID} later: chown -R ${OPENCLAW_UID}:${OPENCLAW_UID} the directory and remove that field"
((${#unpinned[@]} == 0)) || note "unpinned (latest) compose image for: ${unpinned[*]}; those agents use the operator's pinned default image"

cluster=ok
if ((!dry_run)); then
  [[ "$(lookup crd atomizeragents.atomizer.io "")" == present ]] ||
    die "the AtomizerAgent CRD is not installed (or the cluster is unreachable with '${kubectl_cmd}'): install the operator first, see k3s/README.md"
  read -r -a docker_cmd <<<"${DOCKER:-docker}"
  if command -v "${docker_cmd[0]}" >/dev/null 2>&1 && running="$("${docker_cmd[@]}" ps --format '{{.Names}}' 2>/dev/null)"; then
    # A running container is the service's container_name, or compose's default <project>-<service>-<n>.
    while IFS= read -r running_name; do
      for name in "${agents[@]}"; do
        if [[ "${running_name}" == "${container[${name}]}" || "${running_name}" =~ ^.+[-_]${service[${name}]//./\\.}[-_][0-9]+$ ]]; then
          die "container ${running_name} is still running: stop the compose agents first (docker compose -f ${compose_file} down); one token in two processes makes Discord drop both"
        fi
      done
    done <<<"${running}"
  fi
fi

# Look every object up before creating any, so that a conflict stops the run with nothing changed.
declare -A state_of=()
for obj in "${objects[@]}"; do
  IFS='|' read -r kind name ns _ <<<"${obj}"
  s="$(lookup "${kind}" "${name}" "${ns}")"
  if [[ "${s}" == error ]]; then
    if ((dry_run)); then cluster=unreachable; s=absent; else die "cannot look up ${kind}/${name} with '${kubectl_cmd}'"; fi
  fi
  if [[ "${s}" == present ]]; then
    why="$(conflict "${kind}" "${name}" "${ns}" "${obj#*|*|*|}")"
    [[ -z "${why}" ]] || die "${kind}/${name} already exists and does not match: ${why//$'\n'/; }. Nothing was changed; remove or fix it first"
  fi
  state_of["${kind}/${name}"]="${s}"
done
[[ "${cluster}" == ok ]] || echo "  note: cluster not reachable with '${kubectl_cmd}'; the plan assumes nothing exists yet"

created=0 kept=0
echo "Plan for namespace ${namespace}:"
for obj in "${objects[@]}"; do
  IFS='|' read -r kind name ns _ <<<"${obj}"
  yaml="${obj#*|*|*|}"
  what="${kind}/${name}"
  if [[ "${state_of[${what}]}" == present ]]; then
    echo "  already migrated: ${what} (left unchanged)"; kept=$((kept + 1)); continue
  fi
  case "${kind}" in
    secret) detail="from ${env_file}, keys: ${keys[*]} (values not shown)" ;;
    persistentvolume) detail="hostPath $(sed -n 's/^    path: "\(.*\)"$/\1/p' <<<"${yaml}") for claim $(sed -n 's/^  claimRef: {namespace: \(.*\), name: \(.*\)}$/\1\/\2/p' <<<"${yaml}")" ;;
    atomizeragent) detail="token key ${token_key[${name}]}, state ${state_target[${name}]}, workspaces dir ${agent_dir[${name}]:-${name}}" ;;
    *) detail="" ;;
  esac
  if ((dry_run)); then
    echo "  would create: ${what} ${detail}"
  else
    if [[ "${kind}" == secret ]]; then
      tmp="$(umask 077 && mktemp)"
      trap 'rm -f "${tmp}"' EXIT
      for k in "${keys[@]}"; do printf '%s=%s\n' "${k}" "${dotenv[${k}]}"; done >"${tmp}"
      "${KUBECTL[@]}" create secret generic "${SECRET}" -n "${ns}" --from-env-file="${tmp}" -o name >/dev/null
      rm -f "${tmp}"
    else
      "${KUBECTL[@]}" create -f - -o name >/dev/null <<<"${yaml}"
    fi
    echo "  created: ${what} ${detail}"
  fi
  created=$((created + 1))
done

if ((dry_run)); then
  echo "Dry run: nothing was changed. The objects, as they would be created:"
  for obj in "${objects[@]}"; do
    IFS='|' read -r kind name ns _ <<<"${obj}"
    [[ "${state_of[${kind}/${name}]}" == present ]] && continue
    echo "---"
    if [[ "${kind}" == secret ]]; then
      echo "# kubectl create secret generic ${name} -n ${ns} --from-env-file=<the keys ${keys[*]} of ${env_file}>"
    else
      echo "${obj#*|*|*|}"
    fi
  done
elif ((created == 0)); then
  echo "Already migrated: all ${kept} objects exist; nothing changed."
else
  echo "Done: ${created} created, ${kept} already present. Watch the agents: ${kubectl_cmd} get atomizeragents -n ${namespace} -w"
fi
