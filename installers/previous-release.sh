#!/usr/bin/env bash
# The previous release's download, for the update test (installers/windows/check-install.ps1):
#
#   GH_TOKEN=… GH_REPO=owner/uitstroom bash installers/previous-release.sh 'Uitstroom-*-setup.exe' previous
#
# prints the path of the downloaded file, or nothing (and says why on stderr) when there is no
# release yet, as before the first one, or when it has no such file: the update test then
# starts from this build itself. Needs the GitHub CLI (gh), which the hosted runners have.
set -euo pipefail
pattern="$1"
dest="$2"

if ! command -v gh >/dev/null 2>&1 || [ -z "${GH_TOKEN:-}" ]; then
    echo "previous-release: gh of GH_TOKEN ontbreekt; geen vorige uitgave" >&2
    exit 0
fi
if ! tag="$(gh release view --json tagName --jq .tagName 2>/dev/null)" || [ -z "$tag" ]; then
    echo "previous-release: nog geen uitgave; de update-test begint met deze versie" >&2
    exit 0
fi
mkdir -p "$dest"
if ! gh release download "$tag" --pattern "$pattern" --dir "$dest" --clobber >&2; then
    echo "previous-release: uitgave $tag heeft geen $pattern; geen vorige uitgave" >&2
    exit 0
fi
found="$(find "$dest" -maxdepth 1 -name "$pattern" | head -n 1)"
echo "previous-release: $tag: $found" >&2
echo "$found"
