#!/usr/bin/env bash
# Downtime and total time against dirty rate and bandwidth, for each stop policy.
# Sweep: experiments/02-policies-dirty-rate.yaml. Results: $RESULTS/02-policies-dirty-rate/
. "$(dirname "$0")/common.sh"
sweep 02-policies-dirty-rate
