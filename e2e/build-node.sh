#!/usr/bin/env bash
# Builds the parts of the e2e tier's real node (see e2e/real-node.sh) and caches
# them outside the repository:
#
#   ${ATOMIZER_NODE_DIR:-$HOME/.cache/atomizer/node}/
#     bin/      kubelet, kube-scheduler (e2e/controlplane/kube), containerd,
#               containerd-shim-runc-v2, ctr (e2e/node/containerd), runc (Debian)
#     cni/      the CNI plugins (Debian's containernetworking-plugins)
#     images/   pause.tar and agent-standin.tar (e2e/node/images), docker-archive
#               tarballs for `ctr -n k8s.io images import`
#
# kubelet and kube-scheduler come from the control plane's module, so they share
# its Go build cache; containerd v2 is built with CGO_ENABLED=0 and the tags
# no_btrfs no_devmapper no_zfs. runc and the CNI plugins are extracted from the
# Debian packages (`apt-get download` + `dpkg-deb -x`); nothing is installed.
#
# The build is skipped when everything is present and a stamp shows it was built
# from the same inputs (modules, main files, image script, Go version).
#
# Environment:
#   ATOMIZER_NODE_DIR   cache folder (default: $HOME/.cache/atomizer/node)
#   FORCE_BUILD=1       rebuild even if the stamp matches
#
# Usage: e2e/build-node.sh [--force] [--print-dir] [--optional]
#   --print-dir  print the cache folder and exit (builds nothing)
#   --optional   without Go, say so loudly and exit 0 (real-node tests then skip)
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kube_mod="${script_dir}/controlplane/kube"
containerd_mod="${script_dir}/node/containerd"
images_mod="${script_dir}/node/images"
rootfs_image="${script_dir}/lib/rootfs-image.sh"

# shellcheck source=e2e/lib/build-stamp.sh
source "${script_dir}/lib/build-stamp.sh"
build_stamp_options "${BASH_SOURCE[0]}" --print-dir "$@"

node_dir="${ATOMIZER_NODE_DIR:-${HOME}/.cache/atomizer/node}"
if [[ "${print_only}" == 1 ]]; then
  echo "${node_dir}"
  exit 0
fi
build_stamp_outside_repo build-node.sh "${node_dir}"
build_stamp_require_go build-node.sh "the e2e real node" \
  "E2E REAL NODE NOT BUILT: the real-node tests fail in CI, or are skipped on a machine without Go"
[[ -x "${rootfs_image}" || -f "${rootfs_image}" ]] || {
  echo "build-node.sh: ${rootfs_image} is missing" >&2
  exit 1
}

go_version="$(go env GOVERSION)"
go_build=(go build -trimpath -buildvcs=false -mod=readonly)
containerd_tags="no_btrfs no_devmapper no_zfs"
kube_version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "${kube_mod}/go.mod")"
containerd_version="$(awk '$1 == "github.com/containerd/containerd/v2" { print $2; exit }' "${containerd_mod}/go.mod")"
kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X ${pkg}.gitVersion=${kube_version} -X ${pkg}.gitTreeState=clean"
done
containerd_ldflags="-s -w -X github.com/containerd/containerd/v2/version.Version=${containerd_version}"

compute_stamp() {
  (
    cd "${script_dir}"
    find controlplane/kube node -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum lib/rootfs-image.sh
    echo "go=${go_version} CGO_ENABLED=0 build=${go_build[*]} tags=${containerd_tags}"
    echo "kube_ldflags=${kube_ldflags} containerd_ldflags=${containerd_ldflags}"
  ) | sha256sum | cut -d' ' -f1
}

bins=(kubelet kube-scheduler containerd containerd-shim-runc-v2 ctr runc)
stamp_file="${node_dir}/.build-stamp"
stamp="$(compute_stamp)"
parts=()
for f in "${bins[@]/#/bin/}" cni/bridge cni/host-local cni/loopback images/pause.tar images/agent-standin.tar; do
  parts+=("${node_dir}/${f}")
done
up_to_date=0
if build_stamp_current "${stamp_file}" "${stamp}" "${parts[@]}"; then
  up_to_date=1
fi

start_s="${SECONDS}"
if [[ "${up_to_date}" == 1 ]]; then
  echo "real node parts are up to date in ${node_dir}; skipping build"
else
  echo "building the real node's parts into ${node_dir} (${go_version})"
  mkdir -p "${node_dir}"
  staging="$(mktemp -d "${node_dir}/.build.XXXXXX")"
  trap 'rm -rf "${staging}"' EXIT
  mkdir -p "${staging}/bin" "${staging}/cni" "${staging}/images"

  echo "  kubelet, kube-scheduler ${kube_version}"
  t="${SECONDS}"
  (cd "${kube_mod}" && CGO_ENABLED=0 "${go_build[@]}" -ldflags "${kube_ldflags}" \
    -o "${staging}/bin/" ./cmd/kubelet ./cmd/kube-scheduler)
  echo "    $((SECONDS - t))s"

  echo "  containerd ${containerd_version}"
  t="${SECONDS}"
  (cd "${containerd_mod}" && CGO_ENABLED=0 "${go_build[@]}" -tags "${containerd_tags}" \
    -ldflags "${containerd_ldflags}" -o "${staging}/bin/" \
    github.com/containerd/containerd/v2/cmd/containerd \
    github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 \
    github.com/containerd/containerd/v2/cmd/ctr)
  echo "    $((SECONDS - t))s"

  echo "  runc, CNI plugins (Debian)"
  debs="${staging}/debs"
  mkdir -p "${debs}"
  if ! (cd "${debs}" && apt-get download runc containernetworking-plugins >/dev/null 2>&1); then
    apt-get update >/dev/null
    (cd "${debs}" && apt-get download runc containernetworking-plugins >/dev/null)
  fi
  for deb in "${debs}"/*.deb; do
    echo "    $(basename "${deb}")"
    dpkg-deb -x "${deb}" "${debs}/root"
  done
  cp "${debs}/root/usr/sbin/runc" "${staging}/bin/runc"
  cp "${debs}/root/usr/lib/cni/"* "${staging}/cni/"

  echo "  images: pause, agent-standin"
  (cd "${images_mod}" && CGO_ENABLED=0 "${go_build[@]}" -ldflags "-s -w" \
    -o "${staging}/" ./cmd/pause ./cmd/agent-standin)
  mkdir -p "${staging}/pause-root"
  mv "${staging}/pause" "${staging}/pause-root/pause"
  bash "${rootfs_image}" --rootfs "${staging}/pause-root" --name atomizer.io/e2e/pause:1 \
    --out "${staging}/images/pause.tar" --user 65535:65535 -- /pause >/dev/null
  standin="${staging}/standin-root"
  mkdir -p "${standin}/bin" "${standin}/app/workspaces" "${standin}/home/node/.openclaw" "${standin}/tmp"
  mv "${staging}/agent-standin" "${standin}/bin/agent-standin"
  ln "${standin}/bin/agent-standin" "${standin}/bin/mkdir"
  ln "${standin}/bin/agent-standin" "${standin}/bin/tee"
  ln "${standin}/bin/agent-standin" "${standin}/bin/cat"
  ln "${standin}/bin/agent-standin" "${standin}/bin/node"
  bash "${rootfs_image}" --rootfs "${standin}" --name atomizer.io/e2e/agent-standin:1 \
    --out "${staging}/images/agent-standin.tar" --user 1000:1000 --workdir /app \
    --env PATH=/bin --chown home/node=1000:1000 -- /bin/agent-standin >/dev/null

  rm -f "${stamp_file}"
  for d in bin cni images; do
    rm -rf "${node_dir:?}/${d}"
    mv "${staging}/${d}" "${node_dir}/${d}"
  done
  echo "${stamp}" >"${stamp_file}"
fi

echo "elapsed: $((SECONDS - start_s))s"
echo "--- versions (${node_dir})"
"${node_dir}/bin/kubelet" --version
"${node_dir}/bin/containerd" --version
"${node_dir}/bin/runc" --version | head -1
ls "${node_dir}/images"
