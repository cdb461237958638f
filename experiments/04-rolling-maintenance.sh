#!/usr/bin/env bash
# Rolling maintenance of a 1,000-VM cluster (51 hosts, host 0 a spare), with
# link and host time series every 60 s (--small: 100 VMs on 11 hosts).
# Results: $RESULTS/04-rolling-maintenance/*.csv
. "$(dirname "$0")/common.sh"
args=(--scenario rolling --time-series 60)
[ $SMALL = 1 ] && args+=(--set cluster.hosts=11 --vms 100)
"$MIGSIM" run --quiet "${args[@]}" --out "$RESULTS/04-rolling-maintenance"
echo "results in $RESULTS/04-rolling-maintenance/"
