# shellcheck shell=bash disable=SC2034,SC2154 # globals of k3s/migrate.sh
# --rollback of k3s/migrate.sh: the old agents take over again, with their data as it is. The
# migrated AtomizerAgents (label atomizer.io/migrated-from=<layout>) are deleted; only once no pod
# of theirs and no other process holds a token do the old units or containers start (and get
# enabled again). The Secret, the ConfigMaps, the claims and the volumes stay (reclaim policy
# Retain), so migrating again later re-attaches the same directories; no file is touched.

rollback_run() {
  local hint selector pods="" holders
  hint="$("${layout}_start_hint" 2>/dev/null || echo "start the old agents as you did before")"
  selector="atomizer.io/agent in ($(IFS=,; echo "${agents[*]}"))"
  if ((dry_run)); then
    echo "Rollback plan (dry run, nothing changed):"
    echo "  delete atomizeragents -l atomizer.io/migrated-from=${layout} in ${namespace}: ${agents[*]}"
    echo "  wait until their pods are gone and no process holds a token"
    echo "  then run: ${hint}"
    echo "  kept: Secret ${SECRET}, the ConfigMaps, claims and volumes (Retain); no file is touched"
    return
  fi
  echo "Rolling back: deleting the migrated agents in ${namespace}"
  "${KUBECTL[@]}" delete atomizeragents -n "${namespace}" -l "atomizer.io/migrated-from=${layout}" \
    --ignore-not-found --wait=false
  for _ in $(seq 1 "${ROLLBACK_WAIT_SECONDS:-300}"); do
    pods="$("${KUBECTL[@]}" get pods -n "${namespace}" -l "${selector}" -o name 2>/dev/null || echo unknown)"
    [[ -n "${pods}" ]] || break
    sleep 1
  done
  [[ -z "${pods}" ]] || die "the agents' pods still exist (${pods//$'\n'/ }); the old agents were NOT started. Is the operator running?"
  holders="$(token_holders)"
  [[ -z "${holders}" ]] || die "still holding a token: ${holders//$'\n'/; }; the old agents were NOT started"
  if [[ "${layout}" == dir ]]; then
    echo "The agents' pods are gone. Start your old agents again as you did before."
  else
    echo "Starting and enabling the old agents: ${hint}"
    "${layout}_start"
  fi
  echo "Rolled back. Kept for a later migration: Secret ${SECRET}, the ConfigMaps, claims and volumes; no file was touched."
}
