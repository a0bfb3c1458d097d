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

# shellcheck source=e2e/lib/build-stamp.sh
source "${script_dir}/lib/build-stamp.sh"
build_stamp_options "${BASH_SOURCE[0]}" --print-path "$@"

install_dir="${ATOMIZER_CACHE_DIR:-${HOME}/.cache/atomizer}/health-judge"
binary="${install_dir}/health-judge"
if [[ "${print_only}" == 1 ]]; then
  echo "${binary}"
  exit 0
fi

build_stamp_require_go build-health-judge.sh health-judge \
  "HEALTH-JUDGE NOT BUILT: the kstatus / Argo CD health end-to-end test will fail"
build_stamp_outside_repo build-health-judge.sh "${install_dir}"

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

if build_stamp_current "${stamp_file}" "${stamp}" "${binary}"; then
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
