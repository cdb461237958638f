#!/usr/bin/env bash
# Fuzzes migsim's input parsers with libFuzzer (Swift's -sanitize=fuzzer, plus
# AddressSanitizer), for a bounded time. Not part of ./test.sh or CI.
#
#   Tests/fuzz/run.sh [SECONDS]        # default 120: SECONDS per target
#   TARGETS=scenario Tests/fuzz/run.sh 600
#
# Targets (Tests/fuzz/Sources, a package of its own that depends on the main
# package by path, so the main `swift build` and `swift test` never see it):
#   scenario  bytes -> scenario file: parse + validate (as `migsim scenario check`
#             and `migsim run FILE`); valid scenarios of <= 64 VMs and hosts then
#             run for at most 2,000 events per kind
#   sweep     bytes -> sweep spec: parse, run list, first and last run's scenario
#             (as `migsim sweep list`)
# A thrown ConfigError or SweepError is a correct answer. A crash, an ASan
# report, an input slower than 10 s (-timeout) or memory above 2 GiB
# (-rss_limit_mb/-malloc_limit_mb) is a finding. The timeout is 10 s, not 5 s,
# because the largest scenario the schema accepts (1,000,000 VMs with 256 disks
# each on 100,000 hosts) takes about 1.6 s to validate in a release build and
# about 7.6 s under ASan; anything slower is a bug: libFuzzer writes it to
# $WORK/artifacts/<target>/ and this script exits 1.
#
# First the saved inputs in Tests/fuzz/regressions/<target>/ are replayed (each
# once crashed; all must pass). The corpus grows in $WORK/corpus/<target>
# (WORK defaults to results/fuzz, ignored by git), seeded from
# Tests/fuzz/corpus/<target>; the dictionary is Tests/fuzz/migsim.dict.
# Prints the executions run per target and in all.
set -uo pipefail
cd "$(dirname "$0")"
FUZZ=$PWD
ROOT=$(cd ../.. && pwd)
SECONDS_PER_TARGET=${1:-120}
TARGETS=${TARGETS:-scenario sweep}
WORK=${WORK:-$ROOT/results/fuzz}
case $SECONDS_PER_TARGET in ''|*[!0-9]*) echo "fuzz: SECONDS must be a whole number, got '$SECONDS_PER_TARGET'"; exit 2;; esac

. "$ROOT/.ci/ensure-deps.sh"
echo "fuzz: building (release, -sanitize=fuzzer,address) ..."
swift build -c release --sanitize=fuzzer --sanitize=address 2>&1 | grep -v "warning: Cannot export local symbol" | tail -3
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: build failed"; exit 1; }
BIN=$(swift build -c release --sanitize=fuzzer --sanitize=address --show-bin-path)

OPTS=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=8192 -dict="$FUZZ/migsim.dict" -print_final_stats=1)
status=0 total=0
for t in $TARGETS; do
    exe=$BIN/fuzz-$t
    [ -x "$exe" ] || { echo "fuzz: no target '$t' (scenario, sweep)"; exit 2; }
    mkdir -p "$WORK/corpus/$t" "$WORK/artifacts/$t"
    log=$WORK/$t.log

    # Regressions: every saved crashing input must now run cleanly.
    regs=("$FUZZ/regressions/$t"/*)
    if [ -e "${regs[0]}" ]; then
        if "$exe" "${OPTS[@]}" "${regs[@]}" >"$WORK/$t.regressions.log" 2>&1; then
            echo "fuzz: $t: ${#regs[@]} regression inputs pass"
        else
            echo "fuzz: $t: a regression input fails again; see $WORK/$t.regressions.log"; status=1; continue
        fi
    fi

    echo "fuzz: $t: fuzzing for ${SECONDS_PER_TARGET}s (log $log)"
    "$exe" "${OPTS[@]}" -max_total_time="$SECONDS_PER_TARGET" -artifact_prefix="$WORK/artifacts/$t/" \
        "$WORK/corpus/$t" "$FUZZ/corpus/$t" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ -z "$execs" ]; then   # a crash ends the run before the final stats
        execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    fi
    execs=${execs:-0}
    total=$((total + execs))
    corpus=$(find "$WORK/corpus/$t" -type f | wc -l)
    if [ $rc -eq 0 ]; then
        echo "fuzz: $t: $execs executions, no crash (corpus $corpus inputs)"
    else
        echo "fuzz: $t: CRASH after $execs executions (exit $rc):"
        grep -m3 -E "Fatal error|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY|Test unit written" "$log" | sed 's/^/    /'
        status=1
    fi
done
echo "fuzz: $total executions in all; $([ $status -eq 0 ] && echo "no crash" || echo "CRASHES FOUND (artifacts in $WORK/artifacts)")"
exit $status
