# shellcheck shell=bash
# Shared set-up for run.sh and test.sh (sourced, not run): install the build
# dependencies on Debian/Ubuntu, print install hints elsewhere, and configure a
# CMake preset. Messages go to stderr, prefixed with the calling script's name.
#
# Expects INTERLEAVE_ROOT (the repository root) to be set by the caller.
# Test hooks: INTERLEAVE_OS_RELEASE (default /etc/os-release) and
# INTERLEAVE_UNAME (default: output of `uname -s`) fake the OS detection.

# Packages needed to build and test on Debian 12; ccache is only a bonus.
# qt6-qpa-plugins (the offscreen/xcb platforms) is only a Recommends of Qt Gui,
# so it is listed explicitly for images that turn recommends off.
DEBIAN_PACKAGES=(cmake ninja-build g++ qt6-base-dev qt6-charts-dev qt6-svg-dev
                 libqt6test6 qt6-qpa-plugins libgl1-mesa-dev libbenchmark-dev libsimdjson-dev
                 xvfb xauth fonts-dejavu-core)
DEBIAN_OPTIONAL_PACKAGES=(ccache dpkg-dev desktop-file-utils appstream)
APT_UPDATED=0

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Prints "debian", "fedora", "arch", "macos" or "other".
detect_os() {
    local uname_s="${INTERLEAVE_UNAME:-$(uname -s)}"
    if [[ "$uname_s" == Darwin ]]; then echo macos; return; fi
    local release="${INTERLEAVE_OS_RELEASE:-/etc/os-release}" ids="" word
    if [[ -r "$release" ]]; then
        # shellcheck source=/dev/null
        ids="$(. "$release" && echo "${ID:-} ${ID_LIKE:-}")"
    fi
    for word in $ids; do
        case "$word" in
            debian | ubuntu) echo debian; return ;;
            fedora | rhel | centos) echo fedora; return ;;
            arch) echo arch; return ;;
        esac
    done
    echo other
}

# Prints those of the given Debian packages that are not installed.
need_packages() {
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
            echo "$pkg"
        fi
    done
}

# Runs apt-get as root: directly, via sudo, or prints the command and exits.
apt_install() {
    local cmd=(apt-get install -y "$@")
    if [[ "$(id -u)" == 0 ]]; then
        local as_root=(env DEBIAN_FRONTEND=noninteractive)
    elif command -v sudo >/dev/null; then
        local as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
    else
        die "missing packages and no sudo; as root run:
  apt-get update && DEBIAN_FRONTEND=noninteractive ${cmd[*]}"
    fi
    if [[ "$APT_UPDATED" == 0 ]]; then
        log "apt-get update"
        "${as_root[@]}" apt-get update -q >&2
        APT_UPDATED=1
    fi
    log "installing: $*"
    "${as_root[@]}" "${cmd[@]}" >&2
}

print_other_os_help() {
    log "this is not Debian/Ubuntu ($1): not installing anything; install the dependencies yourself:
  Fedora:   sudo dnf install cmake ninja-build gcc-c++ qt6-qtbase-devel qt6-qtcharts-devel qt6-qtsvg-devel google-benchmark-devel simdjson-devel
  Arch:     sudo pacman -S --needed cmake ninja gcc qt6-base qt6-charts qt6-svg benchmark simdjson
  macOS:    brew install cmake ninja qt@6 google-benchmark simdjson
If CMake cannot find Qt, export CMAKE_PREFIX_PATH=/path/to/Qt/6.x/<compiler> (Homebrew: export CMAKE_PREFIX_PATH=\"\$(brew --prefix qt@6)\")."
}

# ensure_deps BUILD_DIR [SANITIZER_LIB...]: make sure the tool chain is there.
# SANITIZER_LIB is e.g. libasan.so; its Debian package is installed when g++ lacks it.
ensure_deps() {
    local build_dir="$1"; shift
    local os; os="$(detect_os)"
    if [[ "$os" != debian ]]; then
        # Hints only until the first successful configure, so reruns stay quiet.
        is_configured "$build_dir" || print_other_os_help "$os"
        command -v cmake >/dev/null || die "cmake not found; install the packages listed above"
        return 0
    fi
    local missing
    mapfile -t missing < <(need_packages "${DEBIAN_PACKAGES[@]}")
    if ((${#missing[@]})); then
        mapfile -t -O "${#missing[@]}" missing < <(need_packages "${DEBIAN_OPTIONAL_PACKAGES[@]}")
        apt_install "${missing[@]}"
    fi
    ensure_sanitizer_runtimes "$@"
}

# g++ finds its sanitizer runtimes next to itself; install the missing ones (gcc 12 names).
ensure_sanitizer_runtimes() {
    local cxx="${CXX:-g++}" lib missing=()
    [[ "${cxx##*/}" == g++* || "${cxx##*/}" == *-g++* ]] || return 0   # not for clang
    for lib in "$@"; do
        [[ "$("$cxx" -print-file-name="$lib")" == /* ]] && continue
        case "$lib" in
            libasan.so) missing+=(libasan8) ;;
            libtsan.so) missing+=(libtsan2) ;;
            libubsan.so) missing+=(libubsan1) ;;
        esac
    done
    if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
}

# clang-14 and its runtimes (ASan, UBSan, libFuzzer): the asan preset builds with it.
ensure_clang() {
    if [[ "$(detect_os)" == debian ]]; then
        local missing
        mapfile -t missing < <(need_packages clang-14 libclang-rt-14-dev)
        if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
    fi
    command -v clang++-14 >/dev/null ||
        die "clang++-14 not found (Debian/Ubuntu: apt-get install clang-14 libclang-rt-14-dev)"
}

# A build dir is configured when CMake finished generating into it.
is_configured() {
    [[ -f "$1/CMakeCache.txt" && -f "$1/build.ninja" ]]
}

# True when BUILD_DIR must be (re)configured: never configured, or CI=true
# but the cache was made without -Werror.
needs_configure() {
    is_configured "$1" || return 0
    [[ "${CI:-}" == true ]] && ! grep -q '^INTERLEAVE_WERROR:BOOL=ON$' "$1/CMakeCache.txt"
}

# configure PRESET BUILD_DIR: run `cmake --preset` unless already done.
configure() {
    local preset="$1" build_dir="$2" args=()
    needs_configure "$build_dir" || return 0
    if [[ "${CI:-}" == true ]]; then args+=(-DINTERLEAVE_WERROR=ON); fi
    check_cmake_version
    log "configuring preset '$preset' in $build_dir"
    # ${args[@]+...}: an empty array is an error under set -u in bash 3.2 (macOS).
    (cd "$INTERLEAVE_ROOT" && cmake --preset "$preset" ${args[@]+"${args[@]}"}) >&2 ||
        die "cmake --preset $preset failed (Qt not found? export CMAKE_PREFIX_PATH=/path/to/Qt/6.x/<compiler>)"
}

# CMakePresets.json needs CMake >= 3.22 for this project.
check_cmake_version() {
    local version
    version="$(cmake --version | sed -n '1s/^cmake version \([0-9.]*\).*/\1/p')"
    local major="${version%%.*}" rest="${version#*.}"
    local minor="${rest%%.*}"
    if ((major < 3 || (major == 3 && minor < 22))); then
        die "CMake >= 3.22 is needed, found ${version:-an unknown version}"
    fi
}
