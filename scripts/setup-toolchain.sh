#!/usr/bin/env bash
# Installs the Pulumi toolchain icc-bench needs into one folder,
# ${ICC_BENCH_HOME:-$HOME/.icc-bench}/bin (see toolchain-env.sh):
#
#   1. the Pulumi CLI, at @pulumi/pulumi's version from package.json;
#   2. the nodejs language host, pulumi-language-nodejs;
#   3. the docker and command resource plugins, at @pulumi/docker's and
#      @pulumi/command's versions from package.json.
#
# For the CLI and the language host, in this order: already installed at the
# exact version (a stamp file next to the binary says so) -> the official
# download from get.pulumi.com -> a build from the Go module proxy with the
# wrapper modules in tools/. For each plugin: the official plugin at that
# version -> `pulumi plugin install` -> our offline plugin (dist/providers/NAME).
# A second run finds everything in place and takes about a second.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/toolchain-env.sh
source "${REPO}/scripts/toolchain-env.sh"

BIN="${ICC_BENCH_HOME}/bin"
LOGS="${ICC_BENCH_HOME}/logs"
# How long to wait for get.pulumi.com / the plugin CDN before going offline.
PROBE_TIMEOUT="${ICC_BENCH_PROBE_TIMEOUT:-10}"
OFFLINE_MARKER="icc-bench-offline-plugin"

# Scratch space of this run; new_tmp_dir runs in $(...) subshells, so its folders live under
# one parent that the EXIT trap of this shell removes.
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/icc-bench-toolchain.XXXXXX")"
OFFICIAL_DIR=""   # extracted official tarball, once fetched in this run
OFFICIAL_FAILED=""

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

trap 'rm -rf -- "${WORK_DIR}"' EXIT

new_tmp_dir() {
  mktemp -d "${WORK_DIR}/XXXXXX"
}

# --- versions -----------------------------------------------------------------

# npm_dep_version PACKAGE: the exact version package.json pins for PACKAGE.
npm_dep_version() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const pkg = require(process.argv[1]);
    const v = (pkg.dependencies || {})[process.argv[2]];
    if (!/^\d+\.\d+\.\d+$/.test(v || "")) { console.error(`no exact version for ${process.argv[2]}: ${v}`); process.exit(1); }
    console.log(v);' "${REPO}/package.json" "$1"
}

# go_mod_version DIR MODULE: the version DIR/go.mod requires for MODULE.
go_mod_version() {
  awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1/go.mod"
}

# --- helpers ------------------------------------------------------------------

find_go() {
  if command -v go >/dev/null 2>&1; then
    command -v go
  elif [ -x /usr/local/go/bin/go ]; then
    printf '%s\n' /usr/local/go/bin/go
  else
    return 1
  fi
}

# stamp_ok NAME EXPECTED...: BIN/NAME exists and its stamp holds one of EXPECTED.
stamp_ok() {
  local name="$1"; shift
  local stamp="${BIN}/.${name}.stamp" want
  [ -x "${BIN}/${name}" ] && [ -f "${stamp}" ] || return 1
  for want in "$@"; do
    [ "$(cat "${stamp}")" = "${want}" ] && return 0
  done
  return 1
}

write_stamp() { printf '%s\n' "$2" >"${BIN}/.$1.stamp"; }

# fetch_official: download and unpack the official CLI tarball once per run.
# The tarball holds the CLI and the language hosts side by side.
fetch_official() {
  [ -n "${OFFICIAL_DIR}" ] && return 0
  [ -n "${OFFICIAL_FAILED}" ] && return 1
  local arch url dir
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) OFFICIAL_FAILED=1; return 1 ;;
  esac
  url="https://get.pulumi.com/releases/sdk/pulumi-v${PULUMI_VERSION}-linux-${arch}.tar.gz"
  say "trying the official download ${url}"
  dir="$(new_tmp_dir)"
  # Probe quickly first: where get.pulumi.com is unreachable this fails at once.
  if ! curl -fsSLI --max-time "${PROBE_TIMEOUT}" -o /dev/null "${url}" 2>/dev/null ||
    ! curl -fsSL --max-time 900 -o "${dir}/pulumi.tar.gz" "${url}" ||
    ! tar -C "${dir}" -xzf "${dir}/pulumi.tar.gz"; then
    say "official download not reachable; building from the Go module proxy instead"
    OFFICIAL_FAILED=1
    return 1
  fi
  OFFICIAL_DIR="${dir}/pulumi"
}

install_official() {  # install_official NAME STAMP
  fetch_official || return 1
  [ -x "${OFFICIAL_DIR}/$1" ] || return 1
  install -m 0755 "${OFFICIAL_DIR}/$1" "${BIN}/$1"
  write_stamp "$1" "$2"
}

# go_build LABEL MODULE_DIR PACKAGE OUT LDFLAGS MINUTES: build PACKAGE from the
# wrapper module, printing a progress line every 30 s.
go_build() {
  local label="$1" dir="$2" package="$3" out="$4" ldflags="$5" minutes="$6"
  local go log pid start
  go="$(find_go)" || die "no Go toolchain found (need Go >= 1.26, e.g. /usr/local/go/bin/go) to build ${label}"
  log="${LOGS}/build-$(basename "${out}").log"
  say "building ${label} from the Go module proxy ($("${go}" version | awk '{print $3}'), about ${minutes} on 2 cores; log ${log})"
  start="${SECONDS}"
  (cd "${dir}" && exec "${go}" build -tags osusergo,grpcnotrace -ldflags "${ldflags}" -o "${out}.partial" "${package}") \
    >"${log}" 2>&1 &
  pid=$!
  while kill -0 "${pid}" 2>/dev/null; do
    sleep 2
    if kill -0 "${pid}" 2>/dev/null && (((SECONDS - start) % 30 < 2)) && ((SECONDS - start >= 30)); then
      say "  still building ${label}: $((SECONDS - start)) s"
    fi
  done
  if ! wait "${pid}"; then
    tail -n 30 "${log}" >&2
    rm -f "${out}.partial"
    die "building ${label} failed (see ${log})"
  fi
  mv -f "${out}.partial" "${out}"
  say "built ${label} in $((SECONDS - start)) s: ${out}"
}

# --- 1. Pulumi CLI ------------------------------------------------------------

setup_cli() {
  local mod="${REPO}/tools/pulumi" pinned sdk_pinned found
  pinned="$(go_mod_version "${mod}" github.com/pulumi/pulumi/pkg/v3)"
  sdk_pinned="$(go_mod_version "${mod}" github.com/pulumi/pulumi/sdk/v3)"
  if [ "${pinned}" != "v${PULUMI_VERSION}" ] || [ "${sdk_pinned}" != "v${PULUMI_VERSION}" ]; then
    die "tools/pulumi/go.mod pins pkg ${pinned} and sdk ${sdk_pinned} but package.json has @pulumi/pulumi ${PULUMI_VERSION}; update it: (cd tools/pulumi && go get github.com/pulumi/pulumi/pkg/v3@v${PULUMI_VERSION} github.com/pulumi/pulumi/sdk/v3@v${PULUMI_VERSION} && go mod tidy)"
  fi

  if stamp_ok pulumi "v${PULUMI_VERSION} official" "v${PULUMI_VERSION} go-build"; then
    say "pulumi CLI v${PULUMI_VERSION}: already installed ($(cut -d' ' -f2 "${BIN}/.pulumi.stamp"))"
    return 0
  fi
  if [ -x "${BIN}/pulumi" ]; then
    found="$("${BIN}/pulumi" version 2>/dev/null || true)"
    if [ "${found}" = "v${PULUMI_VERSION}" ]; then
      write_stamp pulumi "v${PULUMI_VERSION} go-build"
      say "pulumi CLI v${PULUMI_VERSION}: already installed"
      return 0
    fi
    say "pulumi CLI: found '${found:-unknown}' in ${BIN}, want v${PULUMI_VERSION}; replacing it"
  fi

  if install_official pulumi "v${PULUMI_VERSION} official"; then
    say "pulumi CLI v${PULUMI_VERSION}: installed from the official download"
  else
    go_build "pulumi CLI v${PULUMI_VERSION}" "${mod}" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "${BIN}/pulumi" \
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}" "4 min"
    write_stamp pulumi "v${PULUMI_VERSION} go-build"
  fi
  found="$("${BIN}/pulumi" version)"
  [ "${found}" = "v${PULUMI_VERSION}" ] || die "${BIN}/pulumi reports '${found}', expected v${PULUMI_VERSION}"
}

# --- 2. nodejs language host --------------------------------------------------

setup_language_host() {
  local mod="${REPO}/tools/pulumi-language-nodejs" sdk
  sdk="$(go_mod_version "${mod}" github.com/pulumi/pulumi/sdk/v3)"
  [ -n "${sdk}" ] || die "tools/pulumi-language-nodejs/go.mod does not require github.com/pulumi/pulumi/sdk/v3"

  if stamp_ok pulumi-language-nodejs "v${PULUMI_VERSION} official" "${sdk} go-build"; then
    say "pulumi-language-nodejs: already installed ($(cat "${BIN}/.pulumi-language-nodejs.stamp"))"
    return 0
  fi
  if install_official pulumi-language-nodejs "v${PULUMI_VERSION} official"; then
    say "pulumi-language-nodejs v${PULUMI_VERSION}: installed from the official download"
  else
    # Its own module (sdk/nodejs/cmd/pulumi-language-nodejs) is not on the proxy.
    go_build "pulumi-language-nodejs (sdk ${sdk})" "${mod}" \
      github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "${BIN}/pulumi-language-nodejs" \
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${sdk}" "20 s"
    write_stamp pulumi-language-nodejs "${sdk} go-build"
  fi
}

# --- 3. resource plugins ------------------------------------------------------

plugin_dir() { printf '%s/plugins/resource-%s-v%s\n' "${PULUMI_HOME:-${HOME}/.pulumi}" "$1" "$2"; }

# plugin_listed NAME VERSION: `pulumi plugin ls` shows resource plugin NAME at VERSION.
plugin_listed() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  pulumi plugin ls --json 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const list = JSON.parse(s || "[]") || [];
      const hit = list.some((p) => p.kind === "resource" && p.name === process.argv[1] && p.version === process.argv[2]);
      process.exit(hit ? 0 : 1);
    });' "$1" "$2"
}

sh_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# write_offline_plugin DIR NAME VERSION: the folder `pulumi plugin install --file` takes.
write_offline_plugin() {
  local dir="$1" name="$2" version="$3" main="${REPO}/dist/providers/$2/main.js"
  {
    printf '#!/bin/sh\n'
    printf '# icc-bench offline %s %s resource plugin, installed by scripts/setup-toolchain.sh\n' "${name}" "${version}"
    printf 'exec node %s "$@"\n' "$(sh_quote "${main}")"
  } >"${dir}/pulumi-resource-${name}"
  chmod 0755 "${dir}/pulumi-resource-${name}"
  printf 'icc-bench offline plugin %s %s: runs %s\n' "${name}" "${version}" "${main}" >"${dir}/${OFFLINE_MARKER}"
}

# ensure_dist NAME: dist/providers/NAME/main.js exists, building once if needed.
BUILD_TRIED=""
ensure_dist() {
  local main="${REPO}/dist/providers/$1/main.js"
  [ -f "${main}" ] && return 0
  if [ -z "${BUILD_TRIED}" ] && [ -x "${REPO}/node_modules/.bin/tsc" ]; then
    BUILD_TRIED=1
    say "dist/providers/$1/main.js missing: running npm run build (log ${LOGS}/npm-build.log)"
    (cd "${REPO}" && npm run build) >"${LOGS}/npm-build.log" 2>&1 ||
      say "npm run build failed (see ${LOGS}/npm-build.log)"
  fi
  [ -f "${main}" ]
}

install_offline_plugin() {  # install_offline_plugin NAME VERSION [--reinstall]
  local name="$1" version="$2" dir
  dir="$(new_tmp_dir)"
  write_offline_plugin "${dir}" "${name}" "${version}"
  pulumi plugin install resource "${name}" "${version}" --exact --file "${dir}" "${@:3}" \
    >"${LOGS}/plugin-${name}.log" 2>&1 || {
    cat "${LOGS}/plugin-${name}.log" >&2
    die "installing the offline ${name} ${version} plugin failed"
  }
}

setup_plugin() {  # setup_plugin NAME VERSION
  local name="$1" version="$2" installed wanted
  installed="$(plugin_dir "${name}" "${version}")"

  if plugin_listed "${name}" "${version}"; then
    if [ ! -e "${installed}/${OFFLINE_MARKER}" ]; then
      say "plugin ${name} ${version}: official plugin in use"
      return 0
    fi
    wanted="$(new_tmp_dir)"
    write_offline_plugin "${wanted}" "${name}" "${version}"
    if cmp -s "${wanted}/pulumi-resource-${name}" "${installed}/pulumi-resource-${name}"; then
      say "plugin ${name} ${version}: offline plugin in use (dist/providers/${name})"
      return 0
    fi
    # Installed from another checkout (CI clones into a fresh folder): repoint it.
    ensure_dist "${name}" || {
      say "plugin ${name} ${version}: offline plugin points elsewhere, but dist/providers/${name}/main.js is not built yet; skipping"
      return 0
    }
    install_offline_plugin "${name}" "${version}" --reinstall
    say "plugin ${name} ${version}: offline plugin reinstalled for this checkout (dist/providers/${name})"
    return 0
  fi

  say "plugin ${name} ${version}: trying pulumi plugin install"
  if timeout 120 pulumi plugin install resource "${name}" "${version}" --exact \
    >"${LOGS}/plugin-${name}.log" 2>&1; then
    say "plugin ${name} ${version}: official plugin installed and in use"
    return 0
  fi
  if ! ensure_dist "${name}"; then
    say "plugin ${name} ${version}: no official plugin reachable and dist/providers/${name}/main.js is not built yet; skipping (run npm run build, then this again)"
    return 0
  fi
  install_offline_plugin "${name}" "${version}" --reinstall
  say "plugin ${name} ${version}: offline plugin installed and in use (dist/providers/${name})"
}

main() {
  command -v node >/dev/null 2>&1 || die "node is not installed (need Node 20+)"
  mkdir -p "${BIN}" "${LOGS}"
  PULUMI_VERSION="$(npm_dep_version @pulumi/pulumi)"
  setup_cli
  setup_language_host
  setup_plugin docker "$(npm_dep_version @pulumi/docker)"
  setup_plugin command "$(npm_dep_version @pulumi/command)"
  say "toolchain ready in ${BIN} (source scripts/toolchain-env.sh to use it)"
}

main "$@"
