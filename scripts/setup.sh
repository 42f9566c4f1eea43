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

# The oldest Node.js icc-bench supports is package.json's engines.node (">=N"). @pulumi/pulumi
# declares a newer one; what runs on Node N is what the tests here run on.
if ! command -v node >/dev/null 2>&1; then
  printf 'setup: ERROR: no node on PATH: icc-bench needs Node.js (see the README: Node.js versions)\n' >&2
  exit 1
fi
if ! node -e 'const min = Number(require(process.argv[1]).engines.node.replace(">=", "")); process.exit(Number(process.versions.node.split(".")[0]) >= min ? 0 : 1)' "${here}/../package.json"; then
  printf 'setup: ERROR: node %s on PATH (%s) is older than icc-bench supports (Node.js %s, see package.json engines).\n' "$(node --version)" "$(command -v node)" "$(node -p "require('${here}/../package.json').engines.node")" >&2
  printf 'setup: Debian 12 packages Node.js 18, which is too old; install Node.js 22 (nodejs.org or a NodeSource package) first, then run again.\n' >&2
  exit 1
fi

start="${SECONDS}"
say "host: packages, dockerd, Open vSwitch, iperf image"
bash "${here}/setup-host.sh"
say "toolchain: Pulumi CLI, nodejs language host, provider plugins"
bash "${here}/setup-toolchain.sh"
say "host ready in $((SECONDS - start)) s"
