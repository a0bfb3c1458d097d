#!/usr/bin/env bash
# rootfs-image.sh: turns a root filesystem folder into a one-layer container image, without Docker
# and without a registry: a docker-archive tarball (the format of `docker save`), which
# `ctr -n k8s.io images import`, `k3s ctr images import` and Jib's tar:// base all read.
#
# The layer is reproducible: names sorted, times fixed at the epoch, owners numeric (root, unless a
# path is given another owner with --chown), so the same folder always gives the same image id.
#
# Usage: e2e/lib/rootfs-image.sh --rootfs DIR --name NAME:TAG --out FILE.tar
#          [--user UID[:GID]] [--workdir DIR] [--env K=V]... [--chown PATH=UID:GID]...
#          [--created-by TEXT] [-- ENTRYPOINT [ARG...]]
#   --rootfs DIR          the folder that becomes the image's /
#   --name NAME:TAG       the image's name (RepoTags), e.g. atomizer.io/e2e/pause:1
#   --out FILE            the tarball to write (written next to it first, then moved)
#   --user, --workdir     the image config's User and WorkingDir
#   --env K=V             an entry of the image config's Env (repeatable, in order)
#   --chown PATH=UID:GID  PATH (relative to DIR, with everything under it) owned by UID:GID
#   --created-by TEXT     the history line (default: this script)
#   -- ENTRYPOINT...      the image config's Entrypoint
# Prints the image id (sha256 of the config) on stdout.
set -euo pipefail

die() { echo "rootfs-image.sh: $*" >&2; exit 1; }

rootfs="" name="" out="" user="" workdir="/" created_by="e2e/lib/rootfs-image.sh"
envs=() chowns=() entrypoint=()
while (($#)); do
  case "$1" in
    --rootfs) rootfs="${2:?--rootfs needs a folder}"; shift ;;
    --name) name="${2:?--name needs NAME:TAG}"; shift ;;
    --out) out="${2:?--out needs a file}"; shift ;;
    --user) user="${2:?--user needs UID[:GID]}"; shift ;;
    --workdir) workdir="${2:?--workdir needs a folder}"; shift ;;
    --env) envs+=("${2:?--env needs K=V}"); shift ;;
    --chown) chowns+=("${2:?--chown needs PATH=UID:GID}"); shift ;;
    --created-by) created_by="${2:?--created-by needs a text}"; shift ;;
    --) shift; entrypoint=("$@"); break ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done
[[ -d "${rootfs}" ]] || die "--rootfs must be a folder (got '${rootfs}')"
[[ "${name}" == *:* ]] || die "--name must be NAME:TAG (got '${name}')"
[[ -n "${out}" ]] || die "--out is required"
for tool in tar sha256sum; do
  command -v "${tool}" >/dev/null 2>&1 || die "${tool} is missing (Debian: tar, coreutils)"
done

# json_string S: S as a JSON string literal.
json_string() {
  local s="$1"
  s="${s//\\/\\\\}" s="${s//\"/\\\"}" s="${s//$'\t'/\\t}" s="${s//$'\n'/\\n}"
  printf '"%s"' "${s}"
}
# json_array A...: the arguments as a JSON array of strings.
json_array() {
  local sep="" item
  printf '['
  for item in "$@"; do printf '%s%s' "${sep}" "$(json_string "${item}")"; sep=","; done
  printf ']'
}

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

layer="${work}/layer.tar"
tar_opts=(--sort=name --mtime=@0 --numeric-owner --format=posix
  "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime")
excludes=()
for entry in "${chowns[@]}"; do
  path="${entry%%=*}" path="${path#/}"
  [[ -e "${rootfs}/${path}" ]] || die "--chown ${entry}: no ${path} in ${rootfs}"
  excludes+=("--exclude=./${path}")
done
# Everything as root first, then each --chown path appended with its own owner.
tar "${tar_opts[@]}" --owner=0 --group=0 "${excludes[@]}" -C "${rootfs}" -cf "${layer}" .
for entry in "${chowns[@]}"; do
  path="${entry%%=*}" path="${path#/}" owner="${entry#*=}"
  [[ "${owner}" =~ ^[0-9]+:[0-9]+$ ]] || die "--chown ${entry}: owner must be UID:GID"
  tar "${tar_opts[@]}" --owner="${owner%%:*}" --group="${owner#*:}" -C "${rootfs}" -rf "${layer}" "./${path}"
done
diff_id="$(sha256sum "${layer}" | cut -c1-64)"

image="${work}/image"
mkdir -p "${image}/${diff_id}"
mv "${layer}" "${image}/${diff_id}/layer.tar"
{
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{'
  [[ -z "${user}" ]] || printf '"User":%s,' "$(json_string "${user}")"
  printf '"WorkingDir":%s,"Env":%s' "$(json_string "${workdir}")" "$(json_array "${envs[@]}")"
  ((${#entrypoint[@]} == 0)) || printf ',"Entrypoint":%s' "$(json_array "${entrypoint[@]}")"
  printf '},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},' "${diff_id}"
  printf '"history":[{"created":"1970-01-01T00:00:00Z","created_by":%s}]}\n' "$(json_string "${created_by}")"
} >"${work}/config.json"
config_id="$(sha256sum "${work}/config.json" | cut -c1-64)"
mv "${work}/config.json" "${image}/${config_id}.json"
printf '[{"Config":"%s.json","RepoTags":[%s],"Layers":["%s/layer.tar"]}]\n' \
  "${config_id}" "$(json_string "${name}")" "${diff_id}" >"${image}/manifest.json"

mkdir -p "$(dirname "${out}")"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "${image}" -cf "${out}.tmp" \
  manifest.json "${config_id}.json" "${diff_id}"
mv "${out}.tmp" "${out}"
echo "sha256:${config_id}"
