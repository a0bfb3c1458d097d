# shellcheck shell=bash disable=SC2034,SC2154 # globals of k3s/migrate.sh
# The docker-compose layout (the team's pivot document), sourced by k3s/migrate.sh:
#   <compose-dir>/docker-compose.yml  services, each with:
#       environment: DISCORD_TOKEN=${<AGENT>_TOKEN} (or DISCORD_BOT_TOKEN), list or map form;
#                    other KEY=literal entries are kept, KEY=${VAR} entries read VAR from the Secret
#       volumes: ./instances/<agent>:/root/.openclaw (short or long syntax; any target works)
#                ./workspaces:/app/workspaces and ./skills:/app/skills (in a service or an x- anchor)
#       image, container_name; anchors (x-agent-base: &agent-base) and merges (<<: *agent-base)
#   <compose-dir>/.env                KEY=VALUE lines (export, quotes and comments allowed)
#   <compose-dir>/instances/<agent>/  private state, one directory per agent (its openclaw.json, if
#                                     any, becomes the agent's config)
#   <compose-dir>/workspaces/         shared brain; workspaces/<agent>/ or a known alias
# A service is an agent when it maps DISCORD_TOKEN or DISCORD_BOT_TOKEN to a ${VAR} of .env; other
# services are listed and left out. Not supported (the run stops with a message): named docker
# volumes, tokens written inline in docker-compose.yml, env_file-only tokens, flow mappings, YAML
# multi-documents.

compose_file_in() { # DIR: its compose file, or nothing
  local f
  for f in docker-compose.yml docker-compose.yaml compose.yml compose.yaml; do
    [[ -f "$1/${f}" ]] && { echo "$1/${f}"; return; }
  done
  return 0
}

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

read_compose_layout() {
  [[ -d "${compose_dir}" ]] || die "no compose directory at ${compose_dir} (use --compose-dir)"
  compose_dir="$(cd "${compose_dir}" && pwd -P)"
  compose_file="$(compose_file_in "${compose_dir}")"
  [[ -n "${compose_file}" ]] || die "no docker-compose.yml in ${compose_dir}"
  local env_file="${compose_dir}/.env"
  [[ -f "${env_file}" ]] || die "no .env in ${compose_dir}: it holds the agents' tokens"
  source_desc="${compose_file}"
  secret_source="${env_file}"

  declare -gA anchors=() merges=() scalars=() haskey=() envs=() vols=()
  local -a blocks=()
  local rec name a b
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

  # The shared volumes: any block (service or anchor) that mounts /app/workspaces or /app/skills.
  local block vol src target
  workspaces_target=/app/workspaces skills_target=/app/skills
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

  local -A dotenv=()
  read_env_file "${env_file}" dotenv

  local from env_list tkey tenv candidate k v ref s t image sugg
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

    name="$(agent_name "${block}")"
    agents+=("${name}")
    [[ -n "${dotenv[${tkey}]:-}" ]] || die ".env has no value for ${tkey}, which docker-compose.yml references"
    token_key["${name}"]="${tkey}" token_env["${name}"]="${tenv}"
    token_value["${name}"]="${dotenv[${tkey}]}"
    old_unit["${name}"]="${scalars[$(resolve "${block}" container_name)/container_name]:-${block}}"
    service["${name}"]="${block}"

    while IFS=$'\t' read -r k v; do
      [[ -n "${k}" && "${k}" != "${tenv}" ]] || continue
      if [[ "${v}" == $'\001' ]]; then
        note "${name}: ${k} is passed through from docker's own environment; not migrated"; continue
      fi
      ref="$(var_ref "${v}")"
      if [[ -n "${ref}" ]]; then
        [[ -n "${dotenv[${ref}]+x}" ]] || die ".env has no value for ${ref}, which docker-compose.yml references"
        add_secret "${ref}" "${dotenv[${ref}]}" "${name}"
        add_env_secret "${name}" "${k}" "${ref}"
      elif [[ "${v}" == *'$'* ]]; then
        note "${name}: ${k} mixes text and \${...} references; not migrated, add it to spec.env by hand"
      else
        add_env_value "${name}" "${k}" "${v}"
      fi
    done <<<"${env_list}"

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
    [[ -f "${src}/openclaw.json" ]] && config_src["${name}"]="${src}/openclaw.json"

    image="${scalars[$(resolve "${block}" image)/image]:-}"
    if [[ -n "${image}" && "${image##*/}" == *:* && "${image}" != *:latest ]]; then
      agent_image["${name}"]="${image}"
    fi
    agent_dir_hint["${name}"]="${block}"
  done
  ((${#agents[@]})) || die "docker-compose.yml: no service maps DISCORD_TOKEN to a \${VAR} of .env"
}

# Compose containers of the agents that run: the service's container_name, or compose's default
# <project>-<service>-<n>. DOCKER (default docker) lists them.
compose_running() {
  local -a docker_cmd
  local running running_name name
  read -r -a docker_cmd <<<"${DOCKER:-docker}"
  command -v "${docker_cmd[0]}" >/dev/null 2>&1 || return 0
  running="$("${docker_cmd[@]}" ps --format '{{.Names}}' 2>/dev/null)" || return 0
  while IFS= read -r running_name; do
    [[ -n "${running_name}" ]] || continue
    for name in "${agents[@]}"; do
      if [[ "${running_name}" == "${old_unit[${name}]}" || "${running_name}" =~ ^.+[-_]${service[${name}]//./\\.}[-_][0-9]+$ ]]; then
        echo "container ${running_name}"
      fi
    done
  done <<<"${running}"
}

compose_cmd() {
  local -a cmd
  read -r -a cmd <<<"${DOCKER_COMPOSE:-${DOCKER:-docker} compose}"
  "${cmd[@]}" -f "${compose_file}" "$@"
}

# docker compose down: removes the containers, so neither a reboot nor the docker daemon's restart
# policy brings them back; the bind-mounted directories stay as they are.
compose_stop() { compose_cmd down; }
compose_start() { compose_cmd up -d; }
compose_stop_hint() { echo "docker compose -f ${compose_file} down"; }
compose_start_hint() { echo "docker compose -f ${compose_file} up -d"; }
