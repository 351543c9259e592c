#!/usr/bin/env bash
# Build the benchmarks (Release, in build-bench/) and run bench_recording, which prints Google
# Benchmark's table and then the P1 table (DESIGN.md section 8) with its ratios.
#
#   bench/run.sh                                  5 repetitions; the P1 table uses the medians
#   bench/run.sh --benchmark_filter='Record|Clock'   any Google Benchmark flags (they replace
#                                                    the default repetition flags)
#
# Build messages go to stderr, so stdout is the benchmark's alone. Exit status: 0 when the
# benchmarks ran (whether or not the targets are met; the table says), 1 when a figure could not
# be measured (a benchmark failed, or a recording benchmark overflowed its ring), 2 when the
# benchmarks cannot be built (e.g. Google Benchmark is not installed).
# INTERLEAVE_BENCH_BUILD_DIR overrides the build directory.
set -euo pipefail

ROOT="$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
BUILD_DIR="${INTERLEAVE_BENCH_BUILD_DIR:-$ROOT/build-bench}"
TARGET=bench_recording

die() {
    local code=$1
    shift
    printf 'bench/run.sh: %s\n' "$*" >&2
    exit "$code"
}

configure() {
    local args=(-S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
                -DINTERLEAVE_BUILD_TESTS=OFF -DINTERLEAVE_BUILD_BENCH=ON)
    # The generator can only be chosen when the build directory is new.
    if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]] && command -v ninja >/dev/null 2>&1; then
        args+=(-G Ninja)
    fi
    cmake "${args[@]}" >&2 || die 2 "cmake could not configure $BUILD_DIR (see above)"
}

# The root CMakeLists adds bench/ only when find_package(benchmark) succeeded.
have_bench_target() {
    cmake --build "$BUILD_DIR" --target help 2>/dev/null | grep -qw "$TARGET"
}

main() {
    command -v cmake >/dev/null 2>&1 || die 2 "cmake is not installed"
    configure
    if ! have_bench_target; then
        die 2 "Google Benchmark was not found, so the benchmarks cannot be built.
Install it (Debian/Ubuntu: sudo apt-get install libbenchmark-dev; Fedora: google-benchmark-devel;
macOS: brew install google-benchmark), then run bench/run.sh again."
    fi
    cmake --build "$BUILD_DIR" --target "$TARGET" >&2 || die 2 "the build of $TARGET failed (see above)"

    if [[ $# -eq 0 ]]; then
        set -- --benchmark_repetitions=5 --benchmark_display_aggregates_only=true
    fi
    "$BUILD_DIR/bench/$TARGET" "$@"
}

main "$@"
