#!/usr/bin/env bash
# dist/uitstroom (PyInstaller's folder) -> dist/uitstroom-<version>-linux-<machine>.tar.gz with
# the menu entry, the icon and install.sh. `make dist-check` runs it after the self-test.
set -euo pipefail
cd "$(dirname "$0")/../.."

python="${PYTHON:-.venv/bin/python}"
version="$("$python" -c 'import sys; sys.path.insert(0, "installers"); import bundle; print(bundle.package_version())')"
name="uitstroom-${version}-linux-$(uname -m)"
if [ ! -x dist/uitstroom/uitstroom ]; then
    echo "make-archive: dist/uitstroom/uitstroom ontbreekt; bouw eerst met PyInstaller." >&2
    exit 1
fi

stage="build/archive/$name"
rm -rf "build/archive"
mkdir -p "$stage/share/applications" "$stage/share/icons/hicolor/256x256/apps" \
         "$stage/share/icons/hicolor/scalable/apps"
cp -a dist/uitstroom "$stage/uitstroom"
cp resources/linux/uitstroom.desktop "$stage/share/applications/"
cp resources/icons/uitstroom-256.png "$stage/share/icons/hicolor/256x256/apps/uitstroom.png"
cp resources/icons/uitstroom.svg "$stage/share/icons/hicolor/scalable/apps/uitstroom.svg"
cp installers/linux/install.sh "$stage/install.sh"
chmod +x "$stage/install.sh"
tar -C build/archive -czf "dist/$name.tar.gz" "$name"
echo "make-archive: dist/$name.tar.gz ($(du -m "dist/$name.tar.gz" | cut -f1) MB)"
