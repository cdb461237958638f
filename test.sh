#!/usr/bin/env bash
# Runs the whole test suite (XCTest). The last lines are XCTest's summary.
set -euo pipefail
cd "$(dirname "$0")"
. .ci/ensure-deps.sh
exec swift test --disable-swift-testing "$@"
