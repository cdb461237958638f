#!/usr/bin/env bash
# Runs a migsim sweep under GNU parallel, one shard per job, then merges.
#   experiments/parallel-sweep.sh SPEC OUT [SHARDS]
# The merged CSV is byte-identical to `migsim sweep SPEC --out OUT` run locally.
set -euo pipefail
spec=${1:?sweep spec} out=${2:?output directory} shards=${3:-$(nproc)}
cd "$(dirname "$0")/.."
migsim=${MIGSIM:-.build/release/migsim}
[ -x "$migsim" ] || { . .ci/ensure-deps.sh; migsim_build_release >/dev/null; }
seq 0 $((shards - 1)) | parallel --halt now,fail=1 "$migsim" sweep run "$spec" --out "$out" --shard {}/"$shards" --quiet
"$migsim" sweep merge "$spec" --out "$out"
