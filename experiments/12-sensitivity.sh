#!/usr/bin/env bash
# 12 Sensitivity of quick vs live vs storage migration (the built-in 40-VM
# drain) to 20 model parameters: Sobol indices from a Saltelli design (sweep
# 12-sensitivity.yaml: N = 256, 256 x 22 = 5,632 runs) and one-at-a-time ranges
# (the same parameters and bounds, 5 levels each with the others at their
# defaults: 101 runs), both through `migsim sweep sensitivity`.
# --small: N = 8 (176 runs) and 3 OAT levels (61 runs), 10 VMs.
# Results: <out>/saltelli/ and <out>/oat/, each a merged sweep
#          ({migrations,rounds,summary,runs}.csv, spec.yaml, runs/<id>/) with
#          sensitivity.csv (default <out>: results/12-sensitivity)
. "$(dirname "$0")/common.sh"
[ "$RESUME" = 0 ] || die "--resume is not supported here (two sweeps); rerun without it"
prepare_out

# derive FILE SED-SCRIPT: the spec with the substitutions applied; fails when one matches nothing.
spec=experiments/$EXPERIMENT.yaml
derive() {
    local out=$1
    shift
    cp "$spec" "$out"
    for s in "$@"; do
        grep -q "$(printf '%s' "$s" | cut -d/ -f1)" "$out" || die "$spec: no '$(printf '%s' "$s" | cut -d/ -f1)' to change"
        sed -i "s/$s/" "$out"
    done
}
mkdir -p "$OUT/saltelli" "$OUT/oat"
if [ "$SMALL" = 1 ]; then
    derive "$OUT/saltelli/spec.yaml" "base_points: 256/base_points: 8" "output.rounds: false/output.rounds: false\n  vms.count: 10"
    derive "$OUT/oat/spec.yaml" "method: saltelli/method: oat" "base_points: 256/levels: 3" "output.rounds: false/output.rounds: false\n  vms.count: 10"
else
    cp "$spec" "$OUT/saltelli/spec.yaml"
    derive "$OUT/oat/spec.yaml" "method: saltelli/method: oat" "base_points: 256/levels: 5"
fi
for design in saltelli oat; do
    "$MIGSIM" sweep run "$OUT/$design/spec.yaml" --out "$OUT/$design" --jobs "$JOBS"
    "$MIGSIM" sweep merge "$OUT/$design/spec.yaml" --out "$OUT/$design" >/dev/null
    "$MIGSIM" sweep sensitivity "$OUT/$design/spec.yaml" --out "$OUT/$design"
done
finish "$(($(wc -l <"$OUT/saltelli/runs.csv") - 1)) Saltelli and $(($(wc -l <"$OUT/oat/runs.csv") - 1)) OAT runs of $spec"
