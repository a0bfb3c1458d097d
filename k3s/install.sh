#!/usr/bin/env bash
# install.sh: installs k3s on the team's laptop (ThinkPad T420: 4 threads, 8-16 GB RAM, one disk)
# for the Atomizer agents: eight single-token OpenClaw pods plus the operator.
#
# It writes /etc/rancher/k3s/config.yaml (every setting explained below), then runs the official
# k3s installer (https://get.k3s.io), which reads that file. The settings stay in the file, so
# re-running the installer or upgrading k3s keeps them. Run it as your user (it uses sudo).
#
# Usage: k3s/install.sh [--dry-run] [--with-metrics-server] [--with-network-policy]
#   --dry-run              print the config file and the install command; change nothing
#   --with-metrics-server  keep metrics-server (for `kubectl top`; costs about 50 MB of RAM)
#   --with-network-policy  keep k3s's NetworkPolicy controller (needed only if you add policies)
# Environment: INSTALL_K3S_VERSION or INSTALL_K3S_CHANNEL pick the k3s version (the installer's
# own variables, passed through); default: the stable channel.
set -euo pipefail

dry_run=0 metrics_server=0 network_policy=0
for arg in "$@"; do
  case "${arg}" in
    --dry-run) dry_run=1 ;;
    --with-metrics-server) metrics_server=1 ;;
    --with-network-policy) network_policy=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument: ${arg} (see --help)" >&2; exit 2 ;;
  esac
done

config=/etc/rancher/k3s/config.yaml

# Reservations scale with the laptop's memory: 8 GB leaves the agents about 6 GB, 16 GB about 13 GB.
mem_kib="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
if ((mem_kib < 12 * 1024 * 1024)); then
  system_mem=1Gi kube_mem=768Mi
else
  system_mem=1536Mi kube_mem=1Gi
fi

disabled="traefik, servicelb"
((metrics_server)) || disabled+=", metrics-server"

render_config() {
  cat <<EOF
# Written by atomizer-operator's k3s/install.sh; k3s reads it at every start.
# A single server with the default SQLite datastore (no --cluster-init): embedded etcd would cost
# a few hundred MB of RAM and constant disk writes for a cluster of one laptop.

# Let your user read the kubeconfig (/etc/rancher/k3s/k3s.yaml) so kubectl and helm work without
# sudo. It is an admin credential: this is a single-user laptop.
write-kubeconfig-mode: "0644"

# Packaged components the agents do not need:
#   traefik         ingress controller; the agents only make outbound Discord and LLM calls.
#   servicelb       LoadBalancer services (klipper); nothing here is exposed outside the laptop.
#   metrics-server  only serves 'kubectl top'; the operator exports its own Prometheus metrics.
# Kept: coredns (the pods resolve discord.com through it) and local-storage, the
# local-path-provisioner that creates the agents' state volumes under /var/lib/rancher/k3s/storage.
disable: [${disabled}]

# No cloud here: the embedded cloud controller only labels the node and runs servicelb.
disable-cloud-controller: true
EOF
  if ((!network_policy)); then
    cat <<EOF

# The embedded kube-router NetworkPolicy controller resyncs iptables on every pod change; nothing
# here defines a NetworkPolicy. Re-run with --with-network-policy before you add one.
disable-network-policy: true
EOF
  fi
  cat <<EOF

# Encrypt Secrets at rest in the datastore: they hold the agents' Discord tokens.
secrets-encryption: true

kubelet-arg:
  # Keep CPU and memory for the OS and desktop (system) and for the k3s process itself, which runs
  # the API server, controllers, kubelet and containerd (kube). The scheduler then never packs
  # more agent requests onto the laptop than it can hold; 4 threads leave 3 CPUs for pods.
  - "system-reserved=cpu=500m,memory=${system_mem},ephemeral-storage=1Gi"
  - "kube-reserved=cpu=500m,memory=${kube_mem},ephemeral-storage=1Gi"
  # Evict pods before the kernel's OOM killer picks a process at random: hard limits act at once,
  # the soft one first gives a pod 60 s to shut down cleanly (the operator re-creates agents, and
  # their state is on volumes, so an eviction loses no memory).
  - "eviction-hard=memory.available<300Mi,nodefs.available<10%,imagefs.available<10%,nodefs.inodesFree<5%"
  - "eviction-soft=memory.available<600Mi,nodefs.available<15%"
  - "eviction-soft-grace-period=memory.available=1m30s,nodefs.available=2m"
  - "eviction-max-pod-grace-period=60"
  # Remove unused images earlier than the defaults (85%/80%): OpenClaw images are large and a
  # laptop disk fills fast. Images imported from /var/lib/rancher/k3s/agent/images (see
  # build-image.sh) are pinned and never collected.
  - "image-gc-high-threshold=75"
  - "image-gc-low-threshold=60"
  # Cap each container's log at 3 files of 10 MiB: agents that loop on an error write a lot.
  - "container-log-max-size=10Mi"
  - "container-log-max-files=3"
EOF
}

sudo=()
((EUID == 0)) || sudo=(sudo)
installer_env=()
[[ -z "${INSTALL_K3S_VERSION:-}" ]] || installer_env+=("INSTALL_K3S_VERSION=${INSTALL_K3S_VERSION}")
[[ -z "${INSTALL_K3S_CHANNEL:-}" ]] || installer_env+=("INSTALL_K3S_CHANNEL=${INSTALL_K3S_CHANNEL}")

if ((dry_run)); then
  echo "# ${config}"
  render_config
  echo "+ curl -sfL https://get.k3s.io | ${sudo[*]} env ${installer_env[*]} sh -s - server"
  echo "+ kubectl wait --for=condition=Ready node --all --timeout=180s"
  exit 0
fi

if [[ "$(uname -s)" != Linux ]] || ! command -v systemctl >/dev/null 2>&1; then
  echo "install.sh: k3s needs Linux with systemd" >&2
  exit 1
fi
command -v curl >/dev/null 2>&1 || { echo "install.sh: curl is missing (sudo apt-get install -y curl)" >&2; exit 1; }
threads="$(nproc)"
((threads >= 4)) || echo "install.sh: warning: ${threads} CPU thread(s); eight agents want at least 4" >&2

new="$(mktemp)"
trap 'rm -f "${new}"' EXIT
render_config >"${new}"
if [[ -f "${config}" ]] && ! "${sudo[@]}" cmp -s "${new}" "${config}"; then
  backup="${config}.$(date +%Y%m%d%H%M%S).bak"
  echo "install.sh: keeping your previous ${config} as ${backup}"
  "${sudo[@]}" cp -p "${config}" "${backup}"
fi
"${sudo[@]}" mkdir -p "$(dirname "${config}")"
"${sudo[@]}" install -m 0600 "${new}" "${config}"

# The official installer: downloads the k3s binary, installs the systemd unit k3s.service and the
# kubectl, crictl and ctr links, and starts k3s with the config above. Re-running it upgrades k3s
# (to INSTALL_K3S_VERSION or the channel's latest) and keeps the config.
curl -sfL https://get.k3s.io | "${sudo[@]}" env "${installer_env[@]}" sh -s - server

export KUBECONFIG=/etc/rancher/k3s/k3s.yaml
kubectl wait --for=condition=Ready node --all --timeout=180s
cat <<EOF

k3s is running. In your shell:  export KUBECONFIG=/etc/rancher/k3s/k3s.yaml
Next: k3s/build-image.sh (the operator's image), then see k3s/README.md.
EOF
