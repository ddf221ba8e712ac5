#!/usr/bin/env bash
# Uitstroom on Linux, for the current user, without root. Run from the unpacked archive:
#
#   ./install.sh                          installeren of bijwerken (de gegevens blijven staan)
#   ./install.sh --verwijderen            het programma verwijderen, de gegevens blijven staan
#   ./install.sh --verwijderen --ook-gegevens
#                                         ook de database en de back-ups wissen
#
# The program goes to ~/.local/lib/uitstroom, the command to ~/.local/bin/uitstroom, the menu
# entry and icon to ~/.local/share. The data stays in ~/.local/share/Uitstroom.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
program="$HOME/.local/lib/uitstroom"
bin="$HOME/.local/bin"
desktop="$data_home/applications/uitstroom.desktop"
icons="$data_home/icons/hicolor"
data="$data_home/Uitstroom"

refresh_menu() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data_home/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

if [ "${1:-}" = "--verwijderen" ]; then
    rm -rf "$program"
    rm -f "$bin/uitstroom" "$desktop" "$icons/256x256/apps/uitstroom.png" \
          "$icons/scalable/apps/uitstroom.svg"
    refresh_menu
    if [ "${2:-}" = "--ook-gegevens" ]; then
        rm -rf "$data"
        echo "Uitstroom is verwijderd, met de gegevens in $data."
    else
        echo "Uitstroom is verwijderd. De gegevens staan nog in $data."
    fi
    exit 0
fi

if [ ! -x "$here/uitstroom/uitstroom" ]; then
    echo "install.sh: $here/uitstroom/uitstroom ontbreekt; pak het hele archief uit." >&2
    exit 1
fi
# Replace the program folder as a whole (an update leaves no old libraries behind); the new
# copy is put in place first and swapped in, so a failed copy leaves the old version working.
mkdir -p "$(dirname "$program")" "$bin" "$(dirname "$desktop")" \
         "$icons/256x256/apps" "$icons/scalable/apps"
rm -rf "$program.nieuw"
cp -a "$here/uitstroom" "$program.nieuw"
rm -rf "$program"
mv "$program.nieuw" "$program"
ln -sfn "$program/uitstroom" "$bin/uitstroom"
cp "$here/share/icons/hicolor/256x256/apps/uitstroom.png" "$icons/256x256/apps/uitstroom.png"
cp "$here/share/icons/hicolor/scalable/apps/uitstroom.svg" "$icons/scalable/apps/uitstroom.svg"
sed "s|^Exec=.*|Exec=\"$program/uitstroom\"|" "$here/share/applications/uitstroom.desktop" > "$desktop"
refresh_menu
echo "Uitstroom $("$program/uitstroom" --version | cut -d' ' -f2) is geïnstalleerd in $program."
echo "Start het vanuit het menu, of met: $bin/uitstroom"
echo "Controleren: $bin/uitstroom --self-test"
