#!/usr/bin/env bash
# 03 Host drain time against the per-host concurrency limit and the link speed
# (sweep: 2 stop policies x 4 link speeds x 8 limits x 5 replications = 320
# drains of the built-in 40-VM host). See 03-drain-concurrency.yaml.
# --small: 03-drain-concurrency-small.yaml (2 links, 2 limits, 10 VMs, 1 replication).
# Results: <out>/{migrations,rounds,summary,runs}.csv, spec.yaml, runs/<id>/
#          (default <out>: results/03-drain-concurrency)
. "$(dirname "$0")/common.sh"
sweep
