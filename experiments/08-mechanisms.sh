#!/usr/bin/env bash
# 08 Mechanism ablation: downtime, total time and bytes with each real-system
# mechanism (uncapped stop-and-copy, zero pages, skipping re-dirtied pages)
# on and off, for qemu, xen-legacy and hyperv-2012r2 (sweep: 3 presets x
# 3 links x 5 dirty rates x 8 combinations x 2 replications = 720 runs of
# 4 VMs). See 08-mechanisms.yaml.
# --small: 08-mechanisms-small.yaml (2 presets, 1 link, 2 rates, 1 VM, 1 replication).
# Results: <out>/{migrations,rounds,summary,runs}.csv, spec.yaml, runs/<id>/
#          (default <out>: results/08-mechanisms)
. "$(dirname "$0")/common.sh"
sweep
