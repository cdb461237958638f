#!/usr/bin/env bash
# 05 Stop-policy comparison under a non-converging, memory-bound workload
# (MMuncher-like: 60,000 page writes/s over half of memory, faster than 1 GbE
# can send; sweep: 8 policies x 3 link speeds x 3 replications = 72 runs of 8
# VMs). See 05-non-converging.yaml.
# --small: 05-non-converging-small.yaml (1 and 2.5 Gbit/s, 2 VMs, 1 replication, 2 min timeout).
# Results: <out>/{migrations,rounds,summary,runs}.csv, spec.yaml, runs/<id>/
#          (default <out>: results/05-non-converging)
. "$(dirname "$0")/common.sh"
sweep
