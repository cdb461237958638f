#!/usr/bin/env bash
# Executes every notebook headless on small experiment runs and checks that
# each expected figure is written. Used by .ci/run.
#   notebooks-export/check.sh            (venv at .venv-notebooks, reused)
# With RENDER=1 it runs the experiments at full size instead and writes the
# committed figures/ and the .html exports here.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-$ROOT/.venv-notebooks}
if [ ! -x "$VENV/bin/jupyter" ]; then
    python3 -m venv "$VENV" || { echo "notebooks: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
    "$VENV/bin/pip" install -q -r notebooks-export/requirements.txt
fi
if [ "${RENDER:-0}" = 1 ]; then
    export RESULTS=$ROOT/results FIGS=$ROOT/notebooks-export/figures HTML=$ROOT/notebooks-export size=""
else
    WORK=$(mktemp -d /tmp/migsim-notebooks.XXXXXX)
    export RESULTS=$WORK/results FIGS=$WORK/figures HTML=$WORK/html size=--small
fi
for e in experiments/0[1-5]-*.sh; do bash "$e" $size >/dev/null; done
expected=(downtime_by_kind downtime_cdf bytes_per_round policies_downtime_vs_dirty_rate policies_total_time_vs_dirty_rate
          nonconverging_policies drain_time_vs_concurrency rolling_progress)
for f in "${expected[@]}"; do rm -f "$FIGS/$f.png"; done
mkdir -p "$FIGS" "$HTML"
for nb in headline policies drain; do
    "$VENV/bin/jupytext" --quiet --to notebook --output "notebooks-export/$nb.ipynb" "notebooks-export/$nb.py"
    MIGSIM_RESULTS=$RESULTS MIGSIM_FIGURES=$FIGS "$VENV/bin/jupyter" nbconvert --to html --execute \
        --ExecutePreprocessor.timeout=600 --output-dir "$HTML" "notebooks-export/$nb.ipynb" >/dev/null 2>&1 ||
        { echo "notebooks: $nb failed to execute" >&2; MIGSIM_RESULTS=$RESULTS MIGSIM_FIGURES=$FIGS "$VENV/bin/python" "notebooks-export/$nb.py" >&2 || true; exit 1; }
done
missing=0
for f in "${expected[@]}"; do [ -s "$FIGS/$f.png" ] || { echo "notebooks: missing figure $f.png" >&2; missing=$((missing + 1)); }; done
echo "notebooks: $(( ${#expected[@]} - missing )) figures written, $missing missing"
[ "${RENDER:-0}" = 1 ] || rm -rf "$WORK"
[ $missing = 0 ]
