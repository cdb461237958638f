#!/usr/bin/env bash
# 07 Validation: every case in data/validation/ (the analytic pre-copy model
# of Liu et al. and Akoush et al., and the published measurements of Clark et
# al., Hyper-V quick migration and VMM Quick Storage Migration), run by
# `migsim validate`. Fails when any case is outside its tolerance.
# --small: the same cases (they take well under a second).
# Results: <out>/validation.csv (one row per checked figure) and validate.txt
#          (the printed table) (default <out>: results/07-validation)
. "$(dirname "$0")/common.sh"
prepare_out
"$MIGSIM" validate --data data/validation --csv "$OUT/validation.csv" | tee "$OUT/validate.txt"
finish "$(($(wc -l <"$OUT/validation.csv") - 1)) validation figures"
