#!/usr/bin/env bash
# Builds the DocC documentation of the library products a researcher imports
# (MigsimModel with its catalogue Sources/MigsimModel/MigsimModel.docc,
# MigsimConfig, MigsimOutput) with warnings as errors, so a broken symbol link
# in a doc comment fails CI. Needs the swift-docc-plugin package (Package.swift)
# and the toolchain's docc. Prints each target's archive, or the log on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in MigsimModel MigsimConfig MigsimOutput; do
    start=$(date +%s)
    if ! swift package generate-documentation --target "$target" --warnings-as-errors >"$log" 2>&1; then
        grep -vE '^\[[0-9]+/[0-9]+\]' "$log" >&2
        echo "docs: $target: DocC failed (above)" >&2
        exit 1
    fi
    echo "docs: $target: no warnings, $(( $(date +%s) - start )) s, .build/plugins/Swift-DocC/outputs/$target.doccarchive"
done
