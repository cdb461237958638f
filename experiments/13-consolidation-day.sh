#!/usr/bin/env bash
# 13 Consolidation over a simulated day: pack 48 VMs from 8 hosts onto 5 or 4
# (or none), optionally switch the emptied hosts off, and cost the day: host
# energy saved against SLATAH, PDM, SLAV and downtime-budget breaches, by kind
# (sweep: 3 kinds x 2 x 3 plans x 2 replications = 36 one-day runs).
# See 13-consolidation-day.yaml.
# --small: 13-consolidation-day-small.yaml (2 h, live and quick, 2 plans, 1 replication).
# Results: <out>/{migrations,rounds,summary,runs}.csv, spec.yaml, runs/<id>/
#          (default <out>: results/13-consolidation-day)
. "$(dirname "$0")/common.sh"
sweep
