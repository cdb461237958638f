#!/usr/bin/env bash
# 10 Scheduling order on a mass evacuation: hosts 0 and 1 of 8 emptied at
# once (80 VMs, live, 2 migrations per host), for every scenario.order, over
# 1 and 10 Gbit/s (sweep: 6 orders x 2 links x 5 replications = 60 runs).
# See 10-scheduling-order.yaml.
# --small: 10-scheduling-order-small.yaml (20 VMs, 10 Gbit/s, 1 replication).
# Results: <out>/{migrations,rounds,summary,runs}.csv, spec.yaml, runs/<id>/
#          (default <out>: results/10-scheduling-order)
. "$(dirname "$0")/common.sh"
sweep
