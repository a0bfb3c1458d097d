#!/usr/bin/env bash
# build-base-image.sh: builds the operator image's base without Docker and without pulling any
# image: a docker-archive tarball (the format of `docker save`, which Jib reads as
# <from><image>tar://...</image></from>) of one layer holding
#   /opt/java               a JRE made with jlink from the newest local JDK (25 where it is there,
#                           else 17), only the modules the operator needs, without the desktop
#                           native libraries it never loads
#   /lib, /usr/lib, /lib64  glibc, libstdc++, libgcc and zlib: exactly the shared libraries that
#                           JRE links to, taken from the Debian packages (apt-get download, then
#                           dpkg-deb -x), with their copyright files
#   /usr/lib/locale/C.utf8  the C.UTF-8 locale (libc-bin), so Java reads and writes UTF-8
#   /etc/ssl/certs          CA certificates from the ca-certificates package; Java's truststore
#                           (/opt/java/lib/security/cacerts) is made from the same certificates
#   /etc/passwd, /etc/group root and nonroot (65532, home /home/nonroot), /etc/nsswitch.conf, /tmp
# Image config: user 65532, PATH with /opt/java/bin, JAVA_HOME, LANG=C.UTF-8. No shell, no
# package manager.
#
# The result is cached outside the repository and rebuilt only when this script, the JDK or the
# module list change (or with --rebuild); it prints the tarball's path and which runtime it holds.
# Without apt-get (or when Debian's archive cannot be reached) the libraries come from this
# machine's own files instead, with a note. Needs: a JDK 17+ with jlink and jmods (Debian:
# openjdk-17-jdk-headless openjdk-17-jmods), or a JDK 24+ whose jlink links from its own run-time
# image without jmods (JEP 493, as Temurin 25 does); readelf (binutils), tar, sha256sum.
#
# Which JDK: ATOMIZER_RUNTIME_JDK when set; else the newest of /usr/lib/jvm/*, JAVA_HOME and the JDK
# of javac on the PATH that jlink can make the runtime from. The operator is compiled for Java 17
# either way; on 24+ the image's JVM options (written by the AOT training, pom.xml profile image)
# add compact object headers and an AOT cache.
#
# Usage: k3s/build-base-image.sh [--rebuild] [--output FILE]
#   --output FILE  where to write the tarball (default: $ATOMIZER_BASE_IMAGE, else
#                  ${XDG_CACHE_HOME:-~/.cache}/atomizer/base-image.tar)
# Environment: ATOMIZER_RUNTIME_JDK picks the JDK; ATOMIZER_JRE_MODULES replaces the module list.
set -euo pipefail

# The modules the operator needs: `jdeps --multi-release 17 --ignore-missing-deps
# --print-module-deps target/atomizer-operator.jar` (java.desktop: JDA's entities use java.awt.Color;
# java.compiler: JOSDK's runtime config classes), plus jdk.crypto.ec (TLS with elliptic curves,
# which the API server and Discord use) and jdk.httpserver (the operator's /healthz and metrics).
# ContainerImageTest checks that this list still covers what jdeps finds.
MODULES="${ATOMIZER_JRE_MODULES:-java.base,java.compiler,java.desktop,java.naming,java.net.http,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported}"
PACKAGES=(libc6 libc-bin libgcc-s1 libstdc++6 zlib1g ca-certificates)
NONROOT=65532
ARCH_DIR=x86_64-linux-gnu

rebuild=0
output="${ATOMIZER_BASE_IMAGE:-${XDG_CACHE_HOME:-${HOME}/.cache}/atomizer/base-image.tar}"
while (($#)); do
  case "$1" in
    --rebuild) rebuild=1 ;;
    --output) output="${2:?--output needs a file}"; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-base-image.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
die() { echo "build-base-image.sh: $*" >&2; exit 1; }
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

[[ "$(uname -m)" == x86_64 ]] || die "only x86_64 (amd64) is supported, this is $(uname -m)"
# feature JDK: the JDK's feature release (17, 25), from its release file; 0 when it has none.
feature() {
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)"
  echo "${v:-0}"
}
# linkable JDK: jlink can make a runtime from it (its jmods, or on 24+ its own run-time image).
linkable() { [[ -x "$1/bin/jlink" ]] && { [[ -d "$1/jmods" ]] || (($(feature "$1") >= 24)); }; }
if [[ -n "${ATOMIZER_RUNTIME_JDK:-}" ]]; then
  candidates=("${ATOMIZER_RUNTIME_JDK}")
else
  candidates=()
  for home in /usr/lib/jvm/* "${JAVA_HOME:-}" \
    "$(dirname "$(dirname "$(readlink -f "$(command -v javac || echo /nonexistent)")")")"; do
    [[ -n "${home}" && ! -L "${home}" ]] && linkable "${home}" && (($(feature "${home}") >= 17)) &&
      candidates+=("$(feature "${home}") ${home}")
  done
  mapfile -t candidates < <(printf '%s\n' "${candidates[@]}" | sort -rn -k1,1 | cut -d' ' -f2-)
fi
jdk="${candidates[0]:-}"
[[ -n "${jdk}" && -x "${jdk}/bin/jlink" ]] || die "no JDK 17+ with jlink: install one (Debian: openjdk-17-jdk-headless openjdk-17-jmods) or set ATOMIZER_RUNTIME_JDK"
linkable "${jdk}" || die "no ${jdk}/jmods: jlink needs them (Debian: sudo apt-get install openjdk-17-jmods)"
java_version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "${jdk}/release")"
echo "build-base-image.sh: runtime: Java ${java_version} from ${jdk}" >&2
for tool in readelf tar sha256sum; do
  command -v "${tool}" >/dev/null 2>&1 || die "${tool} is missing (Debian: binutils, tar, coreutils)"
done

key="$(cat "${BASH_SOURCE[0]}" "${script_dir}/../e2e/lib/rootfs-image.sh" "${jdk}/release" <(echo "${MODULES}") | sha256sum | cut -c1-64)"
if ((!rebuild)) && [[ -f "${output}" && "$(cat "${output}.key" 2>/dev/null)" == "${key}" ]]; then
  echo "build-base-image.sh: up to date: ${output} (Java ${java_version})" >&2
  echo "${output}"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
root="${work}/rootfs" debs="${work}/debs" pkgs="${work}/pkgs"
mkdir -p "${root}" "${debs}" "${pkgs}"

echo "build-base-image.sh: jlink ${MODULES} from ${jdk}" >&2
# --compress=2 is deprecated from JDK 21 on; zip-6 is its equal there
compress=2
(($(feature "${jdk}") >= 21)) && compress=zip-6
"${jdk}/bin/jlink" --add-modules "${MODULES}" --strip-debug --no-man-pages --no-header-files \
  --compress="${compress}" --output "${root}/opt/java"

# Libraries: from Debian packages when apt can fetch them, otherwise from this machine.
from_debs=0
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 &&
  (cd "${debs}" && apt-get download "${PACKAGES[@]}" >/dev/null 2>&1); then
  for deb in "${debs}"/*.deb; do dpkg-deb -x "${deb}" "${pkgs}"; done
  from_debs=1
  echo "build-base-image.sh: libraries from $(cd "${debs}" && echo *.deb)" >&2
else
  echo "build-base-image.sh: note: apt-get download failed; taking the libraries from this machine" >&2
  pkgs=""
fi

# find_lib SONAME: the library's path (packages, else this machine), or nothing.
find_lib() {
  local dir
  for dir in "lib/${ARCH_DIR}" "usr/lib/${ARCH_DIR}" lib64 lib usr/lib; do
    if [[ -n "${pkgs}" ]]; then
      [[ -e "${pkgs}/${dir}/$1" ]] && { echo "${pkgs}/${dir}/$1"; return; }
    elif [[ -e "/${dir}/$1" ]]; then
      echo "/${dir}/$1"; return
    fi
  done
}
needed() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

# Drop the JRE's native libraries that link to anything beyond the packages above (X11, fonts,
# images, sound): the operator never loads them, and without them nothing in the image is broken.
# Repeated until nothing changes, as dropping one (libawt_xawt) can strand another (libjawt).
dropped=1
while ((dropped)); do
  dropped=0
  jre_libs=" $(cd "${root}/opt/java/lib" && find . -name '*.so' -printf '%f ') "
  while IFS= read -r -d '' so; do
    for dep in $(needed "${so}"); do
      if [[ "${jre_libs}" != *" ${dep} "* && -z "$(find_lib "${dep}")" ]]; then
        echo "build-base-image.sh: dropping $(basename "${so}") (needs ${dep})" >&2
        rm -f "${so}"
        dropped=1
        break
      fi
    done
  done < <(find "${root}/opt/java" -type f -name '*.so' -print0)
done

# Copy the closure of shared libraries the JRE's binaries and libraries need, keeping the paths
# and symlinks the dynamic loader looks up (no ld.so.cache: the loader searches these directories).
declare -A copied=()
queue=()
while IFS= read -r -d '' elf; do
  for dep in $(needed "${elf}"); do queue+=("${dep}"); done
done < <(find "${root}/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0)
queue+=(ld-linux-x86-64.so.2)
while ((${#queue[@]})); do
  soname="${queue[0]}" queue=("${queue[@]:1}")
  [[ -z "${copied[${soname}]:-}" && "${jre_libs}" != *" ${soname} "* ]] || continue
  src="$(find_lib "${soname}")"
  [[ -n "${src}" ]] || die "no ${soname} in ${PACKAGES[*]}"
  rel="${src#"${pkgs}"}" rel="/${rel#/}"
  mkdir -p "${root}$(dirname "${rel}")"
  real="$(readlink -f "${src}")"
  cp -L "${src}" "${root}${rel}"
  copied["${soname}"]=1
  for dep in $(needed "${real}"); do queue+=("${dep}"); done
done
# The ELF interpreter path in every binary is /lib64/ld-linux-x86-64.so.2.
if [[ ! -e "${root}/lib64/ld-linux-x86-64.so.2" ]]; then
  mkdir -p "${root}/lib64"
  ln -s "../lib/${ARCH_DIR}/ld-linux-x86-64.so.2" "${root}/lib64/ld-linux-x86-64.so.2"
fi

# The C.UTF-8 locale: without it Java 17 falls back to ASCII for file contents and names.
locale_src="${pkgs:-}/usr/lib/locale/C.utf8"
[[ -d "${locale_src}" ]] || die "no C.UTF-8 locale at ${locale_src} (Debian: libc-bin)"
mkdir -p "${root}/usr/lib/locale"
cp -r "${locale_src}" "${root}/usr/lib/locale/"

# CA certificates: the ca-certificates package's PEM files, as one bundle and as Java's truststore.
mkdir -p "${root}/etc/ssl/certs"
if ((from_debs)); then
  cat "${pkgs}"/usr/share/ca-certificates/mozilla/*.crt >"${root}/etc/ssl/certs/ca-certificates.crt"
  for pkg in "${PACKAGES[@]}"; do
    [[ -f "${pkgs}/usr/share/doc/${pkg}/copyright" ]] || continue
    mkdir -p "${root}/usr/share/doc/${pkg}"
    cp "${pkgs}/usr/share/doc/${pkg}/copyright" "${root}/usr/share/doc/${pkg}/"
  done
elif [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
  cp /etc/ssl/certs/ca-certificates.crt "${root}/etc/ssl/certs/"
fi
if [[ -s "${root}/etc/ssl/certs/ca-certificates.crt" ]]; then
  cat >"${work}/Truststore.java" <<'EOF'
import java.io.*;
import java.security.KeyStore;
import java.security.cert.*;
/** Writes every certificate of a PEM bundle into a PKCS12 truststore (password changeit). */
public class Truststore {
  public static void main(String[] args) throws Exception {
    var store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int n = 0;
    try (var in = new BufferedInputStream(new FileInputStream(args[0]))) {
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + (n++), cert);
      }
    }
    try (var out = new FileOutputStream(args[1])) {
      store.store(out, "changeit".toCharArray());
    }
    System.out.println(n);
  }
}
EOF
  count="$("${jdk}/bin/java" "${work}/Truststore.java" "${root}/etc/ssl/certs/ca-certificates.crt" "${root}/opt/java/lib/security/cacerts")"
  echo "build-base-image.sh: Java truststore with ${count} CA certificates" >&2
  ((count > 50)) || die "only ${count} CA certificates found"
fi

cat >"${root}/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"${root}/etc/group" <<EOF
root:x:0:
nonroot:x:${NONROOT}:
EOF
echo "hosts: files dns" >"${root}/etc/nsswitch.conf"
mkdir -p "${root}/tmp" "${root}/root" "${root}/home/nonroot"
chmod 1777 "${root}/tmp"
chmod 700 "${root}/root"

# One layer, reproducible, written by the same script that makes the e2e tier's images.
mkdir -p "$(dirname "${output}")"
"${script_dir}/../e2e/lib/rootfs-image.sh" --rootfs "${root}" --name atomizer-base:local \
  --out "${output}" --user "${NONROOT}:${NONROOT}" --workdir /home/nonroot \
  --env PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin --env JAVA_HOME=/opt/java --env LANG=C.UTF-8 \
  --chown "home/nonroot=${NONROOT}:${NONROOT}" \
  --created-by "k3s/build-base-image.sh: jlink ${MODULES} from Java ${java_version}" >/dev/null
echo "${key}" >"${output}.key"
echo "build-base-image.sh: wrote ${output} ($(du -h "${output}" | cut -f1), JRE $(du -sh "${root}/opt/java" | cut -f1), Java ${java_version})" >&2
echo "${output}"
