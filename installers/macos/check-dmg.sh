#!/usr/bin/env bash
# The .dmg the way a user installs it: opened, the app dragged (here: copied) to a programs
# folder, started from there with --self-test; then the disk image is closed again.
#
#   bash installers/macos/check-dmg.sh [dist/Uitstroom-<version>-<machine>.dmg]
set -euo pipefail
cd "$(dirname "$0")/../.."

python="${PYTHON:-.venv/bin/python}"
version="$("$python" -c 'import sys; sys.path.insert(0, "installers"); import bundle; print(bundle.package_version())')"
dmg="${1:-dist/Uitstroom-${version}-$(uname -m).dmg}"
if [ ! -f "$dmg" ]; then
    echo "check-dmg: $dmg ontbreekt; maak het met installers/macos/make-dmg.sh" >&2
    exit 1
fi

work="$(mktemp -d)"
mount="$work/volume"
cleanup() {
    hdiutil detach "$mount" -quiet 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
hdiutil attach "$dmg" -nobrowse -readonly -mountpoint "$mount" -quiet
if [ ! -L "$mount/Programma's" ]; then
    echo "check-dmg: de koppeling naar de map Programma's ontbreekt in $dmg" >&2
    exit 1
fi
mkdir -p "$work/Applications"
cp -R "$mount/Uitstroom.app" "$work/Applications/"
installed="$work/Applications/Uitstroom.app/Contents/MacOS/uitstroom"
said="$("$installed" --version)"
if [ "$said" != "Uitstroom $version" ]; then
    echo "check-dmg: --version zegt '$said', verwacht Uitstroom $version" >&2
    exit 1
fi
echo "check-dmg: $said uit $dmg, zelftest:"
PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring "$installed" --self-test
echo "check-dmg: klaar"
