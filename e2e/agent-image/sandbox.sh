#!/usr/bin/env bash
# sandbox.sh: runs one container the way a kubelet would, without a container runtime, for the
# conformance tier where no real node is available: the image's root filesystem read-only (an
# overlay whose upper layer is thrown away, remounted read-only), the pod's volumes bind-mounted at
# their mount paths, a private /proc (own PID namespace: the entrypoint is PID 1), a minimal /dev,
# the container's user and group (capabilities gone with the switch from root), and only the
# given environment. The network is the host's (the caller picks the ports), so a fake Discord on
# 127.0.0.1 is reachable the way OpenClaw wants it (plain HTTP only on loopback).
#
# Usage (as root): e2e/agent-image/sandbox.sh --rootfs DIR [--read-only] [--user UID:GID]
#          [--bind SRC:DST[:ro]]... [--workdir DIR] [--env K=V]... -- COMMAND [ARG...]
# Needs util-linux (unshare with --root/--setuid, mount) and overlayfs.
set -euo pipefail

die() { echo "sandbox.sh: $*" >&2; exit 1; }
rootfs="" read_only=0 user="0:0" workdir="/" binds=() envs=() inner=0
while (($#)); do
  case "$1" in
    --rootfs) rootfs="${2:?}"; shift ;;
    --read-only) read_only=1 ;;
    --user) user="${2:?}"; shift ;;
    --bind) binds+=("${2:?}"); shift ;;
    --workdir) workdir="${2:?}"; shift ;;
    --env) envs+=("${2:?}"); shift ;;
    --inner) inner=1 ;;
    --) shift; break ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done
(($#)) || die "no command given"
[[ -d "${rootfs}" ]] || die "--rootfs must be a folder"
[[ "${user}" =~ ^[0-9]+:[0-9]+$ ]] || die "--user must be UID:GID"
((EUID == 0)) || die "must run as root (it mounts)"

if ((!inner)); then
  args=(--rootfs "${rootfs}" --user "${user}" --workdir "${workdir}" --inner)
  ((read_only)) && args+=(--read-only)
  for b in "${binds[@]}"; do args+=(--bind "${b}"); done
  for e in "${envs[@]}"; do args+=(--env "${e}"); done
  exec unshare --mount --pid --fork --propagation private --kill-child=SIGKILL -- \
    "${BASH_SOURCE[0]}" "${args[@]}" -- "$@"
fi

# Inside the new mount and PID namespaces; everything mounted here vanishes with them.
scratch="$(mktemp -d /tmp/sandbox.XXXXXX)"
mount -t tmpfs -o mode=0755 sandbox "${scratch}"
mkdir -p "${scratch}/upper" "${scratch}/work" "${scratch}/root"
root="${scratch}/root"
mount -t overlay overlay -o "lowerdir=${rootfs},upperdir=${scratch}/upper,workdir=${scratch}/work" "${root}"
for b in "${binds[@]}"; do
  IFS=: read -r src dst mode <<<"${b}"
  [[ -e "${src}" ]] || die "--bind ${b}: no ${src}"
  if [[ -d "${src}" ]]; then mkdir -p "${root}${dst}"; else mkdir -p "$(dirname "${root}${dst}")"; touch "${root}${dst}"; fi
  mount --bind "${src}" "${root}${dst}"
  [[ "${mode:-}" != ro ]] || mount -o remount,bind,ro "${root}${dst}"
done
mkdir -p "${root}/proc" "${root}/dev"
mount -t proc -o nosuid,nodev,noexec proc "${root}/proc"
mount -t tmpfs -o nosuid,mode=0755 dev "${root}/dev"
for node in null zero full random urandom tty; do
  touch "${root}/dev/${node}"
  mount --bind "/dev/${node}" "${root}/dev/${node}"
done
mkdir -p "${root}/dev/shm" && mount -t tmpfs -o nosuid,nodev,mode=1777 shm "${root}/dev/shm"
ln -s /proc/self/fd "${root}/dev/fd"
((!read_only)) || mount -o remount,ro "${root}"

exec env -i "${envs[@]}" unshare --root="${root}" --wd="${workdir}" \
  --setuid "${user%%:*}" --setgid "${user#*:}" -- "$@"
