#!/usr/bin/env bash
# Host drain time against the per-host concurrency limit and link speed.
# Sweep: experiments/03-drain-concurrency.yaml. Results: $RESULTS/03-drain-concurrency/
. "$(dirname "$0")/common.sh"
sweep 03-drain-concurrency
