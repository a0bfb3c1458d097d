# shellcheck shell=bash
# node-configs.sh: the configuration files e2e/real-node.sh writes into its state folder before it
# starts containerd and the kubelet (CNI, registry hosts, containerd, kubelet, the sysctl files
# bind-mounted over /proc/sys). Sourced by real-node.sh, whose settings it reads; not run on its own.
# shellcheck disable=SC2154

write_configs() {
  mkdir -p "${state}/cni/net.d" "${state}/cni/ipam" "${state}/certs.d/_default" \
    "${state}/sysctl" "${state}/containerd" "${state}/kubelet" "${state}/volumes"
  cat >"${state}/cni/net.d/10-atomizer.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "atomizer-e2e",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "${bridge}",
      "isGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "${state}/cni/ipam",
        "ranges": [[{"subnet": "${pod_cidr}", "rangeStart": "10.244.0.10"}]]
      }
    }
  ]
}
EOF
  # Every registry goes to a closed port: an image that was not imported cannot be pulled.
  cat >"${state}/certs.d/_default/hosts.toml" <<EOF
server = "http://127.0.0.1:9"
[host."http://127.0.0.1:9"]
  capabilities = ["pull", "resolve"]
EOF
  cat >"${state}/containerd.toml" <<EOF
version = 4
root = "${state}/containerd/root"
state = "/run/containerd"

[plugins."io.containerd.server.v1.grpc"]
  address = "${state}/containerd.sock"

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "atomizer.io/e2e/pause:1"
  [plugins."io.containerd.cri.v1.images".registry]
    config_path = "${state}/certs.d"

[plugins."io.containerd.cri.v1.runtime"]
  restrict_oom_score_adj = true
  enable_unprivileged_ports = false
  enable_unprivileged_icmp = false
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["${node_dir}/cni"]
    conf_dir = "${state}/cni/net.d"
    use_internal_loopback = true
  [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
    BinaryName = "${node_dir}/bin/runc"
    SystemdCgroup = false

[plugins."io.containerd.grpc.v1.cri"]
  stream_server_address = "127.0.0.1"
EOF
  cat >"${state}/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
failSwapOn: false
cgroupDriver: cgroupfs
cgroupRoot: /${cg_parent}
cgroupsPerQOS: true
protectKernelDefaults: true
syncFrequency: 10s
resolvConf: ""
containerRuntimeEndpoint: unix://${state}/containerd.sock
podLogsDir: ${state}/pod-logs
address: ${bridge_ip}
port: 10250
readOnlyPort: 0
healthzPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: ${state}/pki/ca.crt}
authorization: {mode: AlwaysAllow}
tlsCertFile: ${state}/pki/kubelet.crt
tlsPrivateKeyFile: ${state}/pki/kubelet.key
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
hairpinMode: none
maxPods: 110
EOF
  # The values the kubelet's protectKernelDefaults expects, for this namespace only.
  echo 10 >"${state}/sysctl/kernel.panic"
  echo 1 >"${state}/sysctl/kernel.panic_on_oops"
  echo 1 >"${state}/sysctl/vm.overcommit_memory"
}
