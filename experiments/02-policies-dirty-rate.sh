#!/usr/bin/env bash
# 02 Downtime and total migration time against dirty rate and link speed, for
# each stop policy (sweep: 10 policies x 3 link speeds x 9 dirty rates x 3
# replications = 810 runs of 8 VMs). See 02-policies-dirty-rate.yaml.
# --small: 02-policies-dirty-rate-small.yaml (2 rates, 2 links, 2 VMs, 1 replication).
# Results: <out>/{migrations,rounds,summary,runs}.csv, spec.yaml, runs/<id>/
#          (default <out>: results/02-policies-dirty-rate)
. "$(dirname "$0")/common.sh"
sweep
