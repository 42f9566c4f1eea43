#!/usr/bin/env bash
# The whole test suite (`npm test`): makes the host ready, builds, then runs every tier in one
# node --test run, one file at a time (host tiers share dockerd, OVS and iptables):
#   unit       model, validation, script builders, parser, components under mocks
#   providers  the offline docker and command plugins under the real engine
#   host       each attachment method's scripts on the real host, with iperf through them
#   e2e        pulumi up / preview --diff / destroy of a throwaway stack, real engine and Docker
#   reliability  10 up/destroy cycles, two stacks at once, lost state, 50 bad configs, missing
#              host pieces, failing clients
#   recovery   up interrupted by SIGINT/SIGKILL at three points, objects removed by hand: repair
# Before and after the run, the stop-the-line check (test/stopTheLine.ts): the host must hold no
# icc-bench object and stacks/ only the shipped stack files, or the run fails naming what is there.
# Must run as root. Run one tier alone with `npm run test:unit` (or :providers, :host, :e2e).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund
bash scripts/setup.sh
npm run build --silent
# shellcheck source=scripts/toolchain-env.sh
source scripts/toolchain-env.sh
node dist/test/stopTheLine.js before
status=0
node --test --test-concurrency=1 dist/test/unit/ dist/test/providers/ dist/test/host/ dist/test/e2e/ dist/test/reliability/ dist/test/recovery/ || status=$?
node dist/test/stopTheLine.js after || status=1
exit "$status"
