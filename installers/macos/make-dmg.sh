#!/usr/bin/env bash
# dist/Uitstroom.app -> dist/Uitstroom-<version>-<arm64|x86_64>.dmg, on a Mac (hdiutil is macOS only).
#
#   .venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
#       installers/uitstroom.spec
#   bash installers/macos/make-dmg.sh
#
# (installers/macos/build.sh runs both, and checks the result with check-dmg.sh.)
#
# With CODESIGN_IDENTITY="Developer ID Application: ..." the app is signed first, and with
# NOTARY_PROFILE (a profile made by `xcrun notarytool store-credentials`) the disk image is
# notarised and stapled, so Gatekeeper opens it without a warning. Without them the .dmg works,
# but the first start needs right-click > Open (installers/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

app="dist/Uitstroom.app"
python="${PYTHON:-.venv/bin/python}"
version="$("$python" -c 'import sys; sys.path.insert(0, "installers"); import bundle; print(bundle.package_version())')"
# PyInstaller builds for the Mac it runs on: an Intel Mac and an Apple silicon Mac each get theirs.
dmg="dist/Uitstroom-${version}-$(uname -m).dmg"

if [ ! -d "$app" ]; then
    echo "make-dmg: $app ontbreekt; bouw eerst met PyInstaller (installers/README.md)." >&2
    exit 1
fi
plist_version="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$app/Contents/Info.plist")"
if [ "$plist_version" != "$version" ]; then
    echo "make-dmg: $app is versie $plist_version, het pakket is $version; bouw opnieuw." >&2
    exit 1
fi

echo "make-dmg: zelftest van $app"
"$app/Contents/MacOS/uitstroom" --self-test

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
    codesign --verify --deep --strict "$app"
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Programma's"
rm -f "$dmg"
# hdiutil sometimes answers "Resource busy" on a busy machine (CI runners): try again.
for attempt in 1 2 3; do
    if hdiutil create -volname "Uitstroom $version" -srcfolder "$stage" -fs HFS+ -format UDZO \
        -imagekey zlib-level=9 -ov "$dmg"; then
        break
    fi
    if [ "$attempt" = 3 ]; then
        echo "make-dmg: hdiutil create mislukte drie keer" >&2
        exit 1
    fi
    sleep 10
done
hdiutil verify "$dmg"

if [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
fi
echo "make-dmg: klaar: $dmg"
