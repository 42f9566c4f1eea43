#!/usr/bin/env bash
# The main job (`npm start`, or `npm start -- --stack setup1`): makes the host ready, deploys the
# stack (default: dev), which runs the benchmark, prints the results as a table and leaves the
# stack up. Must run as root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

shipped_stacks() {
  local f
  for f in stacks/Pulumi.*.yaml; do f="${f#stacks/Pulumi.}"; printf '%s ' "${f%.yaml}"; done
}

stack=dev
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack="${2:?--stack needs a stack name}"; shift 2 ;;
    *) echo "usage: npm start [-- --stack NAME]   (stacks: $(shipped_stacks))" >&2; exit 2 ;;
  esac
done
if [ ! -f "stacks/Pulumi.${stack}.yaml" ]; then
  echo "start: no stack config stacks/Pulumi.${stack}.yaml" >&2
  exit 2
fi

[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund
bash scripts/setup.sh
npm run build --silent
# shellcheck source=scripts/toolchain-env.sh
source scripts/toolchain-env.sh

pulumi stack select --create "${stack}" >/dev/null
pulumi up --yes --stack "${stack}"
pulumi stack output results --json --stack "${stack}" | node dist/scripts/print-results.js

cat <<EOT

The ${stack} lab is still up. With the toolchain on PATH (source scripts/toolchain-env.sh):
  pulumi preview --diff --stack ${stack}     what a config change would do
  pulumi config set --path icc-bench:runId 2 --stack ${stack} && pulumi up --stack ${stack}   measure again
  pulumi destroy --yes --stack ${stack}      remove every container and host object of the lab
EOT
