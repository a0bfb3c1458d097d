# shellcheck shell=bash disable=SC2034,SC2154 # globals of k3s/migrate.sh
# A plain directory layout, given by flags, sourced by k3s/migrate.sh:
#   --state-root DIR   one subdirectory per agent (DIR/<agent>/), each an OpenClaw state directory
#                      (its openclaw.json, if any, becomes the agent's config); or --agent NAME=DIR
#   --workspaces DIR   the shared brain
#   --env-file FILE    KEY=VALUE lines: <AGENT>_TOKEN per agent (MANAGER_TOKEN, TECH_LEAD_TOKEN, ...),
#                      optionally GATEWAY_TOKEN
#   --skills DIR       optional shared skills
# Nothing here says which processes ran the agents: only the token scan of /proc guards against
# an old agent still running, and --stop-old cannot stop them.

read_dir_layout() {
  [[ -n "${env_file_opt}" ]] || die "--layout dir needs --env-file FILE with the agents' tokens"
  [[ -f "${env_file_opt}" ]] || die "no env file at ${env_file_opt}"
  [[ -n "${workspaces_src}" ]] || die "--layout dir needs --workspaces DIR"
  source_desc="directories (${state_root:-given by --agent})"
  secret_source="${env_file_opt}"
  local -A dotenv=()
  read_env_file "${env_file_opt}" dotenv
  local -a pairs=("${agent_opt[@]}")
  local d name dir key
  if ((${#pairs[@]} == 0)); then
    [[ -d "${state_root}" ]] || die "--layout dir needs --state-root DIR (one subdirectory per agent) or --agent NAME=DIR"
    for d in "${state_root}"/*/; do
      [[ -d "${d}" ]] && pairs+=("$(basename "${d}")=${d%/}")
    done
  fi
  ((${#pairs[@]})) || die "no agent directories under ${state_root}"
  for d in "${pairs[@]}"; do
    name="$(agent_name "${d%%=*}")" dir="${d#*=}"
    [[ -d "${dir}" ]] || die "${name}: state directory ${dir} does not exist"
    dir="$(cd "${dir}" && pwd -P)"
    key="$(env_key "${name}")_TOKEN"
    [[ -n "${dotenv[${key}]:-}" ]] || die "${env_file_opt} has no ${key} for agent ${name}"
    agents+=("${name}")
    token_key["${name}"]="${key}" token_env["${name}"]=DISCORD_BOT_TOKEN token_value["${name}"]="${dotenv[${key}]}"
    state_src["${name}"]="${dir}" state_target["${name}"]="${dir}" old_unit["${name}"]="${dir}"
    [[ -f "${dir}/openclaw.json" ]] && config_src["${name}"]="${dir}/openclaw.json"
    if [[ -n "${dotenv[GATEWAY_TOKEN]:-}" ]]; then
      add_env_auto "${name}" OPENCLAW_GATEWAY_TOKEN "${dotenv[GATEWAY_TOKEN]}"
    fi
  done
  workspaces_target="${workspaces_src}" skills_target="${skills_src}"
}
