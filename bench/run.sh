#!/usr/bin/env bash
# Build the benchmarks (Release, in build-bench/), run every one and print one table of the
# targets of DESIGN.md section 8: target, measured figure, ratio to the target (>= 1 is met) and
# pass / short. Each program prints its own detailed table first.
#
#   bench/run.sh                 the whole suite (P2 records for 30 s, P6 for 10 s, P7 for 150 s: about 9 minutes)
#   bench/run.sh --quick         shorter runs (P2 5 s, P6 5 s, 1 repetition of P1, 50 MB for P9)
#
# Build messages go to stderr, so stdout is the benchmarks' alone. Exit status: 0 when every
# benchmark ran (whether or not the targets are met: the table says), 1 when one failed to
# measure, 2 when the benchmarks cannot be built (e.g. Google Benchmark is not installed).
# INTERLEAVE_BENCH_BUILD_DIR overrides the build directory.
set -euo pipefail

ROOT="$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
BUILD_DIR="${INTERLEAVE_BENCH_BUILD_DIR:-$ROOT/build-bench}"
TARGETS=(bench_recording bench_instructions bench_kernelstates bench_pipeline bench_lessons bench_view bench_runtime bench_memory bench_import bench_python)

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
    cmake --build "$BUILD_DIR" --target help 2>/dev/null | grep -qw bench_recording
}

# P1 in instructions per record(), under callgrind (when valgrind is installed): the difference
# between two runs of different lengths, so start-up cancels out.
instructions() {
    if ! command -v valgrind >/dev/null 2>&1; then
        printf '\n(valgrind is not installed: no instruction count for P1; apt-get install valgrind)\n'
        return
    fi
    local mode n ir=() line=""
    printf '\n######## bench_instructions under callgrind\n'
    for mode in "" --no-clock; do
        ir=()
        for n in 100000 200000; do
            ir+=("$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BUILD_DIR/bench/bench_instructions" "$n" \
                ${mode:+"$mode"} 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')")
        done
        if [[ -n "${ir[0]}" && -n "${ir[1]}" ]]; then
            local per=$(((ir[1] - ir[0]) / 100000))
            printf 'record()%s: %s instructions per event\n' "${mode:+ with the timestamp given}" "$per"
            [[ -z "$mode" ]] && line="RESULT P1i | instructions per record(), clock read included (callgrind) | $per instr | (no target; for comparison) | - | info"
        fi
    done
    results+="$line"$'\n'
}

main() {
    local quick=0
    if [[ "${1:-}" == --quick ]]; then quick=1; shift; fi
    command -v cmake >/dev/null 2>&1 || die 2 "cmake is not installed"
    configure
    if ! have_bench_target; then
        die 2 "Google Benchmark was not found, so the benchmarks cannot be built.
Install it (Debian/Ubuntu: sudo apt-get install libbenchmark-dev; Fedora: google-benchmark-devel;
macOS: brew install google-benchmark), then run bench/run.sh again."
    fi
    cmake --build "$BUILD_DIR" --target "${TARGETS[@]}" >&2 || die 2 "the build of the benchmarks failed (see above)"

    export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
    local out status=0 results=""
    local bin="$BUILD_DIR/bench"
    run() {
        local name=$1
        shift
        printf '\n######## %s %s (load before: %s)\n' "$name" "$*" "$(cut -d' ' -f1-3 /proc/loadavg)"
        local code=0
        out="$("$bin/$name" "$@" 2>&1)" || code=$?
        if ((code != 0)); then
            status=1
            printf 'bench/run.sh: %s failed (exit status %s)\n' "$name" "$code" >&2
        fi
        printf '%s\n' "$out" | grep -v '^RESULT ' || true
        results+="$(printf '%s\n' "$out" | grep '^RESULT ' || true)"$'\n'
    }
    local load_start
    load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
    instructions
    if ((quick)); then
        run bench_recording --benchmark_repetitions=1
        run bench_kernelstates 3
        run bench_pipeline --seconds 5
        run bench_lessons --quick
        run bench_view
        run bench_runtime --seconds 5
        run bench_memory --seconds 20
        run bench_import 50
        run bench_python 1
    else
        run bench_recording --benchmark_repetitions=5 --benchmark_display_aggregates_only=true
        run bench_kernelstates 7
        run bench_pipeline --seconds 30
        run bench_lessons
        run bench_view
        run bench_runtime --seconds 10
        run bench_memory --seconds 150 # the store's vectors fill their caps over about a minute at this rate
        run bench_import 200
        run bench_python 3
    fi

    printf '\n==== DESIGN.md section 8: every target, measured in this run (%s, %s CPUs, load at the start %s, at the end %s) ====\n' \
        "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf '| # | what | measured | target | ratio (>= 1 met) | verdict |\n|---|---|---|---|---|---|\n'
    printf '%s' "$results" | sed -n 's/^RESULT \(.*\)$/| \1 |/p'
    return "$status"
}

main "$@"
