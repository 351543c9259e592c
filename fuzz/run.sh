#!/usr/bin/env bash
# Build the libFuzzer targets (clang-14, ASan + UBSan, in build-asan/: the asan preset's build,
# which ./test.sh --asan shares) and fuzz each for a while.
#
#   fuzz/run.sh                  60 s per target
#   fuzz/run.sh 600              a longer campaign: 10 minutes per target
#   fuzz/run.sh 30 -- -jobs=2    extra arguments after -- go to every libFuzzer run
#   FUZZ_TARGETS="fuzz_sessionfile" fuzz/run.sh 120     only some targets
#
# Each target starts from its seeds in fuzz/corpus/<name>/ (read only) and keeps what it finds
# in build-asan/corpus/<name>/, so later runs continue from there. A crash, leak, timeout or
# failed check leaves its input in build-asan/artifacts/<name>/ and makes this script exit 1;
# replay it with: build-asan/fuzz/<name> build-asan/artifacts/<name>/crash-...
# Prints one line per target: executions, executions per second, corpus size, coverage, result.
set -euo pipefail

INTERLEAVE_ROOT="$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
# shellcheck source=cmake/deps.sh
source "$INTERLEAVE_ROOT/cmake/deps.sh"

usage() {
    sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

SECONDS_PER_TARGET=60
EXTRA=()
while (($#)); do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --) shift; EXTRA=("$@"); break ;;
        *[!0-9]* | '') die "seconds per target must be a whole number, not '$1'" ;;
        *) SECONDS_PER_TARGET="$1"; shift ;;
    esac
done

BUILD="$INTERLEAVE_ROOT/build-asan"
read -r -a TARGETS <<<"${FUZZ_TARGETS:-fuzz_chromeimport fuzz_sessionfile fuzz_commandline fuzz_openwindow}"

# The tool chain: the project's build dependencies, plus clang-14 and its libFuzzer runtime.
setup() {
    ensure_deps "$BUILD"
    ensure_clang
    configure asan "$BUILD"
    (cd "$INTERLEAVE_ROOT" && cmake --build --preset fuzz) || die "build of the fuzz targets failed"
}

# fuzz_one NAME: runs one target; prints its line; returns libFuzzer's status.
fuzz_one() {
    local name="$1"
    local exe="$BUILD/fuzz/$name" seeds="$INTERLEAVE_ROOT/fuzz/corpus/${name#fuzz_}"
    local corpus="$BUILD/corpus/$name" artifacts="$BUILD/artifacts/$name" log="$BUILD/logs/$name.log"
    local dict="$INTERLEAVE_ROOT/fuzz/${name#fuzz_}.dict"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    local args=(-max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=65536
                -print_final_stats=1 -artifact_prefix="$artifacts/")
    [[ -f "$dict" ]] && args+=(-dict="$dict")
    local status=0 start=$SECONDS
    touch "$log.start" # artifacts newer than this are this run's
    # System libraries' own leaks (fuzz/lsan.supp says which and why); a user's options win.
    LSAN_OPTIONS="suppressions=$INTERLEAVE_ROOT/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
        "$exe" "${args[@]}" ${EXTRA[@]+"${EXTRA[@]}"} "$corpus" "$seeds" >"$log" 2>&1 || status=$?
    local elapsed=$((SECONDS - start))
    local execs rate done_line cov corp
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    done_line="$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)"
    cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")"
    corp="$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$done_line")"
    # -fork=N prints its own status lines: "#N: cov: C ft: F corp: K exec/s R ...".
    local fork_line
    fork_line="$(grep -E '^#[0-9]+: cov:' "$log" | tail -1 || true)"
    if [[ -z "$execs" && -n "$fork_line" ]]; then
        execs="$(sed -n 's/^#\([0-9]*\):.*/\1/p' <<<"$fork_line")"
        rate="$(sed -n 's/.* exec\/s \([0-9]*\).*/\1/p' <<<"$fork_line")"
        cov="$(sed -n 's/^#[0-9]*: cov: \([0-9]*\).*/\1/p' <<<"$fork_line")"
        corp="$(sed -n 's/.* corp: \([0-9]*\) .*/\1/p' <<<"$fork_line")"
    fi
    local result=ok
    if ((status != 0)); then
        result="FAILED (exit $status): $(grep -m1 -E '^==[0-9]+==ERROR|^SUMMARY|fuzz check failed|deadly signal|Timeout|out-of-memory' "$log" || echo "see $log")"
    fi
    printf '%-18s %5ss  %12s execs  %8s/s  corpus %-12s cov %-6s %s\n' \
        "$name" "$elapsed" "${execs:-?}" "${rate:-?}" "${corp:-?}" "${cov:-?}" "$result"
    if ((status != 0)); then
        find "$artifacts" -type f -newer "$log.start" -printf "    artifact: %p\n" >&2
        log "log: $log"
    fi
    return "$status"
}

# Targets run side by side, one per core (each libFuzzer run is single-threaded): the same fuzzing
# time per target in a fraction of CI's wall time. Each target's line is printed in list order.
main() {
    setup
    local name
    for name in "${TARGETS[@]}"; do
        [[ -x "$BUILD/fuzz/$name" ]] || die "no fuzz target '$name' in $BUILD/fuzz"
    done
    local jobs
    jobs="$(nproc 2>/dev/null || echo 1)"
    log "fuzzing ${#TARGETS[@]} target(s) for ${SECONDS_PER_TARGET} s each, $jobs at a time"
    local out="$BUILD/logs/lines"
    mkdir -p "$out"
    local -a pids=()
    local i
    for i in "${!TARGETS[@]}"; do
        while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
        fuzz_one "${TARGETS[$i]}" >"$out/$i" 2>&1 &
        pids[i]=$!
    done
    local failed=0
    for i in "${!TARGETS[@]}"; do
        wait "${pids[i]}" || failed=1
        cat "$out/$i"
    done
    exit "$failed"
}

main
