# shellcheck shell=bash disable=SC2034,SC2154 # globals of k3s/migrate.sh
# The native systemd layout (what the team runs: no OpenClaw image existed), sourced by
# k3s/migrate.sh. One OpenClaw gateway per unit: a unit is an agent when its ExecStart runs
# openclaw (openclaw, openclaw.mjs) with the gateway command. From each unit (and its drop-ins
# <unit>.d/*.conf) it reads:
#   Environment=, EnvironmentFile= (in order, later wins), and KEY=VALUE arguments of an
#                `env` in ExecStart, with ${VAR}/$VAR expanded from the unit's environment
#   User=        whose home holds ~/.openclaw (HOME in Environment= wins)
#   WorkingDirectory=  relative paths are resolved against it
#   ExecStart=   --profile NAME (state ~/.openclaw-NAME), --dev (~/.openclaw-dev)
# and from those: the state directory (OPENCLAW_STATE_DIR, else ~/.openclaw[-profile]) and the
# config (OPENCLAW_CONFIG_PATH, else <state>/openclaw.json). The Discord token is the variable the
# config's channels.discord.token references, else DISCORD_BOT_TOKEN or DISCORD_TOKEN; a literal
# token in the config works too. Template units (openclaw@.service) count once per enabled
# instance (<unit-dir>/*.wants/openclaw@NAME.service), with %i and %I replaced.
# The agent is named after the unit: openclaw-gateway-manager.service, openclaw-manager.service,
# atomizer-manager.service and openclaw@manager.service all become "manager".

# Words of a systemd command line or assignment list: "quoted words" and bare words.
unit_words() {
  local s="$1"
  while [[ "${s}" =~ ^[[:space:]]*(\"([^\"]*)\"|\'([^\']*)\'|([^[:space:]]+))(.*)$ ]]; do
    if [[ -n "${BASH_REMATCH[2]}${BASH_REMATCH[3]}" || "${BASH_REMATCH[1]}" == \"\" || "${BASH_REMATCH[1]}" == "''" ]]; then
      printf '%s\n' "${BASH_REMATCH[2]}${BASH_REMATCH[3]}"
    else
      printf '%s\n' "${BASH_REMATCH[4]}"
    fi
    s="${BASH_REMATCH[5]}"
  done
}

# unit_keys FILE...: "Key<TAB>value" of the [Service] section, continuation lines joined.
unit_keys() {
  awk '
    FNR == 1 { section = ""; held = "" }
    {
      line = held $0; held = ""
      if (line ~ /\\$/) { held = substr(line, 1, length(line) - 1) " "; next }
      if (line ~ /^[ \t]*[#;]/ || line ~ /^[ \t]*$/) next
      if (line ~ /^\[/) { section = line; next }
      if (section != "[Service]") next
      n = index(line, "="); if (!n) next
      k = substr(line, 1, n - 1); v = substr(line, n + 1)
      gsub(/^[ \t]+|[ \t]+$/, "", k); sub(/^[ \t]+/, "", v)
      print k "\t" v
    }
  ' "$@"
}

home_of() { # USER: the user's home directory (root without a user)
  local entry
  [[ -n "$1" ]] || { echo /root; return; }
  entry="$(getent passwd "$1" 2>/dev/null || true)"
  [[ -n "${entry}" ]] || die "unit user '$1' is unknown on this machine (getent passwd)"
  IFS=: read -r _ _ _ _ _ entry _ <<<"${entry}"
  echo "${entry}"
}

expand_vars() { # TEXT ENV-ARRAY-NAME: ${VAR} and $VAR replaced from the array, as systemd does
  local -n _env="$2"
  local s="$1" out=""
  while [[ "${s}" =~ ^([^$]*)\$(\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))(.*)$ ]]; do
    out+="${BASH_REMATCH[1]}${_env[${BASH_REMATCH[3]}${BASH_REMATCH[4]}]:-}"
    s="${BASH_REMATCH[5]}"
  done
  echo "${out}${s}"
}

systemd_units() { # the unit names to read: --unit, else every *.service of the unit directory
  local f
  if ((${#units_opt[@]})); then printf '%s\n' "${units_opt[@]}"; return; fi
  [[ -d "${unit_dir}" ]] || return 0
  for f in "${unit_dir}"/*.service "${unit_dir}"/*.wants/*@?*.service; do
    [[ -e "${f}" || -L "${f}" ]] || continue
    f="${f##*/}"
    [[ "${f}" == *@.service ]] && continue
    echo "${f}"
  done | sort -u
}

# The gateway units among systemd_units: "unit|instance|file" per OpenClaw gateway unit.
systemd_gateway_units() {
  local unit file instance
  while IFS= read -r unit; do
    file="${unit_dir}/${unit}" instance=""
    if [[ "${unit}" == *@?*.service ]]; then
      instance="${unit#*@}"; instance="${instance%.service}"
      [[ -f "${file}" && ! -L "${file}" ]] || file="${unit_dir}/${unit%%@*}@.service"
    fi
    [[ -f "${file}" ]] || continue
    if unit_keys "${file}" | awk -F'\t' '$1 == "ExecStart" && $2 ~ /openclaw/ && $2 ~ /(^|[ \t])gateway([ \t]|$)/ { found = 1 } END { exit !found }'; then
      printf '%s|%s|%s\n' "${unit}" "${instance}" "${file}"
    fi
  done < <(systemd_units)
}

read_systemd_layout() {
  source_desc="systemd units in ${unit_dir}"
  secret_source="the units' environment"
  local unit instance file
  local -a found=()
  mapfile -t found < <(systemd_gateway_units)
  ((${#found[@]})) || die "no OpenClaw gateway unit in ${unit_dir} (a unit whose ExecStart runs openclaw ... gateway); use --unit-dir or --unit"

  local entry k v w user home workdir profile dev state config name tvar tval first_workdir=""
  local -a files words argv
  for entry in "${found[@]}"; do
    IFS='|' read -r unit instance file <<<"${entry}"
    files=("${file}")
    for w in "${file}.d"/*.conf "${unit_dir}/${unit}.d"/*.conf; do [[ -f "${w}" ]] && files+=("${w}"); done
    local -A env=()
    local exec="" user="" workdir=""
    while IFS=$'\t' read -r k v; do
      v="${v//%i/${instance}}"; v="${v//%I/${instance}}"; v="${v//%%/%}"
      case "${k}" in
        Environment)
          while IFS= read -r w; do [[ "${w}" == *=* ]] && env["${w%%=*}"]="${w#*=}"; done < <(unit_words "${v}") ;;
        EnvironmentFile)
          [[ -n "${v}" ]] || continue
          if [[ -f "${v#-}" ]]; then read_env_file "${v#-}" env
          elif [[ "${v}" != -* ]]; then die "${unit}: EnvironmentFile ${v} does not exist"; fi ;;
        ExecStart) [[ -n "${v}" ]] && exec="${v}" ;;
        User) user="${v}" ;;
        WorkingDirectory) workdir="${v#-}" ;;
      esac
    done < <(unit_keys "${files[@]}")
    home="${env[HOME]:-$(home_of "${user}")}"
    [[ "${workdir}" == "~" ]] && workdir="${home}"
    [[ -n "${workdir}" ]] && first_workdir="${first_workdir:-${workdir}}"

    mapfile -t words < <(unit_words "${exec}")
    words[0]="${words[0]#[@+!:-]}"; words[0]="${words[0]#[@+!:-]}"
    argv=()
    local in_env=0
    [[ "${words[0]##*/}" == env ]] && in_env=1
    for w in "${words[@]:in_env}"; do
      if ((in_env)) && [[ "${w}" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
        env["${w%%=*}"]="$(expand_vars "${w#*=}" env)"
      else
        in_env=0; argv+=("$(expand_vars "${w}" env)")
      fi
    done
    profile="" dev=0
    for ((w = 0; w < ${#argv[@]}; w++)); do
      case "${argv[w]}" in
        --profile) profile="${argv[w + 1]:-}" ;;
        --profile=*) profile="${argv[w]#--profile=}" ;;
        --dev) dev=1 ;;
      esac
    done
    state="${env[OPENCLAW_STATE_DIR]:-}"
    if [[ -z "${state}" ]]; then
      state="${home}/.openclaw"
      [[ -n "${profile}" ]] && state+="-${profile}"
      ((dev)) && [[ -z "${profile}" ]] && state+="-dev"
    fi
    state="$(abs_path "${state}" "${workdir:-${home}}" "${home}")"
    config="$(abs_path "${env[OPENCLAW_CONFIG_PATH]:-${state}/openclaw.json}" "${workdir:-${home}}" "${home}")"
    [[ -d "${state}" ]] || die "${unit}: its state directory ${state} does not exist"

    name="${instance:-${unit%.service}}"
    name="${name#openclaw-gateway-}"; name="${name#openclaw-}"; name="${name#atomizer-}"; name="${name#atom-}"
    name="${name%-gateway}"
    [[ -n "${name}" && "${name}" != openclaw-gateway && "${name}" != openclaw && "${name}" != gateway ]] || name="${profile:-agent}"
    name="$(agent_name "${name}")"
    [[ -z "${old_unit_agent[${unit}]:-}" ]] || die "${unit} is listed twice"
    old_unit_agent["${unit}"]="${name}"
    agents+=("${name}")
    old_unit["${name}"]="${unit}"
    state_src["${name}"]="${state}" state_target["${name}"]="${state}"
    [[ -f "${config}" ]] && config_src["${name}"]="${config}"
    [[ -n "${user}" ]] && unit_user["${name}"]="${user}"
    unit_home["${name}"]="${home}"

    # The Discord token: what the config references, else the usual variables.
    tvar="" tval=""
    if [[ -n "${config_src[${name}]:-}" ]]; then
      v="$(config_leaves <"${config}" | awk -F'\t' '$1 == "S" && ($2 == "channels.discord.token" || $2 == "channels.discord.accounts.default.token") { print $3; exit }')"
      if [[ -n "${v}" ]]; then
        tvar="$(var_ref "${v}")"
        if [[ -z "${tvar}" ]]; then tvar=DISCORD_BOT_TOKEN tval="${v}"; fi
      fi
    fi
    if [[ -z "${tvar}" ]]; then
      for k in DISCORD_BOT_TOKEN DISCORD_TOKEN; do [[ -n "${env[${k}]:-}" ]] && { tvar="${k}"; break; }; done
    fi
    [[ -n "${tval}" ]] || tval="${env[${tvar:-none}]:-}"
    [[ -n "${tval}" ]] || die "${unit}: no Discord token found (not in the config's channels.discord.token, DISCORD_BOT_TOKEN or DISCORD_TOKEN of the unit's environment)"
    token_env["${name}"]="${tvar}" token_value["${name}"]="${tval}"
    case "${tvar}" in
      DISCORD_BOT_TOKEN | DISCORD_TOKEN) k="$(env_key "${name}")_TOKEN" ;;
      *) k="${tvar}" ;;
    esac
    token_key["${name}"]="${k}"
    for k in "${!env[@]}"; do unit_env["${name}"]+="${k}"$'\t'"${env[${k}]}"$'\n'; done
    unset env
  done

  # Every other variable of a unit goes into its agent's spec.env: secrets (names with TOKEN, KEY,
  # SECRET or PASSWORD) through the Secret, the rest as values. Left out: the variables the pod
  # sets itself, and any variable that holds another agent's Discord token (one shared
  # EnvironmentFile with all eight tokens is common; each pod gets only its own).
  local other skip
  for name in "${agents[@]}"; do
    while IFS=$'\t' read -r k v; do
      [[ -n "${k}" && "${k}" != "${token_env[${name}]}" ]] || continue
      case "${k}" in
        HOME | PATH | USER | LOGNAME | SHELL | PWD | OPENCLAW_STATE_DIR | OPENCLAW_CONFIG_PATH | NODE_OPTIONS | XDG_*) continue ;;
      esac
      skip=0
      for other in "${agents[@]}"; do [[ "${v}" == "${token_value[${other}]}" ]] && skip=1; done
      ((skip)) && continue
      add_env_auto "${name}" "${k}" "${v}"
    done <<<"${unit_env[${name}]}"
  done

  if [[ -z "${workspaces_src}" ]]; then
    home="${unit_home[${agents[0]}]}"
    for w in "${first_workdir:+${first_workdir}/workspaces}" "${home}/atomizer/workspaces"; do
      [[ -n "${w}" && -d "${w}" ]] && { workspaces_src="${w}"; break; }
    done
    [[ -n "${workspaces_src}" ]] || die "no shared workspaces directory found (looked in the units' WorkingDirectory and ${home}/atomizer); name it with --workspaces DIR"
  fi
  [[ -n "${skills_src}" || ! -d "$(dirname "${workspaces_src}")/skills" ]] || skills_src="$(dirname "${workspaces_src}")/skills"
  workspaces_target="${workspaces_src}" skills_target="${skills_src}"
}

abs_path() { # PATH BASE HOME: PATH made absolute (~ is HOME, relative is under BASE)
  case "$1" in
    /*) echo "$1" ;;
    "~") echo "$3" ;;
    "~"/*) echo "$3/${1#\~/}" ;;
    *) echo "$2/$1" ;;
  esac
}

systemctl_cmd() {
  local -a cmd
  read -r -a cmd <<<"${systemctl}"
  "${cmd[@]}" "$@"
}

systemd_unit_list() { local name; for name in "${agents[@]}"; do echo "${old_unit[${name}]}"; done; }

systemd_running() { # the agents' units that are active (or starting or stopping), or enabled
  local -a list states enabled
  local i
  mapfile -t list < <(systemd_unit_list)
  mapfile -t states < <(systemctl_cmd is-active "${list[@]}" 2>/dev/null || true)
  mapfile -t enabled < <(systemctl_cmd is-enabled "${list[@]}" 2>/dev/null || true)
  for i in "${!list[@]}"; do
    case "${states[i]:-unknown}" in
      active | activating | reloading | deactivating | refreshing) echo "unit ${list[i]} (${states[i]})" ;;
      *) case "${enabled[i]:-}" in enabled | enabled-runtime) echo "unit ${list[i]} (enabled: starts at boot)" ;; esac ;;
    esac
  done
}

# disable --now: stops the units and keeps a reboot from starting them again.
systemd_stop() { local -a list; mapfile -t list < <(systemd_unit_list); systemctl_cmd disable --now "${list[@]}"; }
systemd_start() { local -a list; mapfile -t list < <(systemd_unit_list); systemctl_cmd enable --now "${list[@]}"; }
systemd_stop_hint() { echo "${systemctl} disable --now $(systemd_unit_list | tr '\n' ' ')"; }
systemd_start_hint() { echo "${systemctl} enable --now $(systemd_unit_list | tr '\n' ' ')"; }
