# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # globals of k3s/migrate.sh
# What every layout of k3s/migrate.sh shares: the model the layout readers fill, secrets, env
# entries and the agents' OpenClaw configs. Sourced by k3s/migrate.sh.

# The model. Per agent (indexed by agent name):
#   token_key token_env token_value  Secret key, the variable the process reads, the value
#   state_src state_target           state directory on this machine and in the pod
#   config_src                       the agent's openclaw.json on this machine, if any
#   old_unit                         systemd unit or compose container that ran it
#   agent_image agent_dir_hint unit_user unit_env service (layout-specific extras)
agents=() others=()
declare -A token_key=() token_env=() token_value=() state_src=() state_target=() config_src=() \
  old_unit=() old_unit_agent=() agent_image=() agent_dir_hint=() unit_user=() unit_home=() unit_env=() service=() \
  agent_env_yaml=() agent_secret_env=() has_env=() agent_dir=() agent_user=() config_text=() \
  config_map=() secret_values=() secret_owner=()
workspaces_src="" workspaces_target="" skills_src="" skills_target="" source_desc="" secret_source=""
need_shared_config=0 generated_gateway=0

die() { echo "migrate: $*" >&2; exit 1; }
note() { echo "  note: $*"; }

quote() { # a YAML double-quoted scalar
  local s="${1//\\/\\\\}"
  printf '"%s"' "${s//\"/\\\"}"
}

var_ref() { # prints VAR when $1 is exactly ${VAR}, ${VAR:-x}, ${VAR?x} or $VAR
  if [[ "$1" =~ ^\$\{([A-Za-z_][A-Za-z0-9_]*)([:?-][^}]*)?\}$ || "$1" =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
    echo "${BASH_REMATCH[1]}"
  fi
}

# read_env_file FILE ARRAY: KEY=VALUE lines into the associative ARRAY, read as docker compose and
# systemd do (export prefix, quotes, comments). Values are never printed.
read_env_file() {
  local -n _into="$2"
  local line k v
  while IFS= read -r line || [[ -n "${line}" ]]; do
    line="${line%$'\r'}"
    [[ "${line}" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_.]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || continue
    k="${BASH_REMATCH[2]}" v="${BASH_REMATCH[3]}"
    if [[ "${v}" =~ ^\"(.*)\"[[:space:]]*(#.*)?$ || "${v}" =~ ^\'(.*)\'[[:space:]]*(#.*)?$ ]]; then
      v="${BASH_REMATCH[1]}"
    else
      v="${v%%[[:space:]]#*}"; v="${v%"${v##*[![:space:]]}"}"
    fi
    _into["${k}"]="${v}"
  done <"$1"
}

agent_name() { # a unit, service or directory name as an agent name (DNS-1123 label)
  local name="${1,,}"
  name="${name//[_.]/-}"
  [[ "${name}" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ && ${#name} -le 57 ]] ||
    die "'$1' cannot become an agent name (DNS-1123 label, at most 57 characters)"
  echo "${name}"
}

env_key() { local k="${1^^}"; echo "${k//[-.]/_}"; } # manager-2 -> MANAGER_2

is_secret_name() { [[ "${1^^}" =~ (TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL) ]]; }

# add_secret KEY VALUE AGENT: one key of the Secret; the same key with two values stops the run.
add_secret() {
  if [[ -n "${secret_values[$1]+x}" && "${secret_values[$1]}" != "$2" ]]; then
    die "two different values for the Secret key $1 (agents ${secret_owner[$1]} and $3; values not shown)"
  fi
  secret_values["$1"]="$2"
  secret_owner["$1"]="${secret_owner[$1]:-$3}"
}

# secret_key_for PREFERRED VALUE AGENT: PREFERRED, or <AGENT>_PREFERRED when another agent already
# stored a different value under PREFERRED.
secret_key_for() {
  if [[ -n "${secret_values[$1]+x}" && "${secret_values[$1]}" != "$2" ]]; then
    echo "$(env_key "$3")_$1"
  else
    echo "$1"
  fi
}

add_env_value() { # AGENT NAME VALUE
  [[ -z "${has_env[$1/$2]:-}" ]] || return 0
  has_env["$1/$2"]=1
  agent_env_yaml["$1"]+="    - name: $2"$'\n'"      value: $(quote "$3")"$'\n'
}

add_env_secret() { # AGENT NAME KEY: NAME from the Secret's KEY
  [[ -z "${has_env[$1/$2]:-}" ]] || return 0
  has_env["$1/$2"]=1
  agent_secret_env["$1"]+="$2"$'\t'"$3"$'\n'
  agent_env_yaml["$1"]+="    - name: $2"$'\n'"      valueFrom:"$'\n'"        secretKeyRef: {name: ${SECRET}, key: $3}"$'\n'
}

# add_env_auto AGENT NAME VALUE [secret]: a secret-looking name (or a 4th argument) goes through
# the Secret (OPENCLAW_GATEWAY_TOKEN as key GATEWAY_TOKEN), anything else is a plain value.
add_env_auto() {
  local key
  if [[ -n "${4:-}" ]] || is_secret_name "$2"; then
    key="$2"; [[ "${key}" == OPENCLAW_GATEWAY_TOKEN ]] && key=GATEWAY_TOKEN
    key="$(secret_key_for "${key}" "$3" "$1")"
    add_secret "${key}" "$3" "$1"
    add_env_secret "$1" "$2" "${key}"
  else
    add_env_value "$1" "$2" "$3"
  fi
}

gen_token() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

ensure_gateway_token() { # AGENT: OPENCLAW_GATEWAY_TOKEN in its env, from GATEWAY_TOKEN if need be
  [[ -z "${has_env[$1/OPENCLAW_GATEWAY_TOKEN]:-}" ]] || return 0
  if [[ -z "${secret_values[GATEWAY_TOKEN]+x}" ]]; then
    secret_values[GATEWAY_TOKEN]="$(gen_token)"; secret_owner[GATEWAY_TOKEN]="$1"; generated_gateway=1
  fi
  add_env_secret "$1" OPENCLAW_GATEWAY_TOKEN GATEWAY_TOKEN
}

# config_leaves < FILE: the leaves of an OpenClaw config (JSON or JSON5: comments, single quotes,
# unquoted keys, trailing commas), no library needed. Output, tab-separated:
#   S path value (a string) | B path value (anything else) | O path offset (an object; the offset
#   is just after its "{", in bytes; the root object's path is ".")
config_leaves() {
  LC_ALL=C awk '
    function path_of(   p) { p = (typ[d] == "o") ? key[d] : idx[d]; return prefix[d] == "" ? p : prefix[d] "." p }
    function open(t, at,   name) {
      name = d == 0 ? "" : path_of()
      d++; typ[d] = t; prefix[d] = name; wantkey[d] = (t == "o"); idx[d] = 0
      if (t == "o") print "O", (name == "" ? "." : name), at
    }
    function scalar(s, kind) {
      if (d == 0) return
      if (typ[d] == "o" && wantkey[d]) { key[d] = s; wantkey[d] = 0; return }
      print kind, path_of(), s
    }
    BEGIN { OFS = "\t"; RS = "\001" }
    {
      text = $0; n = length(text); i = 1; d = 0
      while (i <= n) {
        c = substr(text, i, 1)
        if (c == "\"" || c == "\047") {
          j = i + 1; s = ""
          while (j <= n) {
            e = substr(text, j, 1)
            if (e == "\\") { s = s substr(text, j, 2); j += 2; continue }
            if (e == c) break
            s = s e; j++
          }
          i = j + 1; scalar(s, "S"); continue
        }
        if (c == "/" && substr(text, i + 1, 1) == "/") { while (i <= n && substr(text, i, 1) != "\n") i++; continue }
        if (c == "/" && substr(text, i + 1, 1) == "*") { k = index(substr(text, i + 2), "*/"); i = k ? i + k + 3 : n + 1; continue }
        if (c == "{") { open("o", i); i++; continue }
        if (c == "[") { open("a", i); i++; continue }
        if (c == "}" || c == "]") { d--; i++; continue }
        if (c == ",") { if (typ[d] == "o") wantkey[d] = 1; else idx[d]++; i++; continue }
        if (c ~ /[A-Za-z0-9_$+.-]/) {
          j = i; while (j <= n && substr(text, j, 1) ~ /[A-Za-z0-9_$+.-]/) j++
          scalar(substr(text, i, j - i), "B"); i = j; continue
        }
        i++
      }
    }
  '
}

replace_string() { # TEXT VALUE VAR: TEXT with the string "VALUE" (or 'VALUE') replaced by "${VAR}"
  local text="$1" to="\"\${$3}\"" from="\"$2\""
  text="${text//"${from}"/"${to}"}"
  from="'$2'"
  printf '%s' "${text//"${from}"/"${to}"}"
}

# carry_config AGENT: the agent's openclaw.json as it goes into its ConfigMap. Every secret in it
# becomes a ${VAR} reference, with VAR set from the Secret: known values (its token, its secret
# environment) by their variable, other literal strings under a secret-looking key
# (gateway.auth.token, ...apiKey, ...password) as new Secret keys. Gateway auth and mode local are
# added when missing, since the pod binds the gateway beyond loopback (OpenClaw refuses that
# without auth: exit 78). An agent without a config gets the shared openclaw-config of examples/.
carry_config() {
  local a="$1" LC_ALL=C
  local file="${config_src[${a}]:-}" text name key v kind path value var leaves at rest sep insert parts=""
  if [[ -z "${file}" ]]; then
    need_shared_config=1 config_map["${a}"]=openclaw-config
    token_env["${a}"]=DISCORD_BOT_TOKEN # what the shared config references
    ensure_gateway_token "${a}"
    return
  fi
  text="$(cat "${file}")"
  text="$(replace_string "${text}" "${token_value[${a}]}" "${token_env[${a}]}")"
  while IFS=$'\t' read -r name key; do
    [[ -n "${name}" ]] || continue
    v="${secret_values[${key}]}"
    text="$(replace_string "${text}" "${v}" "${name}")"
  done <<<"${agent_secret_env[${a}]:-}"
  while IFS=$'\t' read -r kind path value; do
    [[ "${kind}" == S && "${value}" != *'${'* && -n "${value}" ]] || continue
    is_secret_name "${path##*.}" || continue
    [[ "${value}" != *\\* ]] || die "${file}: the secret at ${path} has escape sequences; put it in the unit's environment and write \${VAR} there"
    case "${path}" in
      gateway.auth.token) var=OPENCLAW_GATEWAY_TOKEN ;;
      gateway.auth.password) var=OPENCLAW_GATEWAY_PASSWORD ;;
      *) var="OPENCLAW_CONFIG_$(env_key "${path//[^A-Za-z0-9]/_}")" ;;
    esac
    [[ -z "${has_env[${a}/${var}]:-}" ]] || var="OPENCLAW_CONFIG_$(env_key "${path//[^A-Za-z0-9]/_}")"
    add_env_auto "${a}" "${var}" "${value}" secret
    text="$(replace_string "${text}" "${value}" "${var}")"
  done < <(config_leaves <<<"${text}")

  leaves="$(config_leaves <<<"${text}")"
  if ! grep -q $'^[SB]\tgateway\.auth\.' <<<"${leaves}"; then
    ensure_gateway_token "${a}"
    parts='"auth": {"mode": "token", "token": "${OPENCLAW_GATEWAY_TOKEN}"}'
    note "${a}: its config has no gateway auth; added gateway.auth (token from OPENCLAW_GATEWAY_TOKEN), without which OpenClaw refuses to bind beyond loopback"
  fi
  if ! grep -q $'^[SB]\tgateway\.mode\t' <<<"${leaves}"; then
    parts="\"mode\": \"local\"${parts:+, ${parts}}"
    note "${a}: its config has no gateway.mode; added \"local\" (OpenClaw refuses to start without it)"
  fi
  if [[ -n "${parts}" ]]; then
    at="$(awk -F'\t' '$1 == "O" && $2 == "gateway" { print $3; exit }' <<<"${leaves}")"
    insert="${parts}"
    if [[ -z "${at}" ]]; then
      at="$(awk -F'\t' '$1 == "O" && $2 == "." { print $3; exit }' <<<"${leaves}")"
      [[ -n "${at}" ]] || die "${file} is not a JSON object"
      insert="\"gateway\": {${parts}}"
    fi
    rest="${text:at}"; rest="${rest#"${rest%%[![:space:]]*}"}"
    sep=", "; [[ "${rest}" == \}* ]] && sep=""
    text="${text:0:at}${insert}${sep}${text:at}"
  fi
  enable_plugin "${a}" admin-http-rpc "the operator reads the agent's DiscordConnected through its route (POST /api/v1/admin/rpc, gateway token required)"
  for key in "${!secret_values[@]}"; do
    [[ "${text}" != *"${secret_values[${key}]}"* ]] || die "${file} still holds the value of ${key} after moving its secrets out (value not shown); replace it by \${VAR} by hand"
  done
  while IFS= read -r var; do
    [[ -n "${var}" && -z "${has_env[${a}/${var}]:-}" && "${var}" != "${token_env[${a}]}" ]] &&
      note "${a}: its config references \${${var}}, which its old environment did not set"
  done < <(grep -o '\${[A-Za-z_][A-Za-z0-9_]*' <<<"${text}" | cut -c3- | sort -u)
  config_text["${a}"]="${text}"
  config_map["${a}"]="${a}-openclaw-config"
}

# enable_plugin AGENT PLUGIN WHY: adds plugins.entries.PLUGIN.enabled=true to the caller's ${text}
# (carry_config's config) when the config does not mention that plugin; a config that sets it
# either way is left as it is (a "false" is noted: the user chose it).
enable_plugin() {
  local a="$1" plugin="$2" why="$3" LC_ALL=C leaves at insert rest sep
  leaves="$(config_leaves <<<"${text}")"
  if grep -q "^[SBO]"$'\t'"plugins\.entries\.${plugin}\(\.\|"$'\t'"\)" <<<"${leaves}"; then
    grep -q "^B"$'\t'"plugins\.entries\.${plugin}\.enabled"$'\t'"false$" <<<"${leaves}" &&
      note "${a}: its config disables plugins.entries.${plugin}; kept (${why})"
    return 0
  fi
  insert="\"${plugin}\": {\"enabled\": true}"
  at="$(awk -F'\t' '$1 == "O" && $2 == "plugins.entries" { print $3; exit }' <<<"${leaves}")"
  if [[ -z "${at}" ]]; then
    insert="\"entries\": {${insert}}"
    at="$(awk -F'\t' '$1 == "O" && $2 == "plugins" { print $3; exit }' <<<"${leaves}")"
  fi
  if [[ -z "${at}" ]]; then
    insert="\"plugins\": {${insert}}"
    at="$(awk -F'\t' '$1 == "O" && $2 == "." { print $3; exit }' <<<"${leaves}")"
  fi
  rest="${text:at}"; rest="${rest#"${rest%%[![:space:]]*}"}"
  sep=", "; [[ "${rest}" == \}* ]] && sep=""
  text="${text:0:at}${insert}${sep}${text:at}"
  note "${a}: its config does not enable plugins.entries.${plugin}; added it: ${why}"
}

# finish_model: what every layout derives the same way: workspaces directories, file ownership,
# the tokens in the Secret and each agent's config.
finish_model() {
  local name dir alias owner other
  local -a aliases
  [[ -d "${workspaces_src}" ]] || die "the shared workspaces directory ${workspaces_src} does not exist"
  workspaces_src="$(cd "${workspaces_src}" && pwd -P)"
  [[ "${layout}" == compose ]] || workspaces_target="${workspaces_src}"
  if [[ -n "${skills_src}" && ! -d "${skills_src}" ]]; then
    note "skills directory ${skills_src} does not exist; the agents get no skills volume"
    skills_src=""
  fi
  for name in "${agents[@]}"; do
    for other in "${agents[@]}"; do
      [[ "${other}" == "${name}" || "${token_value[${other}]}" != "${token_value[${name}]}" ]] ||
        die "agents ${name} and ${other} have the same Discord token (value not shown); each bot needs its own"
    done
    add_secret "${token_key[${name}]}" "${token_value[${name}]}" "${name}"

    dir="${agent_dir_opt[${name}]:-${agent_dir_opt[${agent_dir_hint[${name}]:-${name}}]:-}}"
    if [[ -z "${dir}" && ! -d "${workspaces_src}/${name}" ]]; then
      case "${name}" in tech-lead) aliases=(technical-lead tech_lead) ;; *) aliases=("${name//-/_}") ;; esac
      for alias in "${aliases[@]}"; do
        [[ -d "${workspaces_src}/${alias}" ]] && { dir="${alias}"; break; }
      done
      [[ -n "${dir}" ]] || note "${name}: no workspaces/${name}/ yet; the operator creates it"
    fi
    agent_dir["${name}"]="${dir}"

    owner="$(stat -c '%u:%g' "${state_src[${name}]}")"
    [[ "${owner}" == "${OPENCLAW_UID}:${OPENCLAW_UID}" ]] || agent_user["${name}"]="${owner}"
  done
  for name in "${agents[@]}"; do carry_config "${name}"; done
}

# token_holders: processes outside Kubernetes pods whose environment holds one of the agents'
# Discord tokens, as "process PID (COMM)[, unit UNIT]". The values go to grep through a mode-600
# file, never through arguments or output. PROC (default /proc) is read.
token_holders() {
  local proc="${PROC:-/proc}" patterns file pid comm unit name
  patterns="$(umask 077 && mktemp)"
  for name in "${agents[@]}"; do
    ((${#token_value[${name}]} >= 8)) && printf '%s\n' "${token_value[${name}]}"
  done >"${patterns}"
  if [[ -s "${patterns}" ]]; then
    while IFS= read -r file; do
      pid="${file#"${proc}"/}"; pid="${pid%/environ}"
      [[ "${pid}" != "$$" && "${pid}" != "${BASHPID}" ]] || continue
      ! grep -qs kubepods "${proc}/${pid}/cgroup" || continue
      comm="$(cat "${proc}/${pid}/comm" 2>/dev/null || echo '?')"
      unit="$(grep -os '[^/]*\.service' "${proc}/${pid}/cgroup" | tail -n 1 || true)"
      echo "process ${pid} (${comm})${unit:+, unit ${unit}}"
    done < <(grep -l -a -F -f "${patterns}" "${proc}"/[0-9]*/environ 2>/dev/null || true)
  fi
  rm -f "${patterns}"
}

# data_node: the kubernetes.io/hostname of the node whose disk holds the directories (the volumes
# are pinned to it, as k3s pins its local-path volumes): --node, else the cluster's only node, else
# the node named like this machine. Empty, with a note, when the cluster cannot be asked (dry run).
data_node() {
  local -a nodes
  local host n
  if [[ -n "${node_opt}" ]]; then echo "${node_opt}"; return; fi
  mapfile -t nodes < <("${KUBECTL[@]}" get nodes --request-timeout=20s \
    -o 'jsonpath={range .items[*]}{.metadata.labels.kubernetes\.io/hostname}{"\n"}{end}' 2>/dev/null | sed '/^$/d')
  case "${#nodes[@]}" in
    0) note "no node found with '${kubectl_cmd}': the volumes are not pinned to a node (--node HOSTNAME pins them)" >&2 ;;
    1) echo "${nodes[0]}" ;;
    *)
      host="$(hostname 2>/dev/null || true)"
      for n in "${nodes[@]}"; do [[ "${n}" == "${host}" || "${n}" == "${host%%.*}" ]] && { echo "${n}"; return; }; done
      die "the cluster has ${#nodes[@]} nodes and none is named like this machine ('${host}'); name the one whose disk holds the directories with --node HOSTNAME (one of: ${nodes[*]})" ;;
  esac
}
