#!/usr/bin/env bash
# Builds the Kubernetes control-plane binaries that the e2e tests run against
# (etcd, kube-apiserver, kubectl and, by default, kube-controller-manager) from
# the Go modules in e2e/controlplane/, and installs them where fabric8's
# kube-api-test looks for them in offline mode:
#
#   ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/<version>-<goos>-<goarch>/
#
# <version> is the k8s.io/kubernetes version required in
# e2e/controlplane/kube/go.mod, without the leading "v" (e.g. 1.36.3).
#
# The build is skipped when every binary is present and a stamp file shows it
# was built from the same inputs (go.mod, go.sum, main files, Go version, flags).
# GOCACHE and GOMODCACHE are left at Go's defaults, outside the repository.
#
# Environment:
#   KUBE_API_TEST_DIR           install root (default: $HOME/.kubeapitest)
#   BUILD_CONTROLLER_MANAGER=0  skip kube-controller-manager (default: 1)
#   FORCE_BUILD=1               rebuild even if the stamp matches
#   SOURCE_DATE_EPOCH           buildDate stamp (default: release time of
#                               k8s.io/kubernetes from the module proxy)
#
# Usage: e2e/build-controlplane.sh [--force] [--print-dir] [--optional]
#   --print-dir  print the binary directory and exit (builds nothing)
#   --optional   without Go, say so loudly and exit 0 (the e2e tests then skip)
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp_dir="${script_dir}/controlplane"
kube_mod="${cp_dir}/kube"
etcd_mod="${cp_dir}/etcd"

# shellcheck source=e2e/lib/build-stamp.sh
source "${script_dir}/lib/build-stamp.sh"
build_stamp_options "${BASH_SOURCE[0]}" --print-dir "$@"

# mod_version GO_MOD MODULE: the version of MODULE required in GO_MOD
# (handles both "require M v" and a require block; ignores replace lines).
mod_version() {
  awk -v m="$2" '!/=>/ { for (i = 1; i < NF; i++) if ($i == m) { print $(i + 1); exit } }' "$1"
}

build_stamp_require_go build-controlplane.sh "the e2e control plane" \
  "E2E CONTROL PLANE NOT BUILT: the end-to-end tests fail in CI, or are skipped on a machine without Go (or set ATOMIZER_E2E_KUBECONFIG)"

# Version of Kubernetes, read from the kube module's go.mod (e.g. v1.36.3).
kube_git_version="$(mod_version "${kube_mod}/go.mod" k8s.io/kubernetes)"
if [[ ! "${kube_git_version}" =~ ^v([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "build-controlplane.sh: cannot read a plain k8s.io/kubernetes vX.Y.Z version from ${kube_mod}/go.mod (got '${kube_git_version}')" >&2
  exit 1
fi
kube_major="${BASH_REMATCH[1]}"
kube_minor="${BASH_REMATCH[2]}"
kube_version="${kube_git_version#v}"

goos="$(go env GOOS)"
goarch="$(go env GOARCH)"
go_version="$(go env GOVERSION)"
install_root="${KUBE_API_TEST_DIR:-${HOME}/.kubeapitest}"
bin_dir="${install_root}/k8s/${kube_version}-${goos}-${goarch}"

if [[ "${print_only}" == 1 ]]; then
  echo "${bin_dir}"
  exit 0
fi
build_stamp_outside_repo build-controlplane.sh "${bin_dir}"

# etcd is a module of its own (so its grpc/otel requirements cannot move the
# apiserver's); keep it at the etcd version that Kubernetes pins.
etcd_version="$(mod_version "${etcd_mod}/go.mod" go.etcd.io/etcd/server/v3)"
kube_etcd_version="$(mod_version "${kube_mod}/go.mod" go.etcd.io/etcd/client/v3)"
if [[ "${etcd_version}" != "${kube_etcd_version}" ]]; then
  echo "build-controlplane.sh: warning: etcd module builds etcd ${etcd_version}, but Kubernetes ${kube_git_version} pins the etcd client at ${kube_etcd_version}" >&2
fi

kube_bins=(kube-apiserver kubectl)
if [[ "${BUILD_CONTROLLER_MANAGER:-1}" != 0 ]]; then
  kube_bins+=(kube-controller-manager)
fi
all_bins=(etcd "${kube_bins[@]}")

start_s="${SECONDS}"

# The same ldflags for both version packages: component-base/version is what
# the servers report on /version and --version, client-go/pkg/version is what
# kubectl reports as its client version.
if [[ -n "${SOURCE_DATE_EPOCH:-}" ]]; then
  build_date="$(date -u -d "@${SOURCE_DATE_EPOCH}" +%Y-%m-%dT%H:%M:%SZ)"
else
  # The release time of k8s.io/kubernetes, so the stamp (and the binaries)
  # stay the same from one build to the next.
  if ! build_date="$(cd "${kube_mod}" && go list -m -f '{{with .Time}}{{.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' k8s.io/kubernetes 2>/dev/null)"; then
    build_date=""
  fi
  build_date="${build_date:-1970-01-01T00:00:00Z}"
fi
kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X ${pkg}.gitVersion=${kube_git_version}"
  kube_ldflags+=" -X ${pkg}.gitMajor=${kube_major}"
  kube_ldflags+=" -X ${pkg}.gitMinor=${kube_minor}"
  kube_ldflags+=" -X ${pkg}.gitTreeState=clean"
  kube_ldflags+=" -X ${pkg}.buildDate=${build_date}"
done
etcd_ldflags="-s -w"

go_build=(go build -trimpath -buildvcs=false -mod=readonly)

# Everything the binaries are built from, hashed into the stamp.
compute_stamp() {
  (
    cd "${cp_dir}"
    find kube etcd -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum
    echo "go=${go_version} ${goos}/${goarch} CGO_ENABLED=0"
    echo "build=${go_build[*]}"
    echo "kube_ldflags=${kube_ldflags}"
    echo "etcd_ldflags=${etcd_ldflags}"
  ) | sha256sum | cut -d' ' -f1
}

stamp_file="${bin_dir}/.build-stamp"
stamp="$(compute_stamp)"

up_to_date=0
if build_stamp_current "${stamp_file}" "${stamp}" "${all_bins[@]/#/${bin_dir}/}"; then
  up_to_date=1
fi

if [[ "${up_to_date}" == 1 ]]; then
  echo "control plane ${kube_git_version} is up to date in ${bin_dir}; skipping build"
else
  echo "building control plane ${kube_git_version} into ${bin_dir}"
  gocache="$(go env GOCACHE)"
  gomodcache="$(go env GOMODCACHE)"
  echo "  ${go_version}, GOCACHE=${gocache} GOMODCACHE=${gomodcache}"
  mkdir -p "${install_root}/k8s"
  staging="$(mktemp -d "${install_root}/k8s/.build-${kube_version}.XXXXXX")"
  trap 'rm -rf "${staging}"' EXIT

  echo "  etcd ${etcd_version}"
  (cd "${etcd_mod}" && CGO_ENABLED=0 "${go_build[@]}" -ldflags "${etcd_ldflags}" -o "${staging}/" ./cmd/etcd)

  echo "  ${kube_bins[*]}"
  kube_pkgs=()
  for b in "${kube_bins[@]}"; do kube_pkgs+=("./cmd/${b}"); done
  # One invocation, so the packages the binaries share are compiled once.
  (cd "${kube_mod}" && CGO_ENABLED=0 "${go_build[@]}" -ldflags "${kube_ldflags}" -o "${staging}/" "${kube_pkgs[@]}")

  mkdir -p "${bin_dir}"
  rm -f "${stamp_file}"
  for b in "${all_bins[@]}"; do
    mv -f "${staging}/${b}" "${bin_dir}/${b}"
  done
  if [[ "${BUILD_CONTROLLER_MANAGER:-1}" == 0 ]]; then
    # Do not leave a kube-controller-manager from other inputs behind.
    rm -f "${bin_dir}/kube-controller-manager"
  fi
  echo "${stamp}" >"${stamp_file}"
fi

echo "elapsed: $((SECONDS - start_s))s"
echo "--- versions (${bin_dir})"
"${bin_dir}/etcd" --version
"${bin_dir}/kube-apiserver" --version
if [[ -x "${bin_dir}/kube-controller-manager" ]]; then
  "${bin_dir}/kube-controller-manager" --version
fi
KUBECONFIG=/dev/null "${bin_dir}/kubectl" version --client
