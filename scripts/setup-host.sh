#!/usr/bin/env bash
# Makes this Debian host ready to run the lab, doing only what is missing:
#   1. the Debian packages the lab and its tests use (chromium: the study report's
#      browser test; apt-get update only when one is missing);
#   2. dockerd, started by hand when `docker info` fails (no systemd here);
#   3. Open vSwitch, started with ovs-ctl when `ovs-vsctl show` fails (the
#      kernel has no openvswitch module: bridges use the userspace datapath);
#   4. the iperf image (iperf2 + iperf3 + iproute2 on Debian bookworm), built
#      with debootstrap + docker import when absent: no image registry needed.
# Must run as root. Environment: ICC_BENCH_IMAGE (default icc-bench/iperf:bookworm),
# ICC_BENCH_DOCKERD_TIMEOUT (seconds to wait for dockerd, default 60).
set -euo pipefail

PACKAGES=(docker.io openvswitch-switch iptables iproute2 ethtool debootstrap chromium)
IMAGE="${ICC_BENCH_IMAGE:-icc-bench/iperf:bookworm}"
IMAGE_SUITE="bookworm"
DOCKERD_LOG="/var/log/icc-bench-dockerd.log"
DOCKERD_TIMEOUT="${ICC_BENCH_DOCKERD_TIMEOUT:-60}"
DEBOOTSTRAP_LOG="/var/log/icc-bench-debootstrap.log"
OVS_CTL="/usr/share/openvswitch/scripts/ovs-ctl"
OVS_CTL_LOG="/var/log/icc-bench-ovs-ctl.log"
# Docker's default bridge, used by the "link" method. Docker's own default is
# 172.17.0.0/16; every address the lab sends traffic to must be in the
# benchmarking range 198.18.0.0/15, so our dockerd gets a bridge in it.
DOCKER_BIP="198.19.255.1/24"

ROOTFS=""
POLICY_RC_D=""

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

cleanup() {
  [ -n "${POLICY_RC_D}" ] && rm -f "${POLICY_RC_D}"
  [ -n "${ROOTFS}" ] && remove_rootfs "${ROOTFS}"
  return 0
}
trap cleanup EXIT

require_root() {
  [ "$(id -u)" -eq 0 ] || die "$(basename "$0") must run as root (it installs packages and starts dockerd and Open vSwitch)"
}

# --- 1. packages --------------------------------------------------------------

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "${p}" 2>/dev/null)" != "install ok installed" ]; then
      printf '%s\n' "${p}"
    fi
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  if [ "${#missing[@]}" -eq 0 ]; then
    say "packages: ${PACKAGES[*]} already installed"
    return 0
  fi
  say "packages: installing ${missing[*]}"
  # Keep the packages' init scripts from starting dockerd / OVS on their own:
  # we start them below, dockerd with our --bip.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    POLICY_RC_D=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# icc-bench setup-host.sh: no service starts during apt-get install\nexit 101\n' >"${POLICY_RC_D}"
    chmod 0755 "${POLICY_RC_D}"
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [ -n "${POLICY_RC_D}" ]; then rm -f "${POLICY_RC_D}"; POLICY_RC_D=""; fi
}

# --- 2. dockerd ---------------------------------------------------------------

docker_ok() { docker info >/dev/null 2>&1; }

start_dockerd() {
  if docker_ok; then
    say "dockerd: running"
    return 0
  fi
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd: a dockerd process exists but does not answer yet; waiting for it"
  else
    command -v dockerd >/dev/null 2>&1 || die "dockerd not found (is docker.io installed?)"
    say "dockerd: starting (no systemd), bridge ${DOCKER_BIP}, log ${DOCKERD_LOG}"
    # --bip: see DOCKER_BIP above; the link method's containers sit on this bridge.
    setsid dockerd --bip "${DOCKER_BIP}" </dev/null >>"${DOCKERD_LOG}" 2>&1 &
  fi
  local waited=0
  until docker_ok; do
    if [ "${waited}" -ge "${DOCKERD_TIMEOUT}" ]; then
      tail -n 20 "${DOCKERD_LOG}" >&2 || true
      die "dockerd did not answer 'docker info' within ${DOCKERD_TIMEOUT} s (see ${DOCKERD_LOG})"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "dockerd: ready after ${waited} s"
}

# The default bridge must be inside 198.18.0.0/15 (see DOCKER_BIP); a dockerd
# started by someone else with Docker's defaults would put it in 172.17.0.0/16.
check_default_bridge() {
  local subnet
  subnet="$(docker network inspect bridge --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' 2>/dev/null || true)"
  subnet="${subnet%% *}"
  case "${subnet}" in
    198.18.* | 198.19.*)
      say "dockerd: default bridge ${subnet} (inside the 198.18.0.0/15 lab range)"
      ;;
    *)
      die "dockerd's default bridge is '${subnet:-unknown}', outside the 198.18.0.0/15 lab range; the link method would send traffic there. Restart dockerd with --bip ${DOCKER_BIP} (or set \"bip\" in /etc/docker/daemon.json)"
      ;;
  esac
}

# --- 3. Open vSwitch ----------------------------------------------------------

ovs_ok() { ovs-vsctl --timeout=5 show >/dev/null 2>&1; }

start_ovs() {
  if ovs_ok; then
    say "openvswitch: running"
    return 0
  fi
  [ -x "${OVS_CTL}" ] || die "${OVS_CTL} not found (is openvswitch-switch installed?)"
  say "openvswitch: starting with ovs-ctl (userspace datapath; no kernel module needed)"
  if ! "${OVS_CTL}" start --system-id=random >"${OVS_CTL_LOG}" 2>&1; then
    cat "${OVS_CTL_LOG}" >&2
    die "${OVS_CTL} start failed (see ${OVS_CTL_LOG} and /var/log/openvswitch/)"
  fi
  ovs_ok || die "ovs-vsctl show still fails after ${OVS_CTL} start (see /var/log/openvswitch/)"
  say "openvswitch: ready ($(ovs-vsctl --version | head -n 1))"
}

# --- 4. iperf image -----------------------------------------------------------

# debian_mirror: the first Debian mirror apt already uses for the suite, so a
# machine that reaches only its own mirror can still debootstrap.
debian_mirror() {
  local mirror=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    # deb822: blank-line separated stanzas with URIs: and Suites: fields.
    mirror="$(awk -v suite="${IMAGE_SUITE}" '
      function flush() { if (types ~ /(^| )deb( |$)/ && suites ~ ("(^| )" suite "( |$)") && uris != "" && out == "") { split(uris, u, " "); out = u[1] } types = suites = uris = "" }
      /^[[:space:]]*$/ { flush(); next }
      /^Types:/  { sub(/^Types:[[:space:]]*/, "");  types = $0 }
      /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
      /^URIs:/   { sub(/^URIs:[[:space:]]*/, "");   uris = $0 }
      END { flush(); print out }' /etc/apt/sources.list.d/*.sources)"
  fi
  if [ -z "${mirror}" ] && compgen -G "/etc/apt/sources.list*" >/dev/null; then
    # One-line style: deb [options] URI SUITE COMPONENTS...
    mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk -v suite="${IMAGE_SUITE}" '
      $1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == suite) { print $i; exit } }')"
  fi
  printf '%s\n' "${mirror:-http://deb.debian.org/debian}"
}

remove_rootfs() {
  local dir="$1" mnt
  # debootstrap mounts /proc and /sys inside the target; if it died, unmount them
  # first (deepest first) so that rm never walks into the host's filesystems.
  while read -r mnt; do
    umount -l "${mnt}" 2>/dev/null || true
  done < <(awk -v d="${dir}" 'index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system -- "${dir}"
}

build_image() {
  if docker image inspect "${IMAGE}" >/dev/null 2>&1; then
    say "image ${IMAGE}: present"
    return 0
  fi
  local mirror start="${SECONDS}"
  mirror="$(debian_mirror)"
  ROOTFS="$(mktemp -d /var/tmp/icc-bench-rootfs.XXXXXX)"
  say "image ${IMAGE}: debootstrap ${IMAGE_SUITE} (minbase + iperf, iperf3, iproute2) from ${mirror}; a few minutes, log ${DEBOOTSTRAP_LOG}"
  if ! debootstrap --variant=minbase --include=iperf,iperf3,iproute2 "${IMAGE_SUITE}" "${ROOTFS}" "${mirror}" \
    >"${DEBOOTSTRAP_LOG}" 2>&1; then
    tail -n 20 "${DEBOOTSTRAP_LOG}" >&2
    die "debootstrap failed (see ${DEBOOTSTRAP_LOG})"
  fi
  # The downloaded .debs are of no use inside the image.
  find "${ROOTFS}/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -delete
  say "image ${IMAGE}: docker import"
  tar -C "${ROOTFS}" -c . | docker import - "${IMAGE}" >/dev/null
  remove_rootfs "${ROOTFS}"
  ROOTFS=""
  say "image ${IMAGE}: built in $((SECONDS - start)) s ($(docker image inspect "${IMAGE}" --format '{{.Size}}' | awk '{ printf "%d MB", $1 / 1000000 }'))"
}

main() {
  require_root
  install_packages
  start_dockerd
  check_default_bridge
  start_ovs
  build_image
}

main "$@"
