# Sourced by the experiment scripts (experiments/NN-*.sh); not run on its own.
# Parses the options every script shares, goes to the repository root, builds
# migsim (release) and defines prepare_out, sweep and finish.
#
#   --small      CI size, well under a minute: fewer values, 1 replication, few VMs
#   --out DIR    results directory (default: ${RESULTS:-results}/<experiment>,
#                RESULTS relative to the repository root; DIR relative to the
#                current directory)
#   --jobs N     sweeps: worker processes (default: the number of CPUs, at most 256)
#   --resume     sweeps: keep the finished runs of an interrupted sweep of the same spec
#
# Environment: MIGSIM=/path/to/migsim uses that binary instead of building one.
# Every run starts from an empty results directory (so a --small run and a full
# run never mix), except with --resume. A directory that an experiment script did
# not write (no experiment.txt in it) is never deleted.
set -euo pipefail

EXPERIMENT=$(basename "$0" .sh)
SMALL=0 RESUME=0 OUT="" JOBS=""
_start=$SECONDS

die() { echo "$EXPERIMENT: $*" >&2; exit 1; }
_usage() {
    # The script's own header comment, then the shared options.
    sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p}}' "$0"
    echo
    echo "usage: $0 [--small] [--out DIR] [--jobs N] [--resume]"
    sed -n '5,12{s/^# \{0,1\}/  /;p}' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
    case $1 in
        --small) SMALL=1 ;;
        --resume) RESUME=1 ;;
        --out) [ $# -ge 2 ] || die "--out needs a directory"; OUT=$2; shift ;;
        --out=*) OUT=${1#--out=} ;;
        --jobs) [ $# -ge 2 ] || die "--jobs needs a number"; JOBS=$2; shift ;;
        --jobs=*) JOBS=${1#--jobs=} ;;
        -h | --help) _usage; exit 0 ;;
        *) echo "$EXPERIMENT: unknown option '$1'" >&2; _usage >&2; exit 2 ;;
    esac
    shift
done

# --out and MIGSIM are relative to where the script was started.
[ -n "$OUT" ] && case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
[ -n "${MIGSIM:-}" ] && case $MIGSIM in /*) ;; *) MIGSIM=$PWD/$MIGSIM ;; esac
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DEFAULT_OUT=0
[ -z "$OUT" ] && { OUT=${RESULTS:-results}/$EXPERIMENT; DEFAULT_OUT=1; }
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac

JOBS=${JOBS:-$(nproc 2>/dev/null || echo 1)}
case $JOBS in '' | *[!0-9]*) die "--jobs $JOBS: accepted an integer 1...256" ;; esac
[ "$JOBS" -ge 1 ] || JOBS=1
[ "$JOBS" -le 256 ] || JOBS=256

if [ -n "${MIGSIM:-}" ]; then
    [ -x "$MIGSIM" ] || die "MIGSIM=$MIGSIM is not an executable file"
else
    . .ci/ensure-deps.sh
    _log=$(mktemp)
    if ! migsim_build_release >"$_log" 2>&1; then
        cat "$_log" >&2
        rm -f "$_log"
        die "swift build -c release --product migsim --static-swift-stdlib failed (output above)"
    fi
    rm -f "$_log"
    MIGSIM=$ROOT/.build/release/migsim
fi

# prepare_out: starts $OUT empty and writes $OUT/experiment.txt (what ran, on which build).
prepare_out() {
    if [ -e "$OUT" ]; then
        if [ "$DEFAULT_OUT" = 1 ] || [ -f "$OUT/experiment.txt" ] || [ -z "$(ls -A "$OUT" 2>/dev/null)" ]; then
            rm -rf "$OUT"
        else
            die "$OUT exists and was not written by an experiment script (no experiment.txt); remove it or pick another --out"
        fi
    fi
    mkdir -p "$OUT"
    {
        echo "experiment: $EXPERIMENT"
        echo "size: $([ "$SMALL" = 1 ] && echo small || echo full)"
        echo "migsim: $("$MIGSIM" --version) ($MIGSIM)"
        echo "commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
        echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } >"$OUT/experiment.txt"
}

# finish WHAT: records the end and prints one line.
finish() {
    echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ) ($((SECONDS - _start)) s)" >>"$OUT/experiment.txt"
    echo "$EXPERIMENT: $1 in $((SECONDS - _start)) s -> $OUT"
}

# sweep: runs experiments/$EXPERIMENT.yaml (--small: $EXPERIMENT-small.yaml)
# into $OUT, merges it into $OUT/{migrations,rounds,summary,runs}.csv and keeps
# a copy of the spec as $OUT/spec.yaml.
sweep() {
    local spec=experiments/$EXPERIMENT.yaml
    [ "$SMALL" = 1 ] && spec=experiments/$EXPERIMENT-small.yaml
    local args=(--out "$OUT" --jobs "$JOBS")
    if [ "$RESUME" = 1 ] && [ -f "$OUT/spec.yaml" ]; then
        cmp -s "$spec" "$OUT/spec.yaml" ||
            die "--resume: $OUT holds a sweep of another spec (see $OUT/spec.yaml); run without --resume to start over"
        args+=(--resume)
    else
        prepare_out
        cp "$spec" "$OUT/spec.yaml"
    fi
    "$MIGSIM" sweep run "$spec" "${args[@]}"
    "$MIGSIM" sweep merge "$spec" --out "$OUT" >/dev/null
    finish "$(($(wc -l <"$OUT/runs.csv") - 1)) runs of $spec"
}
