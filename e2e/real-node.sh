#!/usr/bin/env bash
# real-node.sh: a single-node Kubernetes cluster whose kubelet runs real containers, for the
# e2e tier (started by src/test/java/.../e2e/RealNode.java, usable by hand as well).
#
#   etcd, kube-apiserver, kube-controller-manager   e2e/build-controlplane.sh's binaries
#   kube-scheduler, kubelet, containerd, runc, CNI   e2e/build-node.sh's binaries
#
# Layout (see ../shared/design/real-node-notes.md for why each setting is there):
# - a bridge of its own (atomizer0, 10.244.0.1/24), CNI bridge + host-local, no NAT, no route
#   out, ip_forward untouched: pods reach only the bridge address;
# - the API server listens only on the bridge address, so pods reach it there (no kube-proxy:
#   a pod that talks to it needs KUBERNETES_SERVICE_HOST/PORT set to that address);
# - containerd and the kubelet run in a private mount namespace (unshare -m) where /run,
#   /var/lib and /var/log are tmpfs and kernel.panic, kernel.panic_on_oops and vm.overcommit_memory are files bind-mounted
#   over /proc/sys, so protectKernelDefaults holds without touching the host's sysctls;
# - every cgroup is created under /atomizer-e2e in each hierarchy; containerd and its shims
#   live in /atomizer-e2e/system, pods in /atomizer-e2e/kubepods;
# - no registry: hosts.toml sends every registry to 127.0.0.1:9; images come from tarballs
#   (`real-node.sh import FILE.tar`).
#
# Usage: e2e/real-node.sh up | down | import FILE.tar... | tag SOURCE TARGET | untag NAME...
#   up      tears down leftovers of an earlier run, starts everything, waits for node Ready,
#           prints KEY=VALUE lines (KUBECONFIG, SERVER, BRIDGE_IP, API_PORT, NODE, STATE, PIDS)
#   down    stops every process it started (by PID), removes its cgroups and bridge and the
#           state folder (logs are kept in STATE.logs); safe to run any time
#   import  imports docker-archive/OCI tarballs into containerd's k8s.io namespace
#   tag     names image SOURCE also TARGET (replacing what TARGET named); untag removes names
#
# Environment:
#   ATOMIZER_NODE_STATE   state folder (default: /var/tmp/atomizer-e2e-node)
#   ATOMIZER_NODE_DIR     node parts (default: e2e/build-node.sh --print-dir)
#   KUBE_BIN_DIR          control plane binaries (default: e2e/build-controlplane.sh --print-dir)
#   AUDIT_POLICY, AUDIT_LOG   when both set, the API server writes an audit log
# Needs root (mounts, namespaces, cgroups, a bridge).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${ATOMIZER_NODE_STATE:-/var/tmp/atomizer-e2e-node}"
node_name="atomizer-e2e-node"
bridge="atomizer0"
bridge_ip="10.244.0.1"
pod_cidr="10.244.0.0/24"
cg_parent="atomizer-e2e"

die() {
  echo "real-node.sh: $*" >&2
  exit 1
}

# cgroup_roots: every cgroup hierarchy mounted under /sys/fs/cgroup (v1 and the unified one).
cgroup_roots() {
  local d
  for d in /sys/fs/cgroup/*/; do
    d="${d%/}"
    [[ -f "${d}/cgroup.procs" && ! -L "${d}" ]] && echo "${d}"
  done
  if [[ -f /sys/fs/cgroup/cgroup.procs ]]; then echo /sys/fs/cgroup; fi
}

# ours PID: true when PID is alive and runs a binary of this node or control plane.
ours() {
  local exe
  exe="$(readlink "/proc/$1/exe" 2>/dev/null)" || return 1
  case "${exe}" in
    "${node_dir}"/* | "${kube_bin}"/*) return 0 ;;
    # the node-ns launcher: bash running this script
    */bash) tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'real-node.sh node-ns' ;;
    *) return 1 ;;
  esac
}

stop_pid_file() {
  local f="$1" pid
  [[ -f "${f}" ]] || return 0
  pid="$(<"${f}")"
  if [[ "${pid}" =~ ^[0-9]+$ ]] && ours "${pid}"; then
    kill -TERM "${pid}" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "${pid}" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "${pid}" 2>/dev/null || true
  fi
  rm -f "${f}"
}

# kill_cgroups: SIGKILL every process in our cgroups (pods, shims, containerd, kubelet) until
# none is left, then remove the cgroups, deepest first.
kill_cgroups() {
  local root dir pid left
  for _ in $(seq 100); do
    left=0
    while read -r root; do
      [[ -d "${root}/${cg_parent}" ]] || continue
      while read -r dir; do
        while read -r pid; do
          [[ -n "${pid}" ]] || continue
          left=1
          kill -KILL "${pid}" 2>/dev/null || true
        done <"${dir}/cgroup.procs"
      done < <(find "${root}/${cg_parent}" -type d)
    done < <(cgroup_roots)
    ((left)) || break
    sleep 0.1
  done
  while read -r root; do
    [[ -d "${root}/${cg_parent}" ]] || continue
    find "${root}/${cg_parent}" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [[ ! -d "${root}/${cg_parent}" ]] || echo "real-node.sh: could not remove ${root}/${cg_parent}" >&2
  done < <(cgroup_roots)
}

down() {
  stop_pid_file "${state}/pids/kubelet"
  stop_pid_file "${state}/pids/node-ns"
  kill_cgroups
  for p in containerd kube-scheduler kube-controller-manager kube-apiserver etcd; do
    stop_pid_file "${state}/pids/${p}"
  done
  if ip link show "${bridge}" >/dev/null 2>&1; then
    ip link del "${bridge}"
  fi
  if [[ -d "${state}" ]]; then
    if [[ -d "${state}/logs" ]]; then
      rm -rf "${state}.logs"
      mv "${state}/logs" "${state}.logs"
    fi
    # Nothing is mounted here on the host: the node's mounts lived in its own namespace.
    rm -rf "${state}"
  fi
}

free_port() {
  local port
  for _ in $(seq 50); do
    port="$((20000 + RANDOM % 20000))"
    if ! ss -Htln "sport = :${port}" | grep -q .; then
      echo "${port}"
      return
    fi
  done
  die "no free port found"
}

# cert NAME SUBJECT [SANS]: a key and a certificate signed by the node's CA.
cert() {
  local name="$1" subject="$2" sans="${3:-}" ext="${state}/pki/$1.ext"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [[ -z "${sans}" ]] || echo "subjectAltName=${sans}"
  } >"${ext}"
  openssl req -new -newkey rsa:2048 -nodes \
    -keyout "${state}/pki/${name}.key" -subj "${subject}" -out "${state}/pki/${name}.csr" 2>/dev/null
  openssl x509 -req -in "${state}/pki/${name}.csr" -CA "${state}/pki/ca.crt" \
    -CAkey "${state}/pki/ca.key" -CAcreateserial -days 7 -extfile "${ext}" \
    -out "${state}/pki/${name}.crt" 2>/dev/null
}

kubeconfig() {
  local name="$1" server="$2"
  cat >"${state}/${name}.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: atomizer-e2e
  cluster:
    server: ${server}
    certificate-authority: ${state}/pki/ca.crt
users:
- name: ${name}
  user:
    client-certificate: ${state}/pki/${name}.crt
    client-key: ${state}/pki/${name}.key
contexts:
- name: atomizer-e2e
  context: {cluster: atomizer-e2e, user: ${name}, namespace: default}
current-context: atomizer-e2e
EOF
}

# start NAME COMMAND...: runs COMMAND in a session of its own, logs to logs/NAME.log.
start() {
  local name="$1"
  shift
  setsid "$@" </dev/null >"${state}/logs/${name}.log" 2>&1 &
  echo "$!" >"${state}/pids/${name}"
}

wait_for() {
  local what="$1" seconds="$2"
  shift 2
  for _ in $(seq "$((seconds * 10))"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "${what} not ready after ${seconds}s (logs: ${state}/logs)"
}

# shellcheck source=e2e/lib/node-configs.sh
source "${script_dir}/lib/node-configs.sh"

make_pki() {
  mkdir -p "${state}/pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 \
    -subj "/CN=atomizer-e2e-ca" -keyout "${state}/pki/ca.key" -out "${state}/pki/ca.crt" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" \
    "IP:${bridge_ip},IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  cert admin "/O=system:masters/CN=atomizer-e2e-admin"
  cert node "/O=system:nodes/CN=system:node:${node_name}"
  cert kubelet "/CN=${node_name}" "IP:${bridge_ip},DNS:${node_name}"
  cert apiserver-kubelet "/O=system:masters/CN=kube-apiserver-kubelet-client"
  openssl genrsa -out "${state}/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "${state}/pki/sa.key" -pubout -out "${state}/pki/sa.pub" 2>/dev/null
}

make_cgroups() {
  local root
  while read -r root; do
    mkdir -p "${root}/${cg_parent}/system"
    if [[ -f "${root}/cpuset.cpus" ]]; then
      for d in "${root}/${cg_parent}" "${root}/${cg_parent}/system"; do
        cat "${root}/cpuset.cpus" >"${d}/cpuset.cpus"
        cat "${root}/cpuset.mems" >"${d}/cpuset.mems"
      done
    fi
  done < <(cgroup_roots)
}

# node_ns: runs inside `unshare -m`: private mounts, then containerd and the kubelet.
node_ns() {
  local root
  while read -r root; do
    echo "$$" >"${root}/${cg_parent}/system/cgroup.procs"
  done < <(cgroup_roots)
  mount --make-rprivate /
  mount -t tmpfs -o mode=0755 tmpfs /run
  mount -t tmpfs -o mode=0755 tmpfs /var/lib
  mount -t tmpfs -o mode=0755 tmpfs /var/log
  mount --bind "${state}/sysctl/kernel.panic" /proc/sys/kernel/panic
  mount --bind "${state}/sysctl/kernel.panic_on_oops" /proc/sys/kernel/panic_on_oops
  mount --bind "${state}/sysctl/vm.overcommit_memory" /proc/sys/vm/overcommit_memory
  export PATH="${node_dir}/bin:${PATH}"
  "${node_dir}/bin/containerd" --config "${state}/containerd.toml" >"${state}/logs/containerd.log" 2>&1 &
  echo "$!" >"${state}/pids/containerd"
  wait_for containerd 30 "${node_dir}/bin/ctr" --address "${state}/containerd.sock" version
  "${node_dir}/bin/ctr" --address "${state}/containerd.sock" -n k8s.io images import \
    --all-platforms "${node_dir}/images/pause.tar" >>"${state}/logs/import.log" 2>&1
  "${node_dir}/bin/kubelet" --config "${state}/kubelet.yaml" \
    --kubeconfig "${state}/node.kubeconfig" --hostname-override "${node_name}" \
    --node-ip "${bridge_ip}" --root-dir "${state}/kubelet" \
    >"${state}/logs/kubelet.log" 2>&1 &
  echo "$!" >"${state}/pids/kubelet"
  wait
}

up() {
  [[ "$(id -u)" == 0 ]] || die "needs root (mounts, namespaces, cgroups, a bridge)"
  for b in etcd kube-apiserver kube-controller-manager kubectl; do
    [[ -x "${kube_bin}/${b}" ]] || die "${kube_bin}/${b} is missing: run e2e/build-controlplane.sh"
  done
  for b in kubelet kube-scheduler containerd containerd-shim-runc-v2 ctr runc; do
    [[ -x "${node_dir}/bin/${b}" ]] || die "${node_dir}/bin/${b} is missing: run e2e/build-node.sh"
  done
  for tool in openssl unshare ip ss setsid; do
    command -v "${tool}" >/dev/null || die "${tool} is missing"
  done
  down
  local started="${SECONDS}"
  mkdir -p "${state}/logs" "${state}/pids"
  make_pki
  write_configs

  ip link add "${bridge}" type bridge
  ip addr add "${bridge_ip}/24" dev "${bridge}"
  ip link set "${bridge}" up

  local etcd_port peer_port api_port
  etcd_port="$(free_port)"
  peer_port="$(free_port)"
  api_port="$(free_port)"
  start etcd "${kube_bin}/etcd" --data-dir "${state}/etcd" --name atomizer-e2e \
    --listen-client-urls "http://127.0.0.1:${etcd_port}" \
    --advertise-client-urls "http://127.0.0.1:${etcd_port}" \
    --listen-peer-urls "http://127.0.0.1:${peer_port}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${peer_port}" \
    --initial-cluster "atomizer-e2e=http://127.0.0.1:${peer_port}" \
    --unsafe-no-fsync
  local audit=()
  if [[ -n "${AUDIT_POLICY:-}" && -n "${AUDIT_LOG:-}" ]]; then
    audit=(--audit-policy-file "${AUDIT_POLICY}" --audit-log-path "${AUDIT_LOG}")
  fi
  start kube-apiserver "${kube_bin}/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:${etcd_port}" \
    --bind-address "${bridge_ip}" --advertise-address "${bridge_ip}" --secure-port "${api_port}" \
    --tls-cert-file "${state}/pki/apiserver.crt" --tls-private-key-file "${state}/pki/apiserver.key" \
    --client-ca-file "${state}/pki/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "${state}/pki/sa.pub" \
    --service-account-signing-key-file "${state}/pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/24 \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --kubelet-client-certificate "${state}/pki/apiserver-kubelet.crt" \
    --kubelet-client-key "${state}/pki/apiserver-kubelet.key" \
    --kubelet-preferred-address-types InternalIP \
    --cert-dir "${state}/pki/apiserver-generated" "${audit[@]}"
  local server="https://${bridge_ip}:${api_port}"
  kubeconfig admin "${server}"
  kubeconfig node "${server}"
  local kubectl=("${kube_bin}/kubectl" --kubeconfig "${state}/admin.kubeconfig")
  wait_for kube-apiserver 90 "${kubectl[@]}" get --raw /readyz

  start kube-controller-manager "${kube_bin}/kube-controller-manager" \
    --kubeconfig "${state}/admin.kubeconfig" --leader-elect=false --secure-port=0 \
    --use-service-account-credentials=false \
    --service-account-private-key-file "${state}/pki/sa.key" \
    --root-ca-file "${state}/pki/ca.crt" \
    --controllers "garbage-collector-controller,persistentvolume-binder-controller,persistentvolumeclaim-protection-controller,persistentvolume-protection-controller,namespace-controller,serviceaccount-controller,root-ca-certificate-publisher-controller,deployment-controller,replicaset-controller,node-lifecycle-controller" \
    --concurrent-gc-syncs=5
  start kube-scheduler "${node_dir}/bin/kube-scheduler" \
    --kubeconfig "${state}/admin.kubeconfig" --leader-elect=false --secure-port=0

  make_cgroups
  start node-ns env ATOMIZER_NODE_STATE="${state}" ATOMIZER_NODE_DIR="${node_dir}" \
    KUBE_BIN_DIR="${kube_bin}" unshare -m --propagation private -- bash "${BASH_SOURCE[0]}" node-ns
  wait_for "node ${node_name}" 120 "${kubectl[@]}" wait --for=condition=Ready "node/${node_name}" --timeout=1s
  echo "KUBECONFIG=${state}/admin.kubeconfig"
  echo "SERVER=${server}"
  echo "BRIDGE_IP=${bridge_ip}"
  echo "API_PORT=${api_port}"
  echo "NODE=${node_name}"
  echo "STATE=${state}"
  echo "CTR_ADDRESS=${state}/containerd.sock"
  echo "SECONDS_TO_READY=$((SECONDS - started))"
}

import() {
  local f
  for f in "$@"; do
    "${node_dir}/bin/ctr" --address "${state}/containerd.sock" -n k8s.io images import \
      --all-platforms "${f}"
  done
}

tag() {
  "${node_dir}/bin/ctr" --address "${state}/containerd.sock" -n k8s.io images tag --force "$1" "$2"
}

untag() {
  "${node_dir}/bin/ctr" --address "${state}/containerd.sock" -n k8s.io images rm "$@"
}

node_dir="${ATOMIZER_NODE_DIR:-$(bash "${script_dir}/build-node.sh" --print-dir)}"
kube_bin="${KUBE_BIN_DIR:-$(bash "${script_dir}/build-controlplane.sh" --print-dir)}"
case "${1:-}" in
  up) up ;;
  down) down ;;
  node-ns) node_ns ;;
  import)
    shift
    import "$@"
    ;;
  tag)
    (($# == 3)) || die "usage: tag SOURCE TARGET"
    tag "$2" "$3"
    ;;
  untag)
    shift
    untag "$@"
    ;;
  *)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 2
    ;;
esac
