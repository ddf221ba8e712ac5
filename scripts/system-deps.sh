#!/usr/bin/env bash
# Debian/Ubuntu packages the tests need: Qt's offscreen platform libraries, Xvfb for
# screenshots, poppler-utils (pdftotext/pdftoppm) to read generated PDFs back, and the
# PostgreSQL server: the tests start a throwaway one on loopback (tests/pg.py), never the
# package's own cluster.
# Installs only what is missing; on other systems it says what to install and goes on.
set -euo pipefail

packages=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
          libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
          libxcb-render-util0 libxcb-image0 libxcb-xinerama0 xvfb xauth poppler-utils
          fonts-dejavu-core postgresql)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: geen Debian/Ubuntu; zorg zelf voor: ${packages[*]}" >&2
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
        echo "system-deps: installeer als root: apt-get install ${missing[*]}" >&2; exit 1
    fi
fi
echo "system-deps: installeren: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
