#!/usr/bin/env bash
# The Debian packages counter_app needs, in one place for `make run`, `make test` and CI.
#
#   scripts/system-deps.sh [app|test] [--check] [--list]
#
#   app      what the desktop app needs (Qt's xcb and offscreen platforms, printing, sound, fonts)
#   test     app + what the tests need (poppler, zbar, Xvfb); the default
#   --check  only report: exit 0 when nothing is missing, 1 (and the list) otherwise
#   --list   print the package names and exit
#
# Nothing missing: silent and cheap (one dpkg-query). Something missing: as root it is
# installed (apt-get update once, non-interactive); as a normal user the one command to
# run is printed and the exit status is 1, so `make` stops there instead of failing later
# with a Qt "could not load the platform plugin xcb" abort.
#
# For the tests of this script only: SYSTEM_DEPS_NOT_ROOT=1 behaves as a normal user,
# SYSTEM_DEPS_EXTRA="pkg ..." requires more packages (e.g. one that does not exist).
set -euo pipefail

# Qt 6 (PySide6 wheels) links these directly: libQt6XcbQpa / libqxcb.so and the xcb GL
# integrations want every libxcb-* below; Qt Gui wants EGL/GL, fontconfig, xkbcommon;
# Qt Multimedia wants libpulse; the CUPS print plugin wants libcups; Qt Network wants
# gssapi/brotli/zstd. python3-venv because `make` creates .venv with `python3 -m venv`.
APP_PACKAGES=(
  python3-venv
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-6 libx11-xcb1 libxext6 libxrandr2
  libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0
  libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libpulse0 libcups2 libgssapi-krb5-2 libbrotli1 libzstd1 zlib1g
  fonts-dejavu-core
  # Scanners: libsane1 is SANE itself (its backends, SANE's "test" one included); python-sane has no
  # wheel and builds from source against libsane-dev with gcc and the Python headers. sane-utils
  # gives support `scanimage -L`, the first question when a scanner does not show up.
  libsane1 libsane-dev sane-utils gcc python3-dev
)
# pdftotext/pdftoppm read printed PDFs back, zbarimg decodes their barcodes, xvfb-run
# (with xauth) runs the real-window tests. OCR is optional in the app (Settings says what to
# install), but its tests must run for real: ocrmypdf with tesseract's Vietnamese model.
TEST_PACKAGES=(poppler-utils zbar-tools xvfb xauth ocrmypdf tesseract-ocr-vie)

set_name=test
mode=ensure
for arg in "$@"; do
  case "$arg" in
    app|test) set_name=$arg ;;
    --check) mode=check ;;
    --list) mode=list ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "system-deps.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

wanted=("${APP_PACKAGES[@]}")
[ "$set_name" = test ] && wanted+=("${TEST_PACKAGES[@]}")
# shellcheck disable=SC2206  # word splitting is the point: a space-separated list
[ -n "${SYSTEM_DEPS_EXTRA:-}" ] && wanted+=(${SYSTEM_DEPS_EXTRA})

if [ "$mode" = list ]; then
  printf '%s\n' "${wanted[@]}"
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps.sh: not a Debian system; make sure the equivalents of these are installed: ${wanted[*]}" >&2
  exit 0
fi

missing_packages() {
  # One dpkg-query for all: unknown packages print nothing on stdout, so they count as missing.
  local installed
  installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${wanted[@]}" 2>/dev/null \
    | awk '$1 == "ii" { sub(/:.*/, "", $2); print $2 }' || true)
  local p
  for p in "${wanted[@]}"; do
    grep -qxF "$p" <<<"$installed" || printf '%s ' "$p"
  done
}

missing=$(missing_packages)
missing=${missing% }

if [ -z "$missing" ]; then
  [ "$mode" = check ] && echo "system-deps.sh: all ${#wanted[@]} Debian packages for '$set_name' are installed"
  exit 0
fi

if [ "$mode" = check ]; then
  echo "system-deps.sh: missing Debian packages for '$set_name': $missing" >&2
  exit 1
fi

is_root=0
[ "$(id -u)" -eq 0 ] && is_root=1
[ "${SYSTEM_DEPS_NOT_ROOT:-}" = 1 ] && is_root=0

if [ "$is_root" -ne 1 ]; then
  install="apt-get install -y $missing"
  if command -v sudo >/dev/null 2>&1; then install="sudo $install"; else install="su -c '$install'"; fi
  {
    echo "counter_app needs Debian packages that are not installed: $missing"
    echo "Install them once with this command, then run make again:"
    echo "    $install"
  } >&2
  exit 1
fi

echo "system-deps.sh: installing $missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086  # one package per word
apt-get install -y -qq --no-install-recommends $missing
still=$(missing_packages)
if [ -n "$still" ]; then
  echo "system-deps.sh: still missing after apt-get install: $still" >&2
  exit 1
fi
