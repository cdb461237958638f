#!/usr/bin/env bash
# 06 SimGrid side by side: the same live migrations in SimGrid 3.32 (its VM
# live-migration plugin, LV08 network; experiments/simgrid/driver.cpp) and in
# migsim (preset simgrid, base scenario data/validation/simgrid.yaml): 1 VM
# (link-bound, rate-capped, with latency), 2 and 8 concurrent VMs on one shared
# link, and 1 VM at dirty intensities 0 to 0.9. Fails (exit 1) when a case's
# mean migration time differs by more than 1 %. Then times 1,000, 5,000 and
# 10,000 concurrent VMs in both and prints the wall-time ratio SimGrid / migsim
# (simulation alone and whole processes); a SimGrid run that fails (it aborts
# at 10,000 VMs on a default vm.max_map_count) is reported as failed.
# CI-optional: needs libsimgrid-dev and g++ (experiments/simgrid/build.sh
# installs SimGrid through apt-get when it can); not run by .ci/run or test.sh.
# --small: intensities 0, 0.5, 0.9 only; 100 VMs for the timing.
# SCALE_VMS="1000 5000 10000" (the default) overrides the timed sizes.
# Results: <out>/comparison.csv, <out>/walltime.csv, <out>/simgrid-reference.csv (for data/validation/simgrid.csv), <out>/cases/<case>/{simgrid.csv,migsim/}
#          (default <out>: results/06-simgrid-side-by-side)
. "$(dirname "$0")/common.sh"
DRIVER=$(OUT="$ROOT/.build/simgrid-driver" experiments/simgrid/build.sh) || die "experiments/simgrid/build.sh failed"
BASE=data/validation/simgrid.yaml
TOLERANCE=0.01
PAGE=4096

# case name, VMs, memory (MiB), dirty intensity, link (bytes/s), link latency (s), migration speed (bytes/s)
cases=(
    "1vm 1 1024 0.3 125e6 0 125e6"
    "1vm-rate-capped 1 1024 0.3 125e6 0 100e6"
    "1vm-latency-1ms 1 1024 0.3 125e6 0.001 125e6"
    "2vm-shared-link 2 1024 0.05 125e6 0 125e6"
    "8vm-shared-link 8 1024 0.05 125e6 0 125e6"
)
intensities="0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9"
scale_vms=${SCALE_VMS:-1000 5000 10000}
[ "$SMALL" = 1 ] && intensities="0 0.5 0.9" scale_vms=100
for x in $intensities; do cases+=("intensity-$x 1 2048 $x 125e6 0 125e6"); done

prepare_out
echo "simgrid: $(pkg-config --modversion simgrid) ($DRIVER)" >>"$OUT/experiment.txt"

# migsim_args VMS MEM INTENSITY LINK LATENCY SPEED: the --set options for one case.
# Dirty rate in pages/s = speed x intensity / page size; latency x 13.01 (LV08).
migsim_args() {
    awk -v n="$1" -v mem="$2" -v x="$3" -v bw="$4" -v lat="$5" -v sp="$6" -v page=$PAGE 'BEGIN {
        printf "--set vms.count=%d --set vms.memory=[%dMiB] --set vms.dirty_rate=%.17g ", n, mem, sp * x / page
        printf "--set cluster.host.nic=%.17gB/s --set cluster.round_latency=%.17gs --set migration.rate_limit=%.17gB/s", bw, 13.01 * lat, sp
    }'
}

# column FILE NAME: mean, over the rows, of column NAME of a CSV file.
column_mean() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
        { s += $c; n++ } END { if (n == 0 || c == 0) exit 1; printf "%.9f", s / n }' "$1"
}

cmp=$OUT/comparison.csv
# The SimGrid results in the form of data/validation/simgrid.csv (the "simgrid"
# verification cases of `migsim validate`); copy it there to refresh them.
ref=$OUT/simgrid-reference.csv
echo "case,settings,simgrid_total_time_s,simgrid_downtime_s,tolerance,source" >"$ref"
sgversion=$(pkg-config --modversion simgrid)
echo "case,vms,memory_mib,dp_intensity,link_bps,latency_s,mig_speed_bps,simgrid_s,migsim_s,rel_error,tolerance,pass,simgrid_downtime_s,migsim_downtime_s,simgrid_rounds,migsim_rounds" >"$cmp"
failed=0
for c in "${cases[@]}"; do
    read -r name n mem x bw lat sp <<<"$c"
    dir=$OUT/cases/$name
    mkdir -p "$dir"
    "$DRIVER" --vms "$n" --memory-mib "$mem" --intensity "$x" --link-bps "$bw" --latency "$lat" --mig-speed "$sp" \
        --out "$dir/simgrid.csv" 2>/dev/null
    # shellcheck disable=SC2046
    "$MIGSIM" run "$BASE" --quiet --out "$dir/migsim" $(migsim_args "$n" "$mem" "$x" "$bw" "$lat" "$sp")
    sg=$(column_mean "$dir/simgrid.csv" total_time_s) ms=$(column_mean "$dir/migsim/migrations.csv" total_time_s)
    sgd=$(column_mean "$dir/simgrid.csv" downtime_s) msd=$(column_mean "$dir/migsim/migrations.csv" downtime_s)
    sgr=$(column_mean "$dir/simgrid.csv" rounds) msr=$(column_mean "$dir/migsim/migrations.csv" rounds)
    line=$(awk -v sg="$sg" -v ms="$ms" -v tol=$TOLERANCE 'BEGIN {
        e = (ms - sg) / sg; if (e < 0) e = -e
        printf "%.3e,%s,%s", e, tol, (e <= tol ? "true" : "false") }')
    case $line in *,false) failed=$((failed + 1)) ;; esac
    settings=$(migsim_args "$n" "$mem" "$x" "$bw" "$lat" "$sp" | sed 's/--set //g; s/ *$//; s/ /;/g')
    printf '%s,"%s",%s,%s,%s,"SimGrid %s (Debian libsimgrid-dev), VM live-migration plugin, experiments/simgrid/driver.cpp; mean of %s migration(s), written by experiments/06-simgrid-side-by-side.sh on %s"\n' \
        "$name" "$settings" "$sg" "$sgd" "$TOLERANCE" "$sgversion" "$n" "$(date -u +%Y-%m-%d)" >>"$ref"
    printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%.0f,%.0f\n' "$name" "$n" "$mem" "$x" "$bw" "$lat" "$sp" "$sg" "$ms" \
        "$line" "$sgd" "$msd" "$sgr" "$msr" >>"$cmp"
done

echo
echo "Mean migration time (total_time_s), SimGrid 3.32 vs migsim (preset simgrid), tolerance $TOLERANCE:"
awk -F, 'NR == 1 { printf "%-22s %4s %10s %10s %12s %12s %9s %6s\n", "case", "vms", "intensity", "simgrid s", "migsim s", "rel error", "rounds", "pass"; next }
    { printf "%-22s %4s %10s %10.3f %12.3f %12s %4s/%-4s %6s\n", $1, $2, $4, $8, $9, $10, $15, $16, $12 }' "$cmp"

# Timing: N concurrent VMs of 1 GiB sharing the link, for each N of
# $scale_vms; dp intensity 0.5 / N keeps each VM's dirty rate at half of its
# fair share of the link (0.0005 at 1,000 VMs; about 20 rounds each). Two
# measures: the simulation alone (SimGrid's Engine::run, printed by the
# driver; migsim's run.json wall_time_s) and whole processes (start-up,
# platform and CSV writing included; migsim without rounds.csv, which the
# driver does not write). Best of 3 (SimGrid once at 10,000 VMs and more).
# Clock readings: bash's EPOCHREALTIME (5.0 and later), read without a
# subprocess, so no fork of `date` falls inside a timed span (a millisecond
# or two: noise on SimGrid's seconds, a twentieth of migsim's tens of ms).
if [ -n "${EPOCHREALTIME:-}" ]; then
    now_into() { printf -v "$1" '%s' "${EPOCHREALTIME/,/.}"; }
else
    now_into() { printf -v "$1" '%s' "$(date +%s.%N)"; }
fi
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
wall=$OUT/walltime.csv
echo "vms,dp_intensity,simgrid_sim_wall_s,migsim_sim_wall_s,sim_ratio_simgrid_over_migsim,simgrid_process_wall_s,migsim_process_wall_s,process_ratio_simgrid_over_migsim,simgrid_s,migsim_s,rel_error,simgrid_status" >"$wall"
for n in $scale_vms; do
    x=$(awk -v n="$n" 'BEGIN { printf "%.17g", 0.5 / n }')
    read -r mem bw lat sp <<<"1024 125e6 0 125e6"
    dir=$OUT/cases/scale-$n
    mkdir -p "$dir"
    w1="" w2="" sim_sg="" sim_ms="" status=ok
    tries=3
    [ "$n" -ge 10000 ] && tries=1
    for ((i = 0; i < tries; i++)); do
        now_into t0
        if ! "$DRIVER" --vms "$n" --memory-mib "$mem" --intensity "$x" --link-bps "$bw" --latency "$lat" --mig-speed "$sp" \
            --out "$dir/simgrid.csv" 2>"$dir/simgrid.stderr"; then
            # SimGrid's own message, e.g. "Failed to protect stack: Cannot allocate memory." (vm.max_map_count).
            why=$(sed -n 's/.*CRITICAL\] //p' "$dir/simgrid.stderr" | head -1 | tr ',' ';' || true)
            status="failed: ${why:-exit status $? (see cases/scale-$n/simgrid.stderr)}"
            break
        fi
        now_into t1
        w1=$(min "$w1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
        sim_sg=$(min "$sim_sg" "$(awk '$1 == "wall_s" { print $2 }' "$dir/simgrid.stderr")")
    done
    args=$(migsim_args "$n" "$mem" "$x" "$bw" "$lat" "$sp")  # outside the timed span, as the driver's
    for _ in 1 2 3; do
        now_into t1
        # shellcheck disable=SC2086
        "$MIGSIM" run "$BASE" --quiet --out "$dir/migsim" --set output.rounds=false --set concurrency.per_host="$n" $args
        now_into t2
        w2=$(min "$w2" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')")
        sim_ms=$(min "$sim_ms" "$(sed -n 's/.*"wall_time_s": *\([0-9.eE+-]*\).*/\1/p' "$dir/migsim/run.json")")
    done
    ms=$(column_mean "$dir/migsim/migrations.csv" total_time_s)
    if [ "$status" = ok ]; then
        sg=$(column_mean "$dir/simgrid.csv" total_time_s)
        awk -v n="$n" -v x="$x" -v w1="$w1" -v w2="$w2" -v s1="$sim_sg" -v s2="$sim_ms" -v sg="$sg" -v ms="$ms" 'BEGIN {
            e = (ms - sg) / sg; if (e < 0) e = -e
            printf "%d,%s,%.3f,%.3f,%.2f,%.3f,%.3f,%.2f,%s,%s,%.3e,ok\n", n, x, s1, s2, s1 / s2, w1, w2, w1 / w2, sg, ms, e
        }' >>"$wall"
    else
        printf '%d,%s,,%.3f,,,%.3f,,,%s,,%s\n' "$n" "$x" "$sim_ms" "$w2" "$ms" "$status" >>"$wall"
    fi
done
echo
echo "Wall time SimGrid / migsim, VMs of 1 GiB at once on the link (best of 3):"
awk -F, 'NR == 1 { next }
    $12 == "ok" { printf "  %6d VMs: simulation %.3f s / %.3f s = %.1f; whole process %.3f s / %.3f s = %.1f (mean migration %.3f s vs %.3f s, rel error %s)\n", $1, $3, $4, $5, $6, $7, $8, $9, $10, $11; next }
    { printf "  %6d VMs: SimGrid %s; migsim %.3f s simulation, %.3f s whole process\n", $1, $12, $4, $7 }' "$wall"

finish "$(( ${#cases[@]} )) cases, $failed outside $TOLERANCE; timing at $scale_vms VMs"
[ "$failed" = 0 ] || die "$failed case(s) differ by more than $TOLERANCE (see $cmp)"
