# shellcheck shell=bash
# Source this file (do not run it) to use the icc-bench toolchain:
#   source scripts/toolchain-env.sh
# It puts the Pulumi CLI and nodejs language host built by setup-toolchain.sh
# first on PATH and points Pulumi at a local file backend, so nothing talks to
# app.pulumi.com. Values already set by the caller win, except PATH order.

icc_bench_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ICC_BENCH_HOME="${ICC_BENCH_HOME:-$HOME/.icc-bench}"

# Toolchain first: pulumi, pulumi-language-nodejs.
case ":${PATH}:" in
  *":${ICC_BENCH_HOME}/bin:"*) ;;
  *) export PATH="${ICC_BENCH_HOME}/bin:${PATH}" ;;
esac

# The engine runs dynamic providers through pulumi-resource-pulumi-nodejs, which
# ships at the top of the @pulumi/pulumi npm package (not in a bin/ folder).
if [ -x "${icc_bench_repo}/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" ]; then
  case ":${PATH}:" in
    *":${icc_bench_repo}/node_modules/@pulumi/pulumi:"*) ;;
    *) export PATH="${PATH}:${icc_bench_repo}/node_modules/@pulumi/pulumi" ;;
  esac
fi

# Local state: a file backend under the toolchain home, no passphrase.
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://${ICC_BENCH_HOME}/state}"
case "${PULUMI_BACKEND_URL}" in
  file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;;
esac
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE=""
fi
export PULUMI_SKIP_UPDATE_CHECK=true

unset icc_bench_repo
