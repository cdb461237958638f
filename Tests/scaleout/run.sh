#!/usr/bin/env bash
# Scale-out tests: the merged CSV of a sweep is byte-identical whether it ran
# with --jobs 1, --jobs 2, as 4 shards, after a SIGKILL and --resume, under
# GNU parallel, or as a Slurm job array on a real single-node Slurm cluster.
# Crash safety: a spec edited between runs (stale runs refused), a full disk
# (a small tmpfs), kills during writing, SIGTERM/SIGINT to a sweep and its
# process group, SIGKILL to its parent (workers die with it).
# Installs GNU parallel and Slurm (slurmctld, slurmd, slurm-client, munge)
# from Debian when missing (needs root). Prints "scaleout: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
MIGSIM=$ROOT/.build/release/migsim
SPEC=$ROOT/Tests/scaleout/sweep-small.yaml
WORK=$(mktemp -d /tmp/migsim-scaleout.XXXXXX)
chmod 0755 "$WORK"   # munged needs a+x on every directory above its socket
pass=0 fail=0
ok()  { echo "scaleout: ok   - $*"; pass=$((pass + 1)); }
bad() { echo "scaleout: FAIL - $*"; fail=$((fail + 1)); }
same() {  # same DIR-A DIR-B label
    local f
    for f in migrations.csv rounds.csv summary.csv runs.csv; do
        cmp -s "$1/$f" "$2/$f" || { bad "$3: $f differs from the local --jobs 1 run"; return; }
    done
    ok "$3: merged CSV byte-identical"
}

. .ci/ensure-deps.sh
migsim_build_release >/dev/null || { echo "scaleout: build failed"; exit 1; }

# Reference: local, one worker.
"$MIGSIM" sweep run "$SPEC" --out "$WORK/ref" --quiet && "$MIGSIM" sweep merge "$SPEC" --out "$WORK/ref" >/dev/null &&
    [ "$(tail -n +2 "$WORK/ref/runs.csv" | wc -l)" -eq 8 ] && ok "local --jobs 1: 8 runs merged" || bad "local --jobs 1"

"$MIGSIM" sweep run "$SPEC" --out "$WORK/jobs2" --jobs 2 --quiet && "$MIGSIM" sweep merge "$SPEC" --out "$WORK/jobs2" >/dev/null &&
    same "$WORK/ref" "$WORK/jobs2" "--jobs 2" || bad "--jobs 2 did not run"

for k in 3 1 0 2; do "$MIGSIM" sweep run "$SPEC" --out "$WORK/shards" --shard "$k/4" --quiet || bad "shard $k/4"; done
"$MIGSIM" sweep merge "$SPEC" --out "$WORK/shards" >/dev/null && same "$WORK/ref" "$WORK/shards" "4 shards in shuffled order" || bad "shard merge"

# Kill a sweep with SIGKILL at several moments, then --resume: never a
# partial run directory, and the merged result equals an uninterrupted run.
KILL=$ROOT/Tests/scaleout/sweep-kill.yaml
"$MIGSIM" sweep run "$KILL" --out "$WORK/kill-ref" --quiet && "$MIGSIM" sweep merge "$KILL" --out "$WORK/kill-ref" >/dev/null
partial=0 kills=0
for delay in 0.3 0.7 1.1 1.5 2.0; do
    "$MIGSIM" sweep run "$KILL" --out "$WORK/killed" --resume --quiet & pid=$!
    sleep "$delay"; kill -9 "$pid" 2>/dev/null && kills=$((kills + 1)); wait "$pid" 2>/dev/null
    for d in "$WORK"/killed/runs/0*; do [ -d "$d" ] || continue
        for f in migrations.csv rounds.csv summary.csv run.json; do [ -s "$d/$f" ] || partial=1; done; done
    for f in "$WORK"/killed/*.csv; do [ -e "$f" ] && partial=1; done   # nothing merged yet
done
[ $partial = 0 ] && ok "SIGKILL at $kills moments leaves only complete run directories" || bad "SIGKILL left a partial run"
"$MIGSIM" sweep run "$KILL" --out "$WORK/killed" --resume --quiet && "$MIGSIM" sweep merge "$KILL" --out "$WORK/killed" >/dev/null &&
    same "$WORK/kill-ref" "$WORK/killed" "SIGKILL + --resume" || bad "resume"

# Kill `migsim run` with SIGKILL at moments spread over its run time, most of
# them near the end when it writes: every CSV that exists is complete (equal
# to the uninterrupted run's), and no partial file ever has a CSV name.
RUN=(run --scenario rolling --vms 10000 --time-series 60 --quiet --seed 7)
t0=$(date +%s%N); "$MIGSIM" "${RUN[@]}" --out "$WORK/run-ref" || bad "migsim run reference"; t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
truncated=0 kills=0 seen=0
for frac in 10 40 70 85 90 93 95 97 98 99 100 101 103 110 125 150 $((RANDOM % 100)) $((80 + RANDOM % 25)); do
    rm -rf "$WORK/run-killed"
    "$MIGSIM" "${RUN[@]}" --out "$WORK/run-killed" & pid=$!
    sleep "$(awk -v ms="$ms" -v f="$frac" 'BEGIN { printf "%.3f", ms * f / 100000 }')"
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1)); wait "$pid" 2>/dev/null
    if [ -e "$WORK/run-killed" ]; then  # the directory is renamed into place whole: all files of one run, or none
        [ "$(ls "$WORK/run-killed")" = "$(ls "$WORK/run-ref")" ] ||
            { truncated=1; echo "scaleout: after SIGKILL at $frac%, OUT holds $(ls "$WORK/run-killed" | tr '\n' ' ')"; }
    fi
    for f in "$WORK"/run-killed/*.csv; do
        [ -e "$f" ] || continue
        seen=$((seen + 1))
        cmp -s "$f" "$WORK/run-ref/$(basename "$f")" || { truncated=1; echo "scaleout: $f differs after SIGKILL at $frac% of $ms ms"; }
    done
    if [ -e "$WORK/run-killed/run.json" ]; then  # holds the wall time: complete JSON, not equal bytes
        seen=$((seen + 1))
        python3 -m json.tool "$WORK/run-killed/run.json" >/dev/null 2>&1 || { truncated=1; echo "scaleout: run.json incomplete after SIGKILL at $frac%"; }
    fi
done
[ $truncated = 0 ] && ok "migsim run: SIGKILL at $kills moments over ${ms} ms, $seen files present afterwards, all complete" ||
    bad "migsim run: SIGKILL left a truncated file"
"$MIGSIM" "${RUN[@]}" --out "$WORK/run-killed" && ! ls -A "$WORK" | grep -q '^\.run-killed\.tmp-' &&
    ok "migsim run after the kills: temporaries of killed runs removed" || bad "migsim run left temporaries: $(ls -A "$WORK" | grep tmp)"

# A spec edited between runs: its old run directories are stale, never done.
cp "$SPEC" "$WORK/edit.yaml"
"$MIGSIM" sweep run "$WORK/edit.yaml" --out "$WORK/edit" --quiet
sed -i 's/^seed: 11$/seed: 12/' "$WORK/edit.yaml"
status=$("$MIGSIM" sweep status "$WORK/edit.yaml" --out "$WORK/edit")
resume_err=$("$MIGSIM" sweep run "$WORK/edit.yaml" --out "$WORK/edit" --resume --quiet 2>&1); resume_rc=$?
merge_err=$("$MIGSIM" sweep merge "$WORK/edit.yaml" --out "$WORK/edit" 2>&1); merge_rc=$?
if [[ $status == "0/8 runs done"*stale* && $resume_rc = 2 && $resume_err == *"stale): 0-7"* && $merge_rc = 2 &&
      $merge_err == *"stale): 0-7"* && ! -e $WORK/edit/migrations.csv ]]; then
    ok "spec edited between runs: status reports 8 stale runs, --resume and merge refuse (exit 2)"
else
    bad "edited spec: status '$status', resume $resume_rc '$resume_err', merge $merge_rc '$merge_err'"
fi
"$MIGSIM" sweep run "$WORK/edit.yaml" --out "$WORK/edit" --resume --rerun-stale --quiet && "$MIGSIM" sweep merge "$WORK/edit.yaml" --out "$WORK/edit" >/dev/null &&
    "$MIGSIM" sweep run "$WORK/edit.yaml" --out "$WORK/edit-ref" --quiet && "$MIGSIM" sweep merge "$WORK/edit.yaml" --out "$WORK/edit-ref" >/dev/null &&
    same "$WORK/edit-ref" "$WORK/edit" "--resume --rerun-stale after the edit" || bad "--rerun-stale"

# A full disk: a 256 KiB tmpfs (or, where mounting is not allowed, a 64 KiB
# file-size limit). The error names the OS reason, no temporary is left, and
# an existing OUT keeps the previous run's complete files.
FULL=$WORK/full; mkdir -p "$FULL"
if mount -t tmpfs -o size=256k tmpfs "$FULL" 2>/dev/null; then
    limit=() reason="No space left on device" mounted=1
else
    limit=(ulimit -f 64) reason="File too large" mounted=0
fi
full() { ( trap '' XFSZ; "${limit[@]:-true}"; exec "$MIGSIM" "$@" ); }
full run --vms 2 --quiet --out "$FULL/out" && cp -r "$FULL/out" "$WORK/full-before"
err=$(full "${RUN[@]}" --out "$FULL/out" 2>&1); rc=$?
left=$(ls -A "$FULL" | grep -c tmp)
if [ $rc = 2 ] && [[ $err == *"$reason"* ]] && [ "$left" = 0 ] && diff -r "$WORK/full-before" "$FULL/out" >/dev/null; then
    ok "migsim run on a full disk: exit 2 naming '$reason', no temporary left, the previous OUT intact"
else
    bad "migsim run on a full disk: rc $rc, '$err', $left temporaries"
fi
err=$(full sweep run "$KILL" --out "$FULL/sw" --quiet 2>&1); rc=$?
left=$(ls -A "$FULL/sw/runs" 2>/dev/null | grep -c '^\.tmp-')
[ $rc = 2 ] && [[ $err == *"$reason"* ]] && [ "$left" = 0 ] &&
    ok "sweep run on a full disk: exit 2 naming '$reason', no temporary left" || bad "sweep on a full disk: rc $rc, '$err', $left temporaries"
[ $mounted = 1 ] && umount "$FULL"

# Signals. Workers are `migsim sweep run --out=OUT ...`: count them by that argument.
workers() { pgrep -f -- "--out=$1 " | wc -l; }
"$MIGSIM" sweep run "$KILL" --out "$WORK/sigterm" --jobs 2 --quiet & pid=$!
sleep 1; before=$(workers "$WORK/sigterm"); kill -TERM "$pid"; wait "$pid"; rc=$?
sleep 0.2; after=$(workers "$WORK/sigterm"); tmps=$(ls -A "$WORK/sigterm/runs" | grep -c '^\.tmp-')
[ "$before" -ge 1 ] && [ $rc = 143 ] && [ "$after" = 0 ] && [ "$tmps" = 0 ] &&
    ok "SIGTERM to a sweep: forwarded to its $before workers, waited for, exit 143, no temporaries" ||
    bad "SIGTERM: $before workers before, rc $rc, $after after, $tmps temporaries"
setsid "$MIGSIM" sweep run "$KILL" --out "$WORK/sigint" --jobs 2 --quiet & pid=$!
sleep 1; before=$(workers "$WORK/sigint"); kill -INT -- "-$pid"; wait "$pid"; rc=$?
sleep 0.2; after=$(workers "$WORK/sigint")
[ "$before" -ge 1 ] && [ $rc = 130 ] && [ "$after" = 0 ] &&
    ok "SIGINT to the sweep's process group (Ctrl-C): $before workers stopped, exit 130" || bad "SIGINT to the group: $before before, rc $rc, $after after"
"$MIGSIM" sweep run "$KILL" --out "$WORK/sigkill" --jobs 2 --quiet & pid=$!
sleep 1; before=$(workers "$WORK/sigkill"); kill -KILL "$pid"; wait "$pid" 2>/dev/null
sleep 0.5; after=$(workers "$WORK/sigkill")
[ "$before" -ge 1 ] && [ "$after" = 0 ] && ok "SIGKILL to a sweep: its $before workers die with it (PR_SET_PDEATHSIG)" ||
    bad "SIGKILL to the parent left $after of $before workers running"
"$MIGSIM" sweep run "$KILL" --out "$WORK/sigkill" --jobs 2 --resume --quiet && "$MIGSIM" sweep merge "$KILL" --out "$WORK/sigkill" >/dev/null &&
    [ "$(ls -A "$WORK/sigkill/runs" | grep -c '^\.tmp-')" = 0 ] &&
    same "$WORK/kill-ref" "$WORK/sigkill" "signals, then --resume --jobs 2 (temporaries removed)" || bad "resume after the signals"

# A spec whose file name starts with '-', run by workers.
cp "$SPEC" "$WORK/-small.yaml"
(cd "$WORK" && "$MIGSIM" sweep run --out dash --jobs 2 --quiet -- -small.yaml && "$MIGSIM" sweep merge --out dash -- -small.yaml >/dev/null) &&
    same "$WORK/ref" "$WORK/dash" "spec named -small.yaml, --jobs 2" || bad "spec named -small.yaml with --jobs 2"

# GNU parallel.
if ! command -v parallel >/dev/null; then
    apt-get install -y -qq --no-install-recommends parallel >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends parallel >/dev/null; }
fi
if command -v parallel >/dev/null; then
    MIGSIM=$MIGSIM experiments/parallel-sweep.sh "$SPEC" "$WORK/parallel" 4 >/dev/null 2>&1 &&
        same "$WORK/ref" "$WORK/parallel" "GNU parallel, 4 shards" || bad "GNU parallel sweep failed"
else
    bad "GNU parallel could not be installed"
fi

# Slurm job array + afterok merge on a one-node cluster brought up here.
export BASE=$WORK/slurm
if Tests/scaleout/slurm-cluster.sh up >"$WORK/slurm-up.log" 2>&1; then
    export SLURM_CONF=$BASE/etc/slurm.conf
    mkdir -p "$WORK/slurm-out"
    exports="ALL,MIGSIM=$MIGSIM,SPEC=$SPEC,OUT=$WORK/slurmrun,SHARDS=4"
    jid=$(sbatch --parsable --array=0-3 --output="$WORK/slurm-out/arr_%A_%a.out" --export="$exports" experiments/slurm/sweep-array.sbatch)
    mid=$(sbatch --parsable --dependency=afterok:"$jid" --output="$WORK/slurm-out/merge_%j.out" --export="$exports" experiments/slurm/merge.sbatch)
    for _ in $(seq 600); do squeue -h -j "$jid,$mid" 2>/dev/null | grep -q . || break; sleep 0.2; done
    [ -f "$WORK/slurmrun/runs.csv" ] && same "$WORK/ref" "$WORK/slurmrun" "Slurm array (4 tasks) + afterok merge" ||
        { bad "Slurm array sweep"; cat "$WORK"/slurm-out/*.out 2>/dev/null | tail -20; }
    Tests/scaleout/slurm-cluster.sh down >/dev/null 2>&1
else
    bad "Slurm cluster did not come up"; tail -20 "$WORK/slurm-up.log"
fi

rm -rf "$WORK"
echo "scaleout: $pass passed, $fail failed"
[ "$fail" = 0 ]
