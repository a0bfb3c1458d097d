#!/usr/bin/env bash
# build-image.sh: builds the operator's container image without Docker and hands it to k3s.
#
#   1. mvn -Pimage package: compiles the operator, builds the base image (k3s/build-base-image.sh:
#      a jlinked JRE on Debian's glibc, cached in ~/.cache/atomizer), then Jib writes
#      target/jib-image.tar (image atomizer-operator:0.1.0, which the Helm chart's default values
#      image.repository=atomizer-operator, image.tag=0.1.0 name).
#   2. sudo k3s ctr images import target/jib-image.tar: k3s's containerd has the image at once, so
#      pods with imagePullPolicy IfNotPresent or Never start without any registry. A copy also goes
#      to /var/lib/rancher/k3s/agent/images/, which k3s imports at every start and protects from
#      image garbage collection.
#   3. With --deploy: installs k3s/helmchart.yaml, with the chart packed into it, as
#      /var/lib/rancher/k3s/server/manifests/atomizer-operator.yaml. k3s's helm controller then
#      installs the operator and keeps it installed (no helm CLI needed); re-run to upgrade.
#
# Usage: k3s/build-image.sh [--no-import] [--deploy] [--tests]
#   --no-import  only build target/jib-image.tar (no sudo, no k3s needed)
#   --deploy     also install or upgrade the operator through k3s's helm controller
#   --tests      run the test suite too (default: skipped, they take a while on a laptop)
# Needs: JDK 17 with jmods and Maven (Debian/Ubuntu: sudo apt-get install -y
# openjdk-17-jdk-headless maven), and for the import a running k3s (k3s/install.sh).
set -euo pipefail

import=1 deploy=0 skip_tests=(-DskipTests)
for arg in "$@"; do
  case "${arg}" in
    --no-import) import=0 ;;
    --deploy) deploy=1 ;;
    --tests) skip_tests=() ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image.sh: unknown argument: ${arg} (see --help)" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image_tar="${repo}/target/jib-image.tar"
command -v mvn >/dev/null 2>&1 || { echo "build-image.sh: Maven is missing (sudo apt-get install -y maven)" >&2; exit 1; }

# jib.disableUpdateChecks: Jib would otherwise look for a newer version of itself online.
(cd "${repo}" && mvn -B -q -Pimage "${skip_tests[@]}" -Djib.disableUpdateChecks=true package)
echo "build-image.sh: built ${image_tar} ($(du -h "${image_tar}" | cut -f1))"

sudo=()
((EUID == 0)) || sudo=(sudo)
if ((import)); then
  command -v k3s >/dev/null 2>&1 || { echo "build-image.sh: k3s is not installed (run k3s/install.sh, or use --no-import)" >&2; exit 1; }
  "${sudo[@]}" k3s ctr images import "${image_tar}"
  "${sudo[@]}" install -D -m 0644 "${image_tar}" /var/lib/rancher/k3s/agent/images/atomizer-operator.tar
  echo "build-image.sh: k3s has docker.io/library/atomizer-operator:0.1.0"
fi

if ((deploy)); then
  chart="${repo}/helm/atomizer-operator"
  [[ -f "${chart}/Chart.yaml" ]] || { echo "build-image.sh: no chart at ${chart}" >&2; exit 1; }
  # A chart archive is a gzipped tar of the chart directory: what `helm package` writes.
  manifest="$(mktemp)" content="$(mktemp)"
  trap 'rm -f "${manifest}" "${content}"' EXIT
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --exclude='*.tgz' \
    -C "${repo}/helm" -cf - atomizer-operator | gzip -9n | base64 -w0 >"${content}"
  awk -v file="${content}" '/^  chartContent: / { getline c < file; print "  chartContent: " c; next } { print }' \
    "${repo}/k3s/helmchart.yaml" >"${manifest}"
  "${sudo[@]}" install -D -m 0600 "${manifest}" /var/lib/rancher/k3s/server/manifests/atomizer-operator.yaml
  echo "build-image.sh: k3s now installs and keeps the operator (kubectl -n kube-system get helmchart atomizer-operator)"
fi
