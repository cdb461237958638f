#!/usr/bin/env bash
# 07 Verification and validation: `migsim validate` over data/validation/.
# Verification (fails the script when a case misses its tolerance): the
# analytic pre-copy model, SimGrid 3.32's recorded results (simgrid.csv) and
# invariants of the built-in drain. Validation (reports): every measured data
# set in datasets.csv / measured.csv, fitted on its fit subset, predicted over
# its seeds by migsim and the closed-form predictors.
# --small: the same cases (they take a few seconds).
# Results: <out>/validation.csv (one row per checked figure and predictor),
#          <out>/fits.csv (fitted parameters) and validate.txt (the printed
#          tables) (default <out>: results/07-validation)
. "$(dirname "$0")/common.sh"
prepare_out
"$MIGSIM" validate --data data/validation --csv "$OUT/validation.csv" --fits "$OUT/fits.csv" | tee "$OUT/validate.txt"
finish "$(($(wc -l <"$OUT/validation.csv") - 1)) validation figures"
