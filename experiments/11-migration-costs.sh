#!/usr/bin/env bash
# 11 The cost of migration beyond downtime under PRO balancing: host energy,
# SLATAH, PDM, SLAV and degradation by kind, policy and whether empty hosts
# are switched off (sweep: 3 kinds x 3 policies x 2 x 3 replications = 54
# one-hour runs). See 11-migration-costs.yaml.
# --small: 11-migration-costs-small.yaml (10 min, 2 kinds, 1 policy, 1 replication).
# Results: <out>/{migrations,rounds,summary,runs}.csv, spec.yaml, runs/<id>/
#          (default <out>: results/11-migration-costs)
. "$(dirname "$0")/common.sh"
sweep
