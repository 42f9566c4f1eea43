#!/usr/bin/env bash
# Run a command with the icc-bench toolchain environment (see toolchain-env.sh).
#   bash scripts/with-toolchain.sh pulumi up --stack dev
set -euo pipefail
# shellcheck source=scripts/toolchain-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain-env.sh"
exec "$@"
