#!/usr/bin/env bash
# Debian/Ubuntu packages the program and its tests need.
#   system-deps.sh run    what the program needs on a desktop: the libraries Qt's xcb plugin
#                         loads (libxcb-cursor0 and friends; without them Qt does not start)
#   system-deps.sh test   (the default) those, plus what the tests use: Xvfb for screenshots,
#                         poppler-utils (pdftotext/pdftoppm) to read generated PDFs back, fonts
#                         for the offscreen platform, and the PostgreSQL server the tests start
#                         on loopback (tests/pg.py), never the package's own cluster, and
#                         shellcheck for the installers' shell scripts and the CI workflow.
# Installs only what is missing. Where it cannot (not Debian/Ubuntu, or no root and no sudo) it
# says in Dutch what to install: `run` then goes on (the program says itself what it misses),
# `test` stops.
set -euo pipefail

mode="${1:-test}"
runtime=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
         libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
         libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1)
testing=(xvfb xauth poppler-utils fonts-dejavu-core postgresql shellcheck)
case "$mode" in
    run) packages=("${runtime[@]}"); give_up=0 ;;
    test) packages=("${runtime[@]}" "${testing[@]}"); give_up=1 ;;
    *) echo "system-deps: gebruik: $0 [run|test]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: dit is geen Debian of Ubuntu. Zorg zelf dat deze pakketten (of wat er" \
         "op uw systeem op lijkt) geïnstalleerd zijn: ${packages[*]}" >&2
    exit 0
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "system-deps: er ontbreken pakketten en u bent geen beheerder (root). Vraag de" \
             "beheerder dit uit te voeren, of doe het zelf als root:" >&2
        echo "    apt-get install ${missing[*]}" >&2
        exit "$give_up"
    fi
fi
echo "system-deps: installeren: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
