#!/usr/bin/env bash
# Checks the notebooks end to end, headless (.ci/run calls it):
#   1. creates or reuses the virtualenv .venv-notebooks (or $VENV) from the
#      pinned requirements.txt (reinstalls when that file or the Python changes);
#   2. checks that every NN-*.ipynb holds the same cells as its jupytext source NN-*.py;
#   3. runs every experiment that has a notebook (experiments/NN-*.sh) with --small into a
#      temporary results directory;
#   4. executes every notebook with `jupyter nbconvert --to html --execute`
#      against those results, figures into a temporary directory;
#   5. checks that every expected figure was written, naming any missing one.
# Exits non-zero on any failure; the last line is
# "notebooks: N figures written, M missing". Nothing in the repository changes.
#
#   notebooks-export/check.sh                    the CI check (about a minute once the venv exists)
#   RENDER=1 notebooks-export/check.sh           full-size experiments into results/, then rewrites
#                                                figures/*.png and the *.html exports here (committed)
#   RENDER=1 SKIP_EXPERIMENTS=1 notebooks-export/check.sh   re-render from the existing results/
#   SYNC=1 notebooks-export/check.sh             first regenerate every .ipynb from its .py
#
# Environment: PYTHON (interpreter for the venv; default python3, 3.11 or later),
# VENV (default .venv-notebooks), MIGSIM (a migsim binary; default: build it),
# KEEP=1 (keep the temporary directory; it is also kept when a step fails).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NB=notebooks-export
start=$SECONDS
WORK=""
fail() {
    [ -z "$WORK" ] || echo "notebooks: logs and outputs kept in $WORK" >&2
    echo "notebooks: FAIL: $*" >&2
    exit 1
}

# The figures each notebook must write (FIGURES/<name>.png). Keep README.md in step.
declare -A EXPECTED=(
    [01-quick-live-storage]="downtime_by_kind downtime_cdf total_time_by_kind bytes_per_round"
    [02-policies-dirty-rate]="policies_downtime_vs_dirty_rate policies_total_time_vs_dirty_rate"
    [03-drain-concurrency]="drain_time_vs_concurrency drain_time_vs_link_speed drain_downtime_vs_concurrency"
    [04-rolling-maintenance]="rolling_progress rolling_activity rolling_downtime_cdf"
    [05-non-converging]="nonconverging_policies nonconverging_bytes_per_round nonconverging_stop_reasons"
    [07-validation]="validation_analytic validation_measured validation_errors"
    [08-mechanisms]="mechanisms_downtime mechanisms_bytes"
    [10-scheduling-order]="order_completion_time order_makespan"
    [11-migration-costs]="costs_by_kind_policy costs_switch_off"
    [09-workload-shape]="shape_downtime_by_policy shape_rounds_by_policy"
    [12-sensitivity]="sensitivity_sobol sensitivity_oat"
    [13-consolidation-day]="consolidation_day consolidation_sla"
)
mapfile -t NOTEBOOKS < <(printf '%s\n' "${!EXPECTED[@]}" | sort)
for n in "${NOTEBOOKS[@]}"; do
    [ -f "$NB/$n.py" ] || fail "$NB/$n.py is missing"
    [ -f "experiments/$n.sh" ] || fail "experiments/$n.sh is missing"
done

# --- 1. virtualenv -----------------------------------------------------------
PYTHON=${PYTHON:-python3}
VENV=${VENV:-$ROOT/.venv-notebooks}
case $VENV in /*) ;; *) VENV=$ROOT/$VENV ;; esac
REQ=$NB/requirements.txt
py_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
stamp_now() { { sha256sum "$REQ" | cut -d' ' -f1; "$VENV/bin/python" -V 2>&1; } | tr '\n' ' '; }
if [ ! -x "$VENV/bin/python" ] || ! py_ok "$VENV/bin/python" || [ "$(cat "$VENV/.migsim-requirements" 2>/dev/null)" != "$(stamp_now)" ]; then
    command -v "$PYTHON" >/dev/null || fail "$PYTHON not found; install Python 3.11+ with venv (Debian: apt-get install python3-venv) or set PYTHON"
    py_ok "$PYTHON" || fail "the pinned requirements need Python 3.11 or later; $PYTHON is $("$PYTHON" -V 2>&1). Set PYTHON=python3.11 (or later)"
    if [ ! -x "$VENV/bin/python" ] || ! py_ok "$VENV/bin/python"; then
        [ ! -e "$VENV" ] || [ -f "$VENV/pyvenv.cfg" ] || fail "VENV=$VENV exists and is not a virtualenv"
        echo "notebooks: creating the virtualenv $VENV ($("$PYTHON" -V 2>&1))"
        "$PYTHON" -m venv --clear "$VENV" || fail "$PYTHON -m venv failed (Debian: apt-get install python3-venv)"
    fi
    echo "notebooks: installing $REQ into $VENV"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ" || fail "pip install -r $REQ failed"
    "$VENV/bin/python" -m pip check >/dev/null || fail "pip check: $("$VENV/bin/python" -m pip check)"
    stamp_now >"$VENV/.migsim-requirements"
fi
# Keep the user's Jupyter/IPython/matplotlib settings and kernels out of it.
export JUPYTER_PLATFORM_DIRS=1 JUPYTER_CONFIG_DIR=$VENV/etc/jupyter JUPYTER_DATA_DIR=$VENV/share/jupyter
export IPYTHONDIR=$VENV/etc/ipython MPLCONFIGDIR=$VENV/etc/matplotlib MPLBACKEND=Agg PYDEVD_DISABLE_FILE_VALIDATION=1
unset JUPYTER_PATH JUPYTER_RUNTIME_DIR PYTHONPATH
[ -f "$VENV/share/jupyter/kernels/python3/kernel.json" ] || fail "no python3 kernel in $VENV (is ipykernel in $REQ?)"

# --- 2. .ipynb in step with .py ----------------------------------------------
if [ "${SYNC:-0}" = 1 ]; then
    # jupytext's conversion, with cell ids numbered (not random) so a regenerated .ipynb only differs where the .py does.
    "$VENV/bin/python" - "${NOTEBOOKS[@]/#/$NB/}" <<'EOF' || fail "converting the .py notebooks with jupytext failed"
import sys
import jupytext
import nbformat

for stem in sys.argv[1:]:
    nb = jupytext.read(stem + ".py")
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
    nbformat.validate(nb)
    nbformat.write(nb, stem + ".ipynb")
    print(f"notebooks: wrote {stem}.ipynb")
EOF
fi
"$VENV/bin/python" - "${NOTEBOOKS[@]/#/$NB/}" <<'EOF' || fail "a .ipynb is out of step with its .py (the .py is the source): run SYNC=1 $0"
import sys
import jupytext
import nbformat

bad = 0
for stem in sys.argv[1:]:
    try:
        src = jupytext.read(stem + ".py")
        nb = nbformat.read(stem + ".ipynb", as_version=4)
    except FileNotFoundError as e:
        print(f"notebooks: {e.filename} is missing", file=sys.stderr)
        bad += 1
        continue
    if [(c.cell_type, c.source) for c in src.cells] != [(c.cell_type, c.source) for c in nb.cells]:
        print(f"notebooks: {stem}.ipynb differs from {stem}.py", file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
EOF

# --- 3. experiments ----------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/migsim-notebooks.XXXXXX")
trap '[ "${KEEP:-0}" = 1 ] || [ "${ok:-0}" != 1 ] || rm -rf "$WORK"' EXIT
mkdir -p "$WORK/logs"
if [ "${RENDER:-0}" = 1 ]; then
    RESULTS_DIR=${RESULTS:-$ROOT/results} FIGS=$ROOT/$NB/figures HTML=$ROOT/$NB size=full
    case $RESULTS_DIR in /*) ;; *) RESULTS_DIR=$ROOT/$RESULTS_DIR ;; esac
else
    RESULTS_DIR=$WORK/results FIGS=$WORK/figures HTML=$WORK/html size=small
fi
if [ "${SKIP_EXPERIMENTS:-0}" = 1 ] && [ "${RENDER:-0}" = 1 ]; then
    echo "notebooks: using the existing results in $RESULTS_DIR"
else
    if [ -z "${MIGSIM:-}" ]; then
        . .ci/ensure-deps.sh
        migsim_build_release >"$WORK/logs/build.log" 2>&1 || { tail -40 "$WORK/logs/build.log" >&2; fail "swift build failed"; }
        MIGSIM=$ROOT/.build/release/migsim
    fi
    export MIGSIM
    t=$SECONDS
    for n in "${NOTEBOOKS[@]}"; do
        args=(--out "$RESULTS_DIR/$n")
        [ "$size" = small ] && args+=(--small)
        bash "experiments/$n.sh" "${args[@]}" >"$WORK/logs/$n.experiment.log" 2>&1 ||
            { tail -30 "$WORK/logs/$n.experiment.log" >&2; fail "experiments/$n.sh ${args[*]} failed (log above)"; }
        tail -1 "$WORK/logs/$n.experiment.log"
    done
    echo "notebooks: ${#NOTEBOOKS[@]} experiments ($size) in $((SECONDS - t)) s"
fi

# --- 4. execute every notebook ----------------------------------------------
mkdir -p "$FIGS" "$HTML"
if [ "${RENDER:-0}" = 1 ]; then rm -f "$FIGS"/*.png; fi  # figures/ holds generated figures only
t=$SECONDS
for n in "${NOTEBOOKS[@]}"; do
    MIGSIM_ROOT=$ROOT MIGSIM_RESULTS=$RESULTS_DIR MIGSIM_FIGURES=$FIGS \
        "$VENV/bin/jupyter" nbconvert --to html --execute --ExecutePreprocessor.timeout=600 \
        --output-dir "$HTML" "$NB/$n.ipynb" >"$WORK/logs/$n.nbconvert.log" 2>&1 ||
        { tail -40 "$WORK/logs/$n.nbconvert.log" | sed "s/\x1b\[[0-9;]*m//g" >&2; fail "$NB/$n.ipynb failed to execute (log above)"; }
done
echo "notebooks: ${#NOTEBOOKS[@]} notebooks executed in $((SECONDS - t)) s; html in ${HTML#"$ROOT"/}, figures in ${FIGS#"$ROOT"/}"

# --- 5. every expected figure, nothing else ----------------------------------
written=0 missing=0 total=0
declare -A known=()
for n in "${NOTEBOOKS[@]}"; do
    for f in ${EXPECTED[$n]}; do
        known[$f]=1
        total=$((total + 1))
        if [ -s "$FIGS/$f.png" ] && [ "$(head -c 8 "$FIGS/$f.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
            written=$((written + 1))
        else
            echo "notebooks: MISSING figure $f.png (from $NB/$n.ipynb)" >&2
            missing=$((missing + 1))
        fi
    done
done
unexpected=0
for p in "$FIGS"/*.png; do
    [ -e "$p" ] || continue
    f=$(basename "$p" .png)
    [ -n "${known[$f]:-}" ] || { echo "notebooks: UNEXPECTED figure $f.png (not in check.sh's EXPECTED list)" >&2; unexpected=$((unexpected + 1)); }
done
[ "$missing" = 0 ] && [ "$unexpected" = 0 ] && ok=1
[ "${ok:-0}" = 1 ] && [ "${KEEP:-0}" != 1 ] || echo "notebooks: logs and outputs kept in $WORK"
echo "notebooks: total $((SECONDS - start)) s"
echo "notebooks: $written figures written, $missing missing$([ "$unexpected" = 0 ] || echo ", $unexpected unexpected")"
[ "${ok:-0}" = 1 ]
