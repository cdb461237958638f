#!/usr/bin/env bash
# Builds the SimGrid side-by-side driver (driver.cpp) into $OUT (default
# .build/simgrid-driver under the repository root). Installs Debian's
# libsimgrid-dev (3.32) when pkg-config cannot find SimGrid: directly as root,
# through sudo -n otherwise. Not part of the Swift package and not run by CI.
# Prints the path of the binary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${OUT:-$root/.build/simgrid-driver}

if ! pkg-config --exists simgrid 2>/dev/null; then
    echo "build.sh: installing libsimgrid-dev (SimGrid 3.32)" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y libsimgrid-dev >&2 || { apt-get update >&2 && apt-get install -y libsimgrid-dev >&2; }
    elif sudo -n true 2>/dev/null; then
        sudo -n apt-get install -y libsimgrid-dev >&2 || { sudo -n apt-get update >&2 && sudo -n apt-get install -y libsimgrid-dev >&2; }
    else
        echo "build.sh: SimGrid not found; run: sudo apt-get install libsimgrid-dev" >&2
        exit 1
    fi
fi
command -v g++ >/dev/null || { echo "build.sh: g++ not found; run: sudo apt-get install g++" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
if [ ! -x "$out" ] || [ "$here/driver.cpp" -nt "$out" ]; then
    # shellcheck disable=SC2046
    g++ -std=c++17 -O2 -Wall -Wextra -o "$out" "$here/driver.cpp" $(pkg-config --cflags --libs simgrid)
fi
echo "$out"
