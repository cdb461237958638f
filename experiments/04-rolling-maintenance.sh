#!/usr/bin/env bash
# 04 Rolling maintenance of a 1,000-VM cluster (`migsim run --scenario rolling`):
# 1,000 VMs on hosts 1 to 50, host 0 an empty spare; every host is drained in
# turn, updated and brought back, so every VM moves exactly once (live
# migration, hyperv-2008r2 stop policy, 2 migrations per host at once). Over
# 10 GbE and over 1 GbE, seeds 1 to 3, with links.csv/hosts.csv sampled every 60 s.
# --small: 100 VMs on 6 hosts, seed 1 only (both link speeds).
# Results: <out>/{10,1}gbps/seed<N>/{migrations,rounds,summary,links,hosts}.csv and run.json
#          (default <out>: results/04-rolling-maintenance)
. "$(dirname "$0")/common.sh"
links="10 1" seeds="1 2 3" size=()
[ "$SMALL" = 1 ] && seeds=1 size=(--vms 100 --set cluster.hosts=6)
prepare_out
n=0
for link in $links; do
    for seed in $seeds; do
        "$MIGSIM" run --quiet --scenario rolling --time-series 60 --seed "$seed" --link-gbps "$link" ${size[@]+"${size[@]}"} \
            --out "$OUT/${link}gbps/seed${seed}"
        n=$((n + 1))
    done
done
finish "$n rolling-maintenance runs"
