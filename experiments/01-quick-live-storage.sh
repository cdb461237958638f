#!/usr/bin/env bash
# Headline: quick vs live vs storage migration on the same 40 VMs, draining one
# host over 10 GbE and over 1 GbE, five seeds (--small: 10 GbE, two seeds, 10 VMs).
# Results: $RESULTS/01-quick-live-storage/{10,1}gbps/seed<N>/*.csv
. "$(dirname "$0")/common.sh"
links="10 1" seeds="1 2 3 4 5" vms=40
[ $SMALL = 1 ] && links=10 seeds="1 2" vms=10
for link in $links; do
    for seed in $seeds; do
        "$MIGSIM" run --quiet --seed "$seed" --link-gbps "$link" --vms "$vms" --kinds live,quick,storage \
            --out "$RESULTS/01-quick-live-storage/${link}gbps/seed${seed}"
    done
done
echo "results in $RESULTS/01-quick-live-storage/"
