#!/usr/bin/env bash
# Build everything and run the test suite with CTest.
#
#   ./test.sh                    release preset (build/)
#   ./test.sh --asan             AddressSanitizer + UBSan, clang-14 (build-asan/, fuzz targets too)
#   ./test.sh --tsan             ThreadSanitizer (build-tsan/)
#   ./test.sh [--asan|--tsan] -R engine --repeat until-fail:3   (extra args go to ctest)
#
# Installs the build dependencies on Debian/Ubuntu, configures the preset once,
# builds it, then runs `ctest --preset <preset> --output-on-failure -j4 ...`
# from the repository root with QT_QPA_PLATFORM=offscreen (under a sanitizer -j2 and without the
# tests labelled "lessons": the lesson texts' promises and the Python twins). Exits with ctest's
# status; ctest's summary is the last thing printed. CI=true adds -Werror.
set -euo pipefail

INTERLEAVE_ROOT="$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=cmake/deps.sh
source "$INTERLEAVE_ROOT/cmake/deps.sh"

usage() {
    sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# Sets PRESET from leading --asan/--tsan; the rest is left for ctest.
PRESET=release
parse_preset() {
    case "${1:-}" in
        --asan) PRESET=asan ;;
        --tsan) PRESET=tsan ;;
        -h | --help) usage; exit 0 ;;
        *) return 1 ;;
    esac
}

build_dir() {
    case "$1" in
        release) echo "$INTERLEAVE_ROOT/build" ;;
        *) echo "$INTERLEAVE_ROOT/build-$1" ;;
    esac
}

# The sanitizer runtimes g++ must have for PRESET (asan builds with clang-14: ensure_clang).
sanitizer_libs() {
    case "$PRESET" in
        tsan) echo libtsan.so ;;
    esac
}

# Sanitizer options (user-set options come last, so they win).
export_sanitizer_env() {
    local supp="$INTERLEAVE_ROOT/tests"
    case "$PRESET" in
        asan)
            export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
            export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
            if [[ -f "$supp/lsan.supp" ]]; then
                export LSAN_OPTIONS="suppressions=$supp/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
            fi
            ;;
        tsan)
            # die_after_fork=0: QProcess forks worker processes from a multi-threaded parent;
            # the child execs at once, so TSan's fork caveat does not apply.
            local opts="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0"
            if [[ -f "$supp/tsan.supp" ]]; then opts+=":suppressions=$supp/tsan.supp"; fi
            export TSAN_OPTIONS="$opts${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
            ;;
    esac
}

# gcc 12's sanitizers abort ("unexpected memory mapping") under the address
# randomisation of newer kernels (vm.mmap_rnd_bits > 28): run ctest without
# ASLR then, if the sandbox allows it. Sets RUNNER (a command prefix).
RUNNER=()
choose_runner() {
    [[ "$PRESET" != release ]] || return 0
    local bits
    bits="$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)"
    ((bits > 28)) || return 0
    if setarch "$(uname -m)" -R true 2>/dev/null; then
        RUNNER=(setarch "$(uname -m)" -R)
    else
        log "warning: vm.mmap_rnd_bits=$bits may crash the sanitizers; if so: sudo sysctl vm.mmap_rnd_bits=28"
    fi
}

main() {
    if parse_preset "${1:-}"; then shift; fi
    if [[ "${1:-}" == --asan || "${1:-}" == --tsan ]]; then
        die "give only one of --asan / --tsan"
    fi
    local dir libs
    dir="$(build_dir "$PRESET")"
    read -r -a libs <<<"$(sanitizer_libs)"
    ensure_deps "$dir" ${libs[@]+"${libs[@]}"}
    [[ "$PRESET" != asan ]] || ensure_clang
    configure "$PRESET" "$dir"
    cd "$INTERLEAVE_ROOT"
    cmake --build --preset "$PRESET" || die "build of preset '$PRESET' failed"
    export QT_QPA_PLATFORM=offscreen
    export_sanitizer_env
    choose_runner
    # The release suite runs four at a time: most of its long tests wait (lessons run at their own
    # pace) and every test must pass beside other work. Under a sanitizer two at a time, without
    # the tests labelled "lessons" (the lesson texts' promises and the Python twins: code the
    # other tests run, or none of ours).
    local jobs=(-j4) exclude=()
    [[ "$PRESET" == release ]] || { jobs=(-j2); exclude=(-LE lessons); }
    exec ${RUNNER[@]+"${RUNNER[@]}"} ctest --preset "$PRESET" --output-on-failure "${jobs[@]}" ${exclude[@]+"${exclude[@]}"} "$@"
}

main "$@"
