#!/usr/bin/env bash
# Makes this host ready for icc-bench; the one entry point used by `npm start`,
# `npm test` and .ci/run. Idempotent: a second run finds everything in place,
# changes nothing and takes a few seconds.
#   1. scripts/setup-host.sh       Debian packages, dockerd, Open vSwitch, iperf image
#   2. scripts/setup-toolchain.sh  Pulumi CLI, nodejs language host, provider plugins
# Must run as root. Then `source scripts/toolchain-env.sh` (or prefix a command
# with `bash scripts/with-toolchain.sh`) to use the toolchain.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

say() { printf 'setup: %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  printf 'setup: ERROR: run scripts/setup.sh as root (it installs packages and starts dockerd and Open vSwitch)\n' >&2
  exit 1
fi

start="${SECONDS}"
say "host: packages, dockerd, Open vSwitch, iperf image"
bash "${here}/setup-host.sh"
say "toolchain: Pulumi CLI, nodejs language host, provider plugins"
bash "${here}/setup-toolchain.sh"
say "host ready in $((SECONDS - start)) s"
