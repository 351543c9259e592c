#!/usr/bin/env bash
# Build (if needed) and start Interleave.
#
#   ./run.sh                                   open the GUI
#   ./run.sh --headless --scenario race --summary-out -
#   ./run.sh --list-scenarios | --help | --version
#
# Installs the build dependencies on Debian/Ubuntu (apt, via sudo when not
# root), configures the `release` CMake preset once, rebuilds only the
# `interleave` target, then runs build/app/interleave with all arguments, from
# the directory you called it in (so relative paths are yours). Set-up
# messages go to stderr, so stdout is the app's alone.
set -euo pipefail

INTERLEAVE_ROOT="$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
BUILD_DIR="$INTERLEAVE_ROOT/build"
# shellcheck source=cmake/deps.sh
source "$INTERLEAVE_ROOT/cmake/deps.sh"

# True when an argument asks for a mode that needs no window.
wants_no_display() {
    local arg
    for arg in "$@"; do
        case "$arg" in
            --headless | --list-scenarios | --help | -h | --version | -v) return 0 ;;
        esac
    done
    return 1
}

# True when Qt can show (or fake) a window here.
have_display() {
    [[ "${INTERLEAVE_UNAME:-$(uname -s)}" == Darwin ]] && return 0
    [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]] && return 0
    # QT_QPA_PLATFORM may be "name:options" or a ";"-separated fallback list.
    local platform platforms=()
    IFS=';' read -r -a platforms <<<"${QT_QPA_PLATFORM:-}"
    for platform in ${platforms[@]+"${platforms[@]}"}; do
        case "${platform%%:*}" in
            offscreen | minimal | minimalegl | vnc | linuxfb | eglfs | vkkhrdisplay | directfb) return 0 ;;
        esac
    done
    return 1
}

check_display() {
    wants_no_display "$@" && return 0
    have_display && return 0
    printf '%s\n' "interleave: no display found (DISPLAY and WAYLAND_DISPLAY are unset); run headless instead, e.g. ./run.sh --headless --scenario race --summary-out -  (or use xvfb-run -a ./run.sh ...)" >&2
    exit 2
}

build() {
    (cd "$INTERLEAVE_ROOT" && cmake --build --preset release --target interleave) >&2 ||
        die "build failed"
}

main() {
    check_display "$@"   # before building: no point waiting for a build that cannot be shown
    ensure_deps "$BUILD_DIR"
    configure release "$BUILD_DIR"
    build
    exec "$BUILD_DIR/app/interleave" "$@"
}

main "$@"
