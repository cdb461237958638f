#!/usr/bin/env bash
# 09 Workload shape at the same mean write rate (issue 14): 4 VMs of 4 GiB,
# each writing 20,000 pages/s (78 MiB/s, 4 KiB pages), live-migrated one at a
# time over 1 GbE under every stop policy, with six page popularities:
# uniform, two-level (10 % of memory takes 90 % of writes), Zipf s = 0.8, 1.0,
# 1.2, and a working-set curve (experiments/09-workload-shape.csv, synthetic,
# initial slope 20,000 pages/s). Statistical fidelity, 2 min timeout, seeds 1 to 3.
# --small: 2 VMs, 3 policies (hyperv-2008r2, qemu, xen-legacy), seed 1.
# Results: <out>/<shape>/<policy>/seed<N>/{migrations,rounds,summary}.csv
#          (default <out>: results/09-workload-shape)
. "$(dirname "$0")/common.sh"
policies="hyperv-2008r2 hyperv-2012r2 qemu xen-legacy xen vmware simgrid custom" seeds="1 2 3" vms=4
[ "$SMALL" = 1 ] && policies="hyperv-2008r2 qemu xen-legacy" seeds=1 vms=2
curve=$ROOT/experiments/09-workload-shape.csv
prepare_out
shapes=(uniform two-level zipf-0.8 zipf-1.0 zipf-1.2 curve)
shape_args() {
    case $1 in
        uniform) echo "vms.popularity=uniform" ;;
        two-level) echo "vms.popularity=two-level vms.hot_set=0.1 vms.hot_write_share=0.9" ;;
        zipf-*) echo "vms.popularity=zipf(${1#zipf-})" ;;
        curve) echo "vms.working_set_curve=[$curve]" ;;
    esac
}
n=0
for shape in "${shapes[@]}"; do
    for policy in $policies; do
        for seed in $seeds; do
            sets=()
            for kv in $(shape_args "$shape") scenario.kinds=[live] vms.count=$vms vms.memory=[4GiB] vms.profiles=[web] \
                vms.dirty_rate=constant\(20000\) concurrency.per_host=1 cluster.host.nic=1Gbps migration.timeout=2min \
                migration.fidelity=statistical migration.policy=$policy; do
                sets+=(--set "$kv")
            done
            "$MIGSIM" run --quiet --seed "$seed" "${sets[@]}" --out "$OUT/$shape/$policy/seed$seed"
            n=$((n + 1))
        done
    done
done
finish "$n runs of $vms VMs (6 shapes)"
