#!/usr/bin/env bash
# 12 Sensitivity of the headline comparison (the built-in drain, live vs quick
# vs storage) to every model parameter: a variance-based analysis (Saltelli's
# design, 12-sensitivity.yaml: 256 base points x 16 = 4,096 runs; Sobol first-
# order and total indices) and a one-at-a-time one (12-sensitivity-oat.yaml:
# 71 runs), both through `migsim sweep` and `migsim sweep sensitivity`.
# --small: 12-sensitivity-small.yaml (4 base points, 64 runs) and the same OAT design.
# Results: <out>/sobol/{sensitivity,runs,summary}.csv, <out>/oat/{sensitivity,runs,summary}.csv
#          (default <out>: results/12-sensitivity)
. "$(dirname "$0")/common.sh"
prepare_out
spec=experiments/12-sensitivity.yaml
[ "$SMALL" = 1 ] && spec=experiments/12-sensitivity-small.yaml
for part in sobol:$spec oat:experiments/12-sensitivity-oat.yaml; do
    name=${part%%:*} file=${part#*:}
    "$MIGSIM" sweep run "$file" --out "$OUT/$name" --jobs "$JOBS"
    "$MIGSIM" sweep merge "$file" --out "$OUT/$name" >/dev/null
    "$MIGSIM" sweep sensitivity "$file" --out "$OUT/$name"
    cp "$file" "$OUT/$name/spec.yaml"
done
finish "$(($(wc -l <"$OUT/sobol/runs.csv") - 1)) + $(($(wc -l <"$OUT/oat/runs.csv") - 1)) runs"
