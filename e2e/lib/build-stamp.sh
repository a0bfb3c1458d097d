# shellcheck shell=bash
# build-stamp.sh: what e2e/build-controlplane.sh, e2e/build-node.sh and
# e2e/build-health-judge.sh share, sourced by them: their options, the refusal
# to install inside the repository, the need for Go, and the stamp check that
# skips a build whose inputs did not change. Not run on its own.

build_stamp_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# build_stamp_options SCRIPT PRINT_FLAG ARGS...: reads --force, --optional,
# PRINT_FLAG (--print-dir or --print-path) and -h/--help (prints SCRIPT's
# header comment). Sets force (also from FORCE_BUILD=1), optional, print_only.
build_stamp_options() {
  local script="$1" print_flag="$2" arg
  shift 2
  force="${FORCE_BUILD:-0}"
  optional=0
  print_only=0
  # shellcheck disable=SC2034 # print_only is read by the script that sources this file
  for arg in "$@"; do
    case "${arg}" in
      --force) force=1 ;;
      --optional) optional=1 ;;
      "${print_flag}") print_only=1 ;;
      -h | --help)
        sed -n '2,/^set -euo/p' "${script}" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
      *)
        echo "$(basename "${script}"): unknown argument: ${arg}" >&2
        exit 2
        ;;
    esac
  done
}

# build_stamp_outside_repo NAME DIR: exits 1 when DIR is inside the repository
# (build outputs and caches never go into the work tree).
build_stamp_outside_repo() {
  case "$2" in
    "${build_stamp_repo}" | "${build_stamp_repo}"/*)
      echo "$1: refusing to install inside the repository ($2)" >&2
      exit 1
      ;;
    *) ;;
  esac
}

# build_stamp_require_go NAME WHAT CONSEQUENCE: returns when go is on PATH;
# otherwise says so and exits: 0 with --optional (after one loud line saying
# CONSEQUENCE), else 1.
build_stamp_require_go() {
  command -v go >/dev/null 2>&1 && return 0
  echo "$1: 'go' not found on PATH; install Go >= 1.26 to build $2" >&2
  if [[ "${optional}" == 1 ]]; then
    echo "!!!!! $3" >&2
    exit 0
  fi
  exit 1
}

# build_stamp_current STAMP_FILE STAMP PATH...: true when the build is not
# forced, STAMP_FILE holds STAMP and every PATH exists.
build_stamp_current() {
  local file="$1" stamp="$2" path
  shift 2
  [[ "${force}" != 1 && -f "${file}" && "$(<"${file}")" == "${stamp}" ]] || return 1
  for path in "$@"; do
    [[ -e "${path}" ]] || return 1
  done
}
