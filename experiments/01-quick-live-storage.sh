#!/usr/bin/env bash
# 01 Headline: quick vs live vs storage migration on the same VMs and random
# numbers, draining host 0 of the built-in 8-host cluster (40 VMs of 2, 4 and
# 8 GiB; idle, web and database workloads; 2 migrations per host at once) over
# 10 GbE and over 1 GbE, seeds 1 to 5. Uses `migsim run`.
# --small: 12 VMs, seed 1 only (both link speeds).
# Results: <out>/{10,1}gbps/seed<N>/{migrations,rounds,summary}.csv and run.json
#          (default <out>: results/01-quick-live-storage)
. "$(dirname "$0")/common.sh"
links="10 1" seeds="1 2 3 4 5" vms=40
[ "$SMALL" = 1 ] && seeds=1 vms=12
prepare_out
n=0
for link in $links; do
    for seed in $seeds; do
        "$MIGSIM" run --quiet --seed "$seed" --link-gbps "$link" --vms "$vms" --kinds live,quick,storage \
            --out "$OUT/${link}gbps/seed${seed}"
        n=$((n + 1))
    done
done
finish "$n runs of $vms VMs x 3 kinds"
