#!/usr/bin/env bash
# migrate.sh: moves the team's running OpenClaw agents onto k3s IN PLACE, from any layout the team
# has used: native systemd units (what runs on the T420), docker-compose (the pivot document's
# plan), or plain directories named by flags. Details of each: k3s/lib/migrate-<layout>.sh.
#
# Nothing is copied, moved or changed on disk. Each agent starts on its existing data: its state
# directory and the shared workspaces directory become hostPath PersistentVolumes, each pre-bound
# (claimRef) to the claim that will use it: the state to <agent>-state (the operator creates it),
# workspaces/ to atomizer-workspaces and skills/ to atomizer-skills (both created here). Every PV
# has reclaim policy Retain and the class atomizer-hostpath, which no provisioner serves, so
# nothing else binds those claims and deleting a claim never deletes data. The tokens, gateway
# auth and any other secret of the old setup go into the Secret atomizer-discord-tokens; each
# agent's openclaw.json goes into a ConfigMap <agent>-openclaw-config with its secrets replaced by
# ${VAR} references (an agent without one gets examples/openclaw-config.yaml). A state directory
# not owned by OpenClaw's user (1000) makes its pod run as the directory's owner.
#
# Never two processes per token: the run stops while an old agent runs (a systemd unit active or
# enabled, a compose container running, or any process outside Kubernetes whose environment holds
# one of the Discord tokens), unless --stop-old stops AND disables them first. Token values are
# never printed, not even in --dry-run.
#
# Idempotent: every object is looked up first; existing ones are reported as "already migrated"
# and never changed. A conflicting object stops the run before anything is created.
#
# Usage: k3s/migrate.sh [--layout systemd|compose|dir] [--dry-run] [--stop-old | --rollback] [options]
#   --layout L          systemd, compose or dir; default: detected (compose file in --compose-dir,
#                       else OpenClaw gateway units in --unit-dir)
#   --dry-run           print the plan, what --stop-old would stop and the objects' YAML; change nothing
#   --stop-old          stop and disable the old agents before creating the new ones
#   --rollback          delete the migrated agents, wait for their pods to end, then start and enable
#                       the old agents again; volumes, claims and files stay as they are
#   --namespace NS      namespace of the Secret, ConfigMaps, claims and agents (default: atomizer)
#   --kubectl CMD       kubectl command, e.g. "k3s kubectl" (default: kubectl)
#   --agent-dir A=DIR   agent A's directory under workspaces/, when it is not A or an alias
#   --workspaces DIR    the shared workspaces directory (systemd: default <WorkingDirectory>/workspaces
#                       or ~<User>/atomizer/workspaces; dir: required)
#   --skills DIR        shared skills directory (default: skills/ beside workspaces/, if any)
#   --node HOSTNAME     the node that holds the directories (its kubernetes.io/hostname label); the
#                       volumes are pinned to it. Default: the cluster's only node, or the node
#                       named like this machine
#  compose:
#   --compose-dir DIR   the compose layout (default: ~/atomizer)
#  systemd:
#   --unit-dir DIR      where the units are (default: /etc/systemd/system)
#   --unit NAME         read only this unit (repeatable; default: every OpenClaw gateway unit)
#   --systemctl CMD     systemctl command (default: systemctl; "systemctl --user" for user units)
#  dir:
#   --state-root DIR    one state directory per agent, DIR/<agent>/
#   --agent NAME=DIR    an agent's state directory (repeatable, instead of --state-root)
#   --env-file FILE     <AGENT>_TOKEN=... per agent, optionally GATEWAY_TOKEN=...
# Environment: DOCKER (default docker) lists compose containers; DOCKER_COMPOSE (default
# "$DOCKER compose") stops and starts them; PROC (default /proc) is scanned for token holders.
set -euo pipefail

SECRET=atomizer-discord-tokens
WORKSPACES_CLAIM=atomizer-workspaces
SKILLS_CLAIM=atomizer-skills
CLASS=atomizer-hostpath
# hostPath volumes enforce no size; these only have to satisfy the claims' requests.
STATE_SIZE=1Gi
SHARED_SIZE=10Gi
OPENCLAW_UID=1000 # the OpenClaw image's user; the operator's pods run as it by default
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

# shellcheck source=k3s/lib/migrate-common.sh
source "${here}/lib/migrate-common.sh"
# shellcheck source=k3s/lib/migrate-compose.sh
source "${here}/lib/migrate-compose.sh"
# shellcheck source=k3s/lib/migrate-systemd.sh
source "${here}/lib/migrate-systemd.sh"
# shellcheck source=k3s/lib/migrate-dir.sh
source "${here}/lib/migrate-dir.sh"

layout="" dry_run=0 stop_old=0 rollback=0 namespace=atomizer kubectl_cmd=kubectl
compose_dir="${HOME}/atomizer" compose_file="" unit_dir=/etc/systemd/system systemctl=systemctl
state_root="" env_file_opt="" node_opt=""
units_opt=() agent_opt=()
declare -A agent_dir_opt=()
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while (($#)); do
  case "$1" in
    --layout) layout="${2:?--layout needs systemd, compose or dir}"; shift ;;
    --dry-run) dry_run=1 ;;
    --stop-old) stop_old=1 ;;
    --rollback) rollback=1 ;;
    --namespace) namespace="${2:?--namespace needs a name}"; shift ;;
    --kubectl) kubectl_cmd="${2:?--kubectl needs a command}"; shift ;;
    --agent-dir)
      [[ "${2:-}" == *=* ]] || die "--agent-dir needs AGENT=DIR"
      agent_dir_opt["${2%%=*}"]="${2#*=}"; shift ;;
    --workspaces) workspaces_src="${2:?--workspaces needs a directory}"; shift ;;
    --skills) skills_src="${2:?--skills needs a directory}"; shift ;;
    --node) node_opt="${2:?--node needs a node (its kubernetes.io/hostname label)}"; shift ;;
    --compose-dir) compose_dir="${2:?--compose-dir needs a directory}"; shift ;;
    --unit-dir) unit_dir="${2:?--unit-dir needs a directory}"; shift ;;
    --unit) units_opt+=("${2:?--unit needs a unit name}"); shift ;;
    --systemctl) systemctl="${2:?--systemctl needs a command}"; shift ;;
    --state-root) state_root="${2:?--state-root needs a directory}"; shift ;;
    --agent)
      [[ "${2:-}" == *=* ]] || die "--agent needs NAME=DIR"
      agent_opt+=("$2"); shift ;;
    --env-file) env_file_opt="${2:?--env-file needs a file}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "migrate: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
read -r -a KUBECTL <<<"${kubectl_cmd}"
[[ "${namespace}" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "namespace '${namespace}' is not a DNS-1123 label"
((stop_old + rollback < 2)) || die "--stop-old and --rollback exclude each other"

if [[ -z "${layout}" ]]; then
  found=()
  [[ -d "${compose_dir}" && -n "$(compose_file_in "${compose_dir}")" ]] && found+=(compose)
  [[ -n "$(systemd_gateway_units 2>/dev/null | head -n 1)" ]] && found+=(systemd)
  case "${#found[@]}" in
    1) layout="${found[0]}" ;;
    0) die "found neither a compose file in ${compose_dir} nor OpenClaw gateway units in ${unit_dir}; name the layout with --layout systemd|compose|dir (see --help)" ;;
    *) die "found both a compose file in ${compose_dir} and OpenClaw gateway units in ${unit_dir}; name the one the agents run from with --layout" ;;
  esac
fi
case "${layout}" in
  systemd | compose | dir) "read_${layout}_layout" ;;
  *) die "unknown layout '${layout}': systemd, compose or dir" ;;
esac
finish_model
data_node="$(data_node)"
mapfile -t keys < <(printf '%s\n' "${!secret_values[@]}" | sort)

# --- The objects, in creation order: kind|name|namespace|yaml. The Secret is made by kubectl.
objects=()
add() { objects+=("$1|$2|$3|$4"); }
labels="{app.kubernetes.io/part-of: atomizer, atomizer.io/migrated-from: ${layout}}"
pv_yaml() { # name claim-ns claim path mode size
  cat <<EOF
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $1
  labels: ${labels}
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
  # The directories exist on this machine only: a pod of the agent must never start elsewhere.
  [[ -z "${data_node}" ]] || cat <<EOF
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions:
            - {key: kubernetes.io/hostname, operator: In, values: [$(quote "${data_node}")]}
EOF
}
pvc_yaml() { # name ns volume size
  cat <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: $1
  namespace: $2
  labels: ${labels}
spec:
  accessModes: [ReadWriteMany]
  storageClassName: ${CLASS}
  volumeName: $3
  resources: {requests: {storage: $4}}
EOF
}
configmap_yaml() { # name ns text
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\n  labels: %s\ndata:\n  openclaw.json: |\n' "$1" "$2" "${labels}"
  printf '    %s\n' "${3//$'\n'/$'\n'    }"
}
add namespace "${namespace}" "" "apiVersion: v1
kind: Namespace
metadata: {name: ${namespace}}"
add secret "${SECRET}" "${namespace}" ""
if ((need_shared_config)); then
  shared="$(sed -n '/^data:/,$p' "${here}/../examples/openclaw-config.yaml")"
  add configmap openclaw-config "${namespace}" "apiVersion: v1
kind: ConfigMap
metadata:
  name: openclaw-config
  namespace: ${namespace}
  labels: ${labels}
${shared}"
fi
for name in "${agents[@]}"; do
  [[ -n "${config_text[${name}]:-}" ]] &&
    add configmap "${config_map[${name}]}" "${namespace}" "$(configmap_yaml "${config_map[${name}]}" "${namespace}" "${config_text[${name}]}")"
done
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
  labels: ${labels}
  annotations: {atomizer.io/migrated-from-${layout}: $(quote "${old_unit[${name}]}")}
spec:
  role: ${name}"
  [[ -n "${agent_image[${name}]:-}" ]] && y+=$'\n'"  image: $(quote "${agent_image[${name}]}")"
  y+="
  token: {secretName: ${SECRET}, key: ${token_key[${name}]}, envName: ${token_env[${name}]}}
  config: {configMapName: ${config_map[${name}]}}
  state:
    storageClassName: ${CLASS}
    size: ${STATE_SIZE}
    mountPath: $(quote "${state_target[${name}]}")
  workspaces:
    claimName: ${WORKSPACES_CLAIM}
    mountPath: $(quote "${workspaces_target}")"
  [[ -n "${agent_dir[${name}]}" ]] && y+=$'\n'"    agentDir: $(quote "${agent_dir[${name}]}")"
  [[ -n "${skills_src}" ]] && y+=$'\n'"  skills: {claimName: ${SKILLS_CLAIM}, mountPath: $(quote "${skills_target}")}"
  [[ -n "${agent_env_yaml[${name}]:-}" ]] && y+=$'\n'"  env:"$'\n'"${agent_env_yaml[${name}]%$'\n'}"
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
# conflict KIND NAME NS YAML: why an existing object does not match the plan, or nothing.
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

# old_running: the old agents that run (or would start at boot), one per line.
old_running() {
  case "${layout}" in
    systemd) systemd_running ;;
    compose) compose_running ;;
  esac
  token_holders
}

echo "migrate: ${layout} layout, ${source_desc}"
echo "  agents (${#agents[@]}): ${agents[*]}"
((${#others[@]} == 0)) || echo "  left out (no DISCORD_TOKEN=\${VAR} mapping): ${others[*]}"
echo "  workspaces: ${workspaces_src} -> claim ${WORKSPACES_CLAIM}${skills_src:+; skills: ${skills_src} -> claim ${SKILLS_CLAIM}}"
owned=() unpinned=()
for name in "${agents[@]}"; do
  [[ -n "${agent_user[${name}]:-}" ]] && owned+=("${name}(${agent_user[${name}]})")
  [[ -z "${agent_image[${name}]:-}" ]] && unpinned+=("${name}")
done
((${#owned[@]} == 0)) || note "state directories not owned by OpenClaw's user ${OPENCLAW_UID}: ${owned[*]}; those pods run as the owner (spec.pod.securityContext). To run as ${OPENCLAW_UID} later: chown -R ${OPENCLAW_UID}:${OPENCLAW_UID} the directory and remove that field"
((${#unpinned[@]} == 0 || ${#unpinned[@]} == ${#agents[@]})) || note "no pinned image for: ${unpinned[*]}; those agents use the operator's pinned default image"
((generated_gateway == 0)) || note "no gateway token in the old setup: generated one as the Secret's key GATEWAY_TOKEN (value not shown)"
((EUID == 0)) || note "not root: processes of other users were not scanned for tokens"

if ((rollback)); then
  # shellcheck source=k3s/lib/migrate-rollback.sh
  source "${here}/lib/migrate-rollback.sh"
  rollback_run
  exit 0
fi

cluster=ok
if ((!dry_run)); then
  [[ "$(lookup crd atomizeragents.atomizer.io "")" == present ]] ||
    die "the AtomizerAgent CRD is not installed (or the cluster is unreachable with '${kubectl_cmd}'): install the operator first, see k3s/README.md"
fi

# Look every object up before changing anything, so that a conflict stops the run with nothing changed.
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
[[ "${cluster}" == ok ]] || note "cluster not reachable with '${kubectl_cmd}'; the plan assumes nothing exists yet"

# Never two processes per token: the old agents stop (and stay stopped) before any pod can start.
running="$(old_running)"
if [[ -n "${running}" ]]; then
  echo "Old agents still running (or enabled to start at boot):"
  printf '  %s\n' "${running//$'\n'/$'\n'  }"
fi
hint_stop="$("${layout}_stop_hint" 2>/dev/null || true)"
if ((dry_run)); then
  if [[ -n "${hint_stop}" ]]; then echo "--stop-old would run: ${hint_stop}"; fi
elif ((stop_old)); then
  if [[ "${layout}" != dir ]]; then
    echo "Stopping and disabling the old agents: ${hint_stop}"
    "${layout}_stop"
  fi
  for _ in $(seq 1 "${STOP_WAIT_SECONDS:-30}"); do
    running="$(old_running)"
    [[ -n "${running}" ]] || break
    sleep 1
  done
  [[ -z "${running}" ]] || die "still running after --stop-old: ${running//$'\n'/; }. Stop them (systemctl disable --now UNIT, or kill PID), then run again; nothing was created"
elif [[ -n "${running}" ]]; then
  die "the old agents still run: a token in two processes makes Discord drop both. Stop and disable them first (${hint_stop:-kill the processes listed}), or run again with --stop-old. Nothing was created"
fi

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
    secret) detail="from ${secret_source}, keys: ${keys[*]} (values not shown)" ;;
    persistentvolume) detail="hostPath $(sed -n 's/^    path: "\(.*\)"$/\1/p' <<<"${yaml}") for claim $(sed -n 's/^  claimRef: {namespace: \(.*\), name: \(.*\)}$/\1\/\2/p' <<<"${yaml}")${data_node:+, on node ${data_node}}" ;;
    atomizeragent) detail="from ${old_unit[${name}]}: token key ${token_key[${name}]}, state ${state_target[${name}]}, config ${config_map[${name}]}, workspaces dir ${agent_dir[${name}]:-${name}}" ;;
    configmap) detail="openclaw.json${config_src[${name%-openclaw-config}]:+ from ${config_src[${name%-openclaw-config}]}}" ;;
    *) detail="" ;;
  esac
  if ((dry_run)); then
    echo "  would create: ${what} ${detail}"
  else
    if [[ "${kind}" == secret ]]; then
      tmp="$(umask 077 && mktemp)"
      trap 'rm -f "${tmp}"' EXIT
      for k in "${keys[@]}"; do printf '%s=%s\n' "${k}" "${secret_values[${k}]}"; done >"${tmp}"
      "${KUBECTL[@]}" create secret generic "${SECRET}" -n "${ns}" --from-env-file="${tmp}" -o name >/dev/null
      "${KUBECTL[@]}" label secret "${SECRET}" -n "${ns}" "atomizer.io/migrated-from=${layout}" >/dev/null
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
      echo "# kubectl create secret generic ${name} -n ${ns} --from-env-file=<the keys ${keys[*]} from ${secret_source}>"
    else
      echo "${obj#*|*|*|}"
    fi
  done
elif ((created == 0)); then
  echo "Already migrated: all ${kept} objects exist; nothing changed."
else
  echo "Done: ${created} created, ${kept} already present. Watch the agents: ${kubectl_cmd} get atomizeragents -n ${namespace} -w"
  echo "To go back: k3s/migrate.sh --layout ${layout} --rollback (same options); nothing on disk was changed."
fi
