# Sourced by the experiment scripts: repo root, dependencies, release build,
# and the --small switch (CI size). Results go to ${RESULTS:-results}/<name>.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. .ci/ensure-deps.sh
SMALL=0
for a in "$@"; do [ "$a" = --small ] && SMALL=1; done
swift build -c release --product migsim >/dev/null
MIGSIM=$PWD/.build/release/migsim
RESULTS=${RESULTS:-results}
# sweep NAME: runs experiments/NAME.yaml (or NAME-small.yaml) into $RESULTS/NAME and merges it.
sweep() {
    local spec=experiments/$1.yaml out=$RESULTS/$1
    [ $SMALL = 1 ] && spec=experiments/$1-small.yaml
    "$MIGSIM" sweep run "$spec" --out "$out" --jobs "$(nproc)" --resume
    "$MIGSIM" sweep merge "$spec" --out "$out"
}
