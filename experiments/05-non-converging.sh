#!/usr/bin/env bash
# Stop-policy comparison under a non-converging, memory-bound workload
# (MMuncher-like: ~60,000 pages/s over half of memory).
# Sweep: experiments/05-non-converging.yaml. Results: $RESULTS/05-non-converging/
. "$(dirname "$0")/common.sh"
sweep 05-non-converging
