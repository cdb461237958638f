#!/usr/bin/env bash
# Headline experiment: quick vs live vs storage migration on the same 40 VMs,
# draining one host over 10 GbE and over 1 GbE, for five seeds.
# Results: results/01-quick-live-storage/<link>/seed<N>/{migrations,rounds,summary}.csv
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/ensure-deps.sh
swift build -c release --product migsim >/dev/null
for link in 10 1; do
    for seed in 1 2 3 4 5; do
        .build/release/migsim run --quiet --seed "$seed" --link-gbps "$link" --kinds live,quick,storage \
            --out "results/01-quick-live-storage/${link}gbps/seed${seed}"
    done
done
echo "results in results/01-quick-live-storage/"
