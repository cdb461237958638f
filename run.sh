#!/usr/bin/env bash
# Builds migsim (release) and runs the built-in default scenario.
# Extra arguments go to `migsim run`, e.g. ./run.sh --seed 7 --kinds live,quick
set -euo pipefail
cd "$(dirname "$0")"
. .ci/ensure-deps.sh
migsim_build_release
exec .build/release/migsim run --out results/default "$@"
