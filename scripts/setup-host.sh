#!/usr/bin/env bash
# Makes this Debian host ready to run the lab, doing only what is missing:
#   1. the Debian packages the lab and its tests use (chromium: the study report's
#      browser test; openssh-server: the simulated hosts reached over ssh://, never
#      started as this machine's service; apt-get update only when one is missing);
#   2. dockerd: one that answers is used as it is, whatever its bridge, pools, storage or
#      iptables backend (never restarted or reconfigured); only when none answers is one
#      started by hand (no systemd here), its bridge and pools in 198.18.0.0/15;
#   3. Open vSwitch, started with ovs-ctl when `ovs-vsctl show` fails (the
#      kernel has no openvswitch module: bridges use the userspace datapath);
#   4. the iperf image (iperf2, iperf3, iproute2, iptables, ethtool, ovs-vsctl on Debian bookworm),
#      built with debootstrap + docker import when absent or when it lacks one of the
#      tools (an image of an older setup): no image registry needed. It is also the
#      helper image that plumbs hosts across hosts (ip, nsenter, iptables in the host's
#      namespaces, ovs-vsctl on the host's Open vSwitch).
# Must run as root. Environment: ICC_BENCH_IMAGE (default icc-bench/iperf:bookworm),
# ICC_BENCH_DOCKERD_TIMEOUT (seconds to wait for dockerd, default 60), DOCKER_HOST (the
# dockerd to use).
#   setup-host.sh --decide-dockerd ANSWERS BRIDGE   prints what the setup would do about a
#   dockerd that answers (yes/no) with that default bridge subnet, and does nothing else.
set -euo pipefail

PACKAGES=(docker.io openvswitch-switch iptables iproute2 ethtool debootstrap chromium openssh-client openssh-server)
IMAGE="${ICC_BENCH_IMAGE:-icc-bench/iperf:bookworm}"
IMAGE_SUITE="bookworm"
IMAGE_PACKAGES="iperf,iperf3,iproute2,iptables,ethtool,openvswitch-switch"
# What the lab runs in the image: in its containers, and as the helper on other hosts.
IMAGE_COMMANDS="iperf ip nsenter iptables ethtool ovs-vsctl"
DOCKERD_LOG="/var/log/icc-bench-dockerd.log"
DOCKERD_TIMEOUT="${ICC_BENCH_DOCKERD_TIMEOUT:-60}"
DEBOOTSTRAP_LOG="/var/log/icc-bench-debootstrap.log"
OVS_CTL="/usr/share/openvswitch/scripts/ovs-ctl"
OVS_CTL_LOG="/var/log/icc-bench-ovs-ctl.log"
# Only for a dockerd the setup starts itself (this is what CI and every test here use):
# its default bridge (the "link" method's) and the pool of networks made without a subnet
# lie in the benchmarking range 198.18.0.0/15, apart from every lab subnet. A dockerd that
# already runs keeps Docker's defaults (172.17.0.0/16 and so on), or whatever its owner set.
DOCKER_BIP="198.19.255.1/24"
DOCKER_POOL="base=198.19.240.0/21,size=24"

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

# decide_dockerd ANSWERS BRIDGE: what the setup does about dockerd, as one line.
decide_dockerd() {
  if [ "$1" = yes ]; then
    echo "use: dockerd answers; used as it is, its default bridge ${2:-unknown} included (the link method's containers sit on it; every network and address the lab itself makes comes from the lab subnet)"
  else
    echo "start: no dockerd answers; starting one with --bip ${DOCKER_BIP} --default-address-pool ${DOCKER_POOL}"
  fi
}

default_bridge() {
  local subnet
  subnet="$(docker network inspect bridge --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' 2>/dev/null || true)"
  printf '%s\n' "${subnet%% *}"
}

start_dockerd() {
  if docker_ok; then
    say "dockerd: $(decide_dockerd yes "$(default_bridge)")"
    return 0
  fi
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd: a dockerd process exists but does not answer yet; waiting for it"
  else
    command -v dockerd >/dev/null 2>&1 || die "dockerd not found (is docker.io installed?)"
    say "dockerd: $(decide_dockerd no), log ${DOCKERD_LOG}"
    setsid dockerd --bip "${DOCKER_BIP}" --default-address-pool "${DOCKER_POOL}" </dev/null >>"${DOCKERD_LOG}" 2>&1 &
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
  say "dockerd: ready after ${waited} s (default bridge $(default_bridge))"
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

image_complete() {
  docker image inspect "${IMAGE}" >/dev/null 2>&1 &&
    docker run --rm --network none --entrypoint sh "${IMAGE}" -c 'for c in "$@"; do command -v "$c" >/dev/null || exit 1; done' sh ${IMAGE_COMMANDS} >/dev/null 2>&1
}

build_image() {
  if image_complete; then
    say "image ${IMAGE}: present"
    return 0
  fi
  if docker image inspect "${IMAGE}" >/dev/null 2>&1; then
    say "image ${IMAGE}: lacks one of ${IMAGE_COMMANDS} (an older setup's): built again"
  fi
  local mirror start="${SECONDS}"
  mirror="$(debian_mirror)"
  ROOTFS="$(mktemp -d /var/tmp/icc-bench-rootfs.XXXXXX)"
  say "image ${IMAGE}: debootstrap ${IMAGE_SUITE} (minbase + ${IMAGE_PACKAGES}) from ${mirror}; a few minutes, log ${DEBOOTSTRAP_LOG}"
  if ! debootstrap --variant=minbase --include="${IMAGE_PACKAGES}" "${IMAGE_SUITE}" "${ROOTFS}" "${mirror}" \
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
  start_ovs
  build_image
}

if [ "${1:-}" = --decide-dockerd ]; then
  decide_dockerd "${2:-no}" "${3:-}"
  exit 0
fi
main "$@"
