#!/usr/bin/env bash
# Builds health-judge (e2e/kstatus/): judges objects with sigs.k8s.io/cli-utils'
# kstatus (status.Compute, as Flux does) and with an Argo CD health Lua script
# in gopher-lua (as Argo CD does). The end-to-end tests run it on every status
# an agent goes through. Installed outside the repository, at
#
#   ${ATOMIZER_CACHE_DIR:-$HOME/.cache/atomizer}/health-judge/health-judge
#
# The build is skipped when the binary is present and a stamp file shows it
# was built from the same inputs (go.mod, go.sum, *.go, Go version, flags).
# GOCACHE and GOMODCACHE are left at Go's defaults, outside the repository.
#
# Usage: e2e/build-health-judge.sh [--force] [--print-path] [--optional]
#   --print-path  print where the binary is installed and exit (builds nothing)
#   --optional    without Go, say so loudly and exit 0 (the tests that need it fail with the reason)
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mod_dir="${script_dir}/kstatus"

force="${FORCE_BUILD:-0}"
print_path=0
optional=0
for arg in "$@"; do
  case "${arg}" in
    --force) force=1 ;;
    --optional) optional=1 ;;
    --print-path) print_path=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "build-health-judge.sh: unknown argument: ${arg}" >&2
      exit 2
      ;;
  esac
done

install_dir="${ATOMIZER_CACHE_DIR:-${HOME}/.cache/atomizer}/health-judge"
binary="${install_dir}/health-judge"
if [[ "${print_path}" == 1 ]]; then
  echo "${binary}"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build-health-judge.sh: 'go' not found on PATH; install Go >= 1.26 to build health-judge" >&2
  if [[ "${optional}" == 1 ]]; then
    echo "!!!!! HEALTH-JUDGE NOT BUILT: the kstatus / Argo CD health end-to-end test will fail" >&2
    exit 0
  fi
  exit 1
fi

case "${install_dir}" in
  "${script_dir%/e2e}"/*)
    echo "build-health-judge.sh: refusing to install inside the repository (${install_dir})" >&2
    exit 1
    ;;
  *) ;;
esac

go_build=(go build -trimpath -buildvcs=false -mod=readonly -ldflags "-s -w")
stamp="$(
  cd "${mod_dir}"
  {
    find . -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum
    echo "go=$(go env GOVERSION) $(go env GOOS)/$(go env GOARCH) CGO_ENABLED=0"
    echo "build=${go_build[*]}"
  } | sha256sum | cut -d' ' -f1
)"
stamp_file="${install_dir}/.build-stamp"

if [[ "${force}" != 1 && -x "${binary}" && -f "${stamp_file}" && "$(<"${stamp_file}")" == "${stamp}" ]]; then
  echo "health-judge is up to date in ${install_dir}; skipping build"
  exit 0
fi

echo "building health-judge into ${install_dir}"
mkdir -p "${install_dir}"
staging="$(mktemp -d "${install_dir}/.build.XXXXXX")"
trap 'rm -rf "${staging}"' EXIT
(cd "${mod_dir}" && CGO_ENABLED=0 "${go_build[@]}" -o "${staging}/health-judge" .)
rm -f "${stamp_file}"
mv -f "${staging}/health-judge" "${binary}"
echo "${stamp}" >"${stamp_file}"
echo "built $("${binary}" -version)"
