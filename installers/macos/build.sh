#!/usr/bin/env bash
# Uitstroom for macOS: from a checkout to dist/Uitstroom-<version>-<arm64|x86_64>.dmg, on a Mac of
# that kind (the build is not universal: an Intel Mac gets its own). The CI workflow
# (.github/workflows/build.yml) runs exactly this; by hand, in the repository:
#
#   PYTHON=python3.11 bash installers/macos/build.sh
#
#  1. a fresh .venv with the lock file's versions (hashes checked) and Uitstroom itself;
#  2. PyInstaller with installers/uitstroom.spec -> dist/Uitstroom.app;
#  3. make-dmg.sh: the app's self-test, (signing), the .dmg, (notarising);
#  4. check-dmg.sh: the app copied out of the .dmg, as a user would, passes its self-test.
set -euo pipefail
cd "$(dirname "$0")/../.."

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "build: virtuele omgeving maken met $python"
    "$python" -m venv .venv
fi
echo "build: vastgezette versies uit installers/requirements.lock"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --require-hashes -r installers/requirements.lock
.venv/bin/python -m pip install --quiet --no-deps -e .

echo "build: PyInstaller"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
    --workpath build/pyinstaller installers/uitstroom.spec

bash installers/macos/make-dmg.sh
bash installers/macos/check-dmg.sh
