#!/usr/bin/env bash
# check-deb.sh BUILD_DIR: builds the .deb of a configured and built tree with CPack, checks what is
# inside, runs the packaged binary, and (as root with CI=true or INTERLEAVE_TEST_DEB_INSTALL=1)
# installs it with apt-get, runs it and removes it again. Registered as the CTest test
# `package_deb` by packaging/CMakeLists.txt. Exit 0 pass, 1 fail (one line saying why), 77 skip.
# CPACK may name the cpack to use (CTest passes the one that belongs to the configuring cmake).
set -euo pipefail

APP_ID=org.interleave.Interleave
PACKAGE=interleave

fail() { printf 'check-deb: FAIL: %s\n' "$*" >&2; exit 1; }
note() { printf 'check-deb: %s\n' "$*"; }
# Prints the last lines of a log after the one-line reason, for whoever reads a CI log.
fail_with_log() {
    local log="$1"; shift
    printf 'check-deb: FAIL: %s\n' "$*" >&2
    sed 's/^/    /' "$log" | tail -n 25 >&2
    exit 1
}

(($# == 1)) || { echo "usage: ${0##*/} BUILD_DIR" >&2; exit 2; }
build_dir="$(cd -- "$1" && pwd)" || fail "no build directory '$1'"
[[ -f "$build_dir/CPackConfig.cmake" ]] ||
    fail "$build_dir/CPackConfig.cmake missing: configure the project first (packaging/ not added?)"
[[ -x "$build_dir/app/interleave" ]] || fail "$build_dir/app/interleave missing: build it first"

if ! command -v dpkg-deb >/dev/null; then
    note "skipped: dpkg-deb not found (not a Debian system)"
    exit 77
fi
cpack="${CPACK:-cpack}"
command -v "$cpack" >/dev/null || fail "cpack not found ('$cpack')"

apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=120)
work="$(mktemp -d "${TMPDIR:-/tmp}/interleave-deb.XXXXXX")"
installed_by_us=0
cleanup() {
    if ((installed_by_us)); then
        "${apt[@]}" remove "$PACKAGE" >/dev/null 2>&1 || dpkg -r "$PACKAGE" >/dev/null 2>&1 || true
    fi
    rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM   # so that cleanup runs when CTest's timeout or Ctrl+C ends the check

# ---- Build the package into the temporary directory (never into the source or build tree).
start=$SECONDS
"$cpack" -G DEB -B "$work/out" --config "$build_dir/CPackConfig.cmake" >"$work/cpack.log" 2>&1 ||
    fail_with_log "$work/cpack.log" "cpack -G DEB failed"
shopt -s nullglob
debs=("$work/out"/*.deb)
shopt -u nullglob
((${#debs[@]} == 1)) || fail_with_log "$work/cpack.log" "expected one .deb from cpack, got ${#debs[@]}"
deb="${debs[0]}"

# ---- Control fields.
field() { dpkg-deb --field "$deb" "$1"; }
version="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build_dir/CPackConfig.cmake")"
[[ -n "$version" ]] || fail "no CPACK_PACKAGE_VERSION in $build_dir/CPackConfig.cmake"
[[ "$(field Package)" == "$PACKAGE" ]] || fail "Package is '$(field Package)', not '$PACKAGE'"
[[ "$(field Version)" == "$version" ]] || fail "Version is '$(field Version)', not '$version'"
arch="$(dpkg --print-architecture)"
[[ "$(field Architecture)" == "$arch" ]] || fail "Architecture is '$(field Architecture)', not '$arch'"
[[ "${deb##*/}" == "${PACKAGE}_${version}_${arch}.deb" ]] ||
    fail "file is named ${deb##*/}, not ${PACKAGE}_${version}_${arch}.deb"
[[ -n "$(field Maintainer)" ]] || fail "no Maintainer field"
[[ -n "$(field Description)" ]] || fail "no Description field"
depends="$(field Depends)"
# Sane: a comma-separated list of package names with optional version constraints, naming the
# C++ runtime and the Qt libraries the program links, and nothing from the build machine's paths.
for dep in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6charts6 fonts-dejavu-core; do
    [[ ", $depends," == *", $dep "* || ", $depends," == *", $dep,"* ]] ||
        fail "Depends lacks $dep: '$depends'"
done
dep_re='^[a-z0-9][a-z0-9.+-]+( \((<<|<=|=|>=|>>) [^ )]+\))?( \| [a-z0-9][a-z0-9.+-]+( \((<<|<=|=|>=|>>) [^ )]+\))?)*$'
IFS=',' read -ra deps <<<"$depends"
for dep in "${deps[@]}"; do
    dep="${dep# }"
    [[ "$dep" =~ $dep_re ]] || fail "malformed Depends entry '$dep' in '$depends'"
done

# ---- Contents: the program and its desktop integration, everything under /usr.
dpkg-deb --contents "$deb" >"$work/contents.txt" || fail "dpkg-deb --contents cannot read ${deb##*/}"
paths="$(awk '{print $6}' "$work/contents.txt")"
required=(
    "./usr/bin/interleave"
    "./usr/share/applications/$APP_ID.desktop"
    "./usr/share/metainfo/$APP_ID.metainfo.xml"
    "./usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
    "./usr/share/mime/packages/$APP_ID.xml"
)
for path in "${required[@]}"; do
    grep -qxF -- "$path" <<<"$paths" || fail "${deb##*/} lacks $path"
done
outside="$(grep -vE '^\./(usr(/.*)?)?$' <<<"$paths" || true)"
[[ -z "$outside" ]] || fail "${deb##*/} has files outside /usr: $(head -n 1 <<<"$outside")"
grep -qE '^-rwxr-xr-x .* \./usr/bin/interleave$' "$work/contents.txt" ||
    fail "./usr/bin/interleave is not an executable file (mode 0755)"

# ---- Unpack and run the packaged binary.
root="$work/root"
dpkg-deb -x "$deb" "$root" || fail "dpkg-deb -x cannot unpack ${deb##*/}"
bin="$root/usr/bin/interleave"
if command -v readelf >/dev/null; then
    rpath="$(readelf -d "$bin" | grep -E '\((RPATH|RUNPATH)\)' || true)"
    [[ "$rpath" != *"$build_dir"* ]] || fail "packaged binary still has the build tree in its RUNPATH: $rpath"
fi
export QT_QPA_PLATFORM=offscreen
out="$("$bin" --version 2>&1)" || fail "packaged 'interleave --version' exited $?: $out"
[[ "$out" == "interleave $version" ]] || fail "packaged 'interleave --version' printed '$out', not 'interleave $version'"
"$bin" --headless --scenario race --set threads=2 --set increments=1000 --summary-out - \
    >"$work/summary.json" 2>"$work/smoke.err" ||
    fail_with_log "$work/smoke.err" "packaged headless race run exited $?"
grep -qE '"expected": *2000' "$work/summary.json" ||
    fail_with_log "$work/summary.json" "packaged headless race run: no \"expected\": 2000 in the summary"

# ---- The desktop files agree with each other and with the package.
desktop="$root/usr/share/applications/$APP_ID.desktop"
icon="$(sed -n 's/^Icon=//p' "$desktop")"
[[ "$icon" == "$APP_ID" ]] || fail "$APP_ID.desktop has Icon=$icon, not Icon=$APP_ID"
exec_bin="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")"
[[ -x "$root/usr/bin/$exec_bin" ]] || fail "$APP_ID.desktop runs '$exec_bin', which is not in /usr/bin"
mime_type="$(sed -n 's/^MimeType=\([^;]*\);.*/\1/p' "$desktop")"
grep -qF "<mime-type type=\"$mime_type\">" "$root/usr/share/mime/packages/$APP_ID.xml" ||
    fail "$APP_ID.desktop claims MimeType $mime_type, which $APP_ID.xml does not define"

validated=()
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop" >"$work/dfv.log" 2>&1 ||
        fail_with_log "$work/dfv.log" "desktop-file-validate rejects $APP_ID.desktop"
    validated+=(desktop-file-validate)
else
    note "desktop-file-validate not installed (package desktop-file-utils): .desktop not validated"
fi
if command -v appstreamcli >/dev/null; then
    # validate-tree also checks the metainfo against the .desktop file and the icon it names.
    appstreamcli validate-tree --no-net "$root" >"$work/as.log" 2>&1 ||
        fail_with_log "$work/as.log" "appstreamcli validate-tree rejects the installed metainfo"
    validated+=(appstreamcli)
else
    note "appstreamcli not installed (package appstream): metainfo not validated"
fi
if command -v update-mime-database >/dev/null; then
    mkdir -p "$work/mime/packages"
    cp "$root/usr/share/mime/packages/$APP_ID.xml" "$work/mime/packages/"
    update-mime-database "$work/mime" >"$work/mime.log" 2>&1 ||
        fail_with_log "$work/mime.log" "update-mime-database rejects $APP_ID.xml"
    grep -qF "$mime_type:*.interleave" "$work/mime/globs2" ||
        fail "update-mime-database did not map *.interleave to $mime_type"
    validated+=(update-mime-database)
fi

size_kib=$(($(stat -c %s "$deb") / 1024))
note "${deb##*/}: ${size_kib} KiB; Depends: $depends"
checked="control fields, contents, --version, headless run"
for tool in "${validated[@]}"; do checked+=", $tool"; done
note "$checked: ok ($((SECONDS - start)) s)"

# ---- Really install it, only where asked to and allowed to change the system.
if [[ "$(id -u)" != 0 || ("${CI:-}" != true && "${INTERLEAVE_TEST_DEB_INSTALL:-}" != 1) ]]; then
    note "not installing (needs root and CI=true or INTERLEAVE_TEST_DEB_INSTALL=1)"
    exit 0
fi
if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'ok installed'; then
    note "not installing: a package '$PACKAGE' is already installed here and is left alone"
    exit 0
fi
installed_by_us=1
"${apt[@]}" install --no-install-recommends "$deb" >"$work/apt.log" 2>&1 ||
    fail_with_log "$work/apt.log" "apt-get install ./${deb##*/} failed"
out="$(/usr/bin/interleave --version 2>&1)" || fail "installed /usr/bin/interleave --version exited $?: $out"
[[ "$out" == "interleave $version" ]] || fail "installed /usr/bin/interleave --version printed '$out'"
if [[ -f /usr/share/mime/globs2 ]] && command -v update-mime-database >/dev/null; then
    grep -qF "$mime_type:*.interleave" /usr/share/mime/globs2 ||
        fail "after install, the system MIME database does not know *.interleave (trigger not run?)"
fi
"${apt[@]}" remove "$PACKAGE" >"$work/apt.log" 2>&1 ||
    fail_with_log "$work/apt.log" "apt-get remove $PACKAGE failed"
installed_by_us=0
[[ ! -e /usr/bin/interleave ]] || fail "apt-get remove $PACKAGE left /usr/bin/interleave behind"
note "installed with apt-get, ran /usr/bin/interleave --version, removed: ok"
