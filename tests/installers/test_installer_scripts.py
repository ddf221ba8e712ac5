"""The Windows, macOS and Linux scripts, checked as far as Linux can: the Inno Setup script takes
its version from the built program and installs per user; uninstalling keeps the data unless
asked; the shell scripts parse; the menu entry is valid; the README gives the exact commands."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from uitstroom.paths import SERVER_FILENAME

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installers" / "windows" / "uitstroom.iss"
README = ROOT / "installers" / "README.md"
DESKTOP = ROOT / "resources" / "linux" / "uitstroom.desktop"
SHELL_SCRIPTS = (
    ROOT / "installers" / "macos" / "make-dmg.sh",
    ROOT / "installers" / "linux" / "make-archive.sh",
    ROOT / "installers" / "linux" / "install.sh",
    ROOT / "installers" / "macos" / "build.sh",
    ROOT / "installers" / "macos" / "check-dmg.sh",
    ROOT / "installers" / "previous-release.sh",
)
WORKFLOW = ROOT / ".github" / "workflows" / "build.yml"
BUILD_PS1 = ROOT / "installers" / "windows" / "build.ps1"
CHECK_INSTALL_PS1 = ROOT / "installers" / "windows" / "check-install.ps1"


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections[current] = []
        else:
            sections.setdefault(current, []).append(line)
    return sections


def setup_values() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_sections()["Setup"] if "=" in line)


def test_the_installer_version_comes_from_the_built_program_not_from_the_script() -> None:
    values = setup_values()
    assert values["AppVersion"] == "{#AppVersion}"
    assert values["OutputBaseFilename"] == "Uitstroom-{#AppVersion}-setup"
    text = ISS.read_text(encoding="utf-8")
    assert (
        '#define AppVersion GetStringFileInfo(SourceDir + "\\" + AppExe, "ProductVersion")' in text
    )
    assert "#error" in text  # no exe, no version: the build stops instead of guessing
    # No version number written anywhere in the script.
    assert not re.search(r"\b\d+\.\d+\.\d+\b", text)


def test_windows_installs_per_user_without_admin_rights_with_a_start_menu_entry() -> None:
    values = setup_values()
    assert values["PrivilegesRequired"] == "lowest"
    assert values["DefaultDirName"] == r"{autopf}\Uitstroom"
    assert re.fullmatch(r"\{\{[0-9A-F-]{36}\}", values["AppId"])
    icons = iss_sections()["Icons"]
    assert any(line.startswith(r'Name: "{autoprograms}\Uitstroom"') for line in icons)
    assert any(
        r"{#SourceDir}\*" in line and "recursesubdirs" in line for line in iss_sections()["Files"]
    )
    assert 'MessagesFile: "compiler:Languages\\Dutch.isl"' in iss_sections()["Languages"][0]


def test_uninstalling_keeps_the_data_unless_asked() -> None:
    code = "\n".join(iss_sections()["Code"])
    assert r"{localappdata}\Uitstroom\Uitstroom" in code  # platformdirs' folder on Windows
    assert "'/PURGEDATA'" in code
    assert "UninstallSilent()" in code and "MB_DEFBUTTON2" in code  # default answer: Nee
    assert "DelTree(DataFolder()" in code
    assert "[UninstallDelete]" not in ISS.read_text(encoding="utf-8")
    # The folder Windows would use is what the program itself uses.
    assert "user_data_dir(APP_NAME, APP_ORG)" in (ROOT / "src/uitstroom/paths.py").read_text()


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: p.name)
def test_the_shell_scripts_parse(script: Path) -> None:
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "set -euo pipefail" in script.read_text(encoding="utf-8")


def test_the_shell_scripts_pass_shellcheck() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed")
    result = subprocess.run(
        [shellcheck, "--severity=warning", *map(str, SHELL_SCRIPTS)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_the_workflow_builds_on_each_platform_with_the_scripts_in_the_repository() -> None:
    """A maintainer gets every installer from one push; each step is a script that also runs
    by hand (`make actionlint` checks the workflow's syntax)."""
    text = WORKFLOW.read_text(encoding="utf-8")
    runners = set(re.findall(r"(?:runs-on|os): (\S+)", text))
    assert {"windows-latest", "macos-14", "macos-15-intel", "ubuntu-22.04"} <= runners
    scripts = set(re.findall(r"(?:installers|\.ci)/[\w/.-]+\.(?:sh|ps1)|\.ci/run", text))
    assert scripts == {
        ".ci/run",
        "installers/windows/build.ps1",
        "installers/windows/check-install.ps1",
        "installers/previous-release.sh",
        "installers/macos/build.sh",
    }
    for script in scripts:
        assert (ROOT / script).is_file(), script
    assert "choco install innosetup" in text
    for artefact in ("dist/Uitstroom-*-setup.exe", "-${{ matrix.arch }}.dmg", "linux-*.tar.gz"):
        assert artefact in text


def test_the_frozen_builds_install_the_lock_files_versions_with_hashes() -> None:
    command = "--require-hashes -r installers"
    assert command in BUILD_PS1.read_text(encoding="utf-8")
    assert command in (ROOT / "installers/macos/build.sh").read_text(encoding="utf-8")
    assert "--require-hashes -r $(LOCK)" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "LOCK := installers/requirements.lock" in (ROOT / "Makefile").read_text()


def test_the_windows_install_check_does_what_it_promises() -> None:
    text = CHECK_INSTALL_PS1.read_text(encoding="utf-8")
    app_id = setup_values()["AppId"][1:]  # '{{' in Inno is one '{'
    assert f'$AppId = "{app_id}"' in text
    assert "Uninstall\\${AppId}_is1" in text and "$key.DisplayVersion -ne $Version" in text
    assert "/VERYSILENT" in text and '"/PURGEDATA"' in text and '"/SERVER=$Server"' in text
    assert "(Get-FileHash $Database).Hash -ne $hash" in text  # the update keeps the data
    assert '@("--self-test")' in text
    assert "dist\\uitstroom\\uitstroom-cli.exe --self-test" in BUILD_PS1.read_text(encoding="utf-8")


def test_the_uninstall_key_gets_the_version_and_it_can_pre_set_the_school_server() -> None:
    values = setup_values()
    # Inno writes AppVersion as DisplayVersion into the uninstall key; AppPublisher as Publisher.
    assert values["AppVersion"] == "{#AppVersion}"
    assert values["AppPublisher"] == "Uitstroom"
    assert values["UninstallDisplayName"] == "{#AppName} {#AppVersion}"
    assert values["VersionInfoProductTextVersion"] == "{#AppVersion}"
    code = "\n".join(iss_sections()["Code"])
    assert "'/SERVER='" in code and "ssPostInstall" in code
    # The program's own file names and folders (platformdirs: author, then program).
    assert f"\\{SERVER_FILENAME}'" in code
    assert r"{commonappdata}\Uitstroom\Uitstroom" in code
    assert "FileExists(ServerFile())" in code  # a user's own choice is kept


def test_the_dmg_script_uses_hdiutil_on_the_app_bundle() -> None:
    text = SHELL_SCRIPTS[0].read_text(encoding="utf-8")
    assert 'app="dist/Uitstroom.app"' in text
    assert "hdiutil create" in text and "-format UDZO" in text
    assert '"$app/Contents/MacOS/uitstroom" --self-test' in text
    assert "CFBundleShortVersionString" in text  # refuses an app of another version


def test_the_menu_entry_is_a_valid_desktop_file() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "Uitstroom"
    assert desktop["Icon"] == "uitstroom"
    assert desktop["Exec"] == "uitstroom"  # install.sh writes the installed path
    assert desktop["StartupWMClass"] == "uitstroom"
    assert (ROOT / "resources/icons/uitstroom-256.png").is_file()
    validator = shutil.which("desktop-file-validate")
    if validator:
        result = subprocess.run([validator, str(DESKTOP)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout, result.stdout


def test_the_icon_files_for_each_platform_exist() -> None:
    icons = ROOT / "resources" / "icons"
    assert (icons / "uitstroom.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "uitstroom.icns").read_bytes()[:4] == b"icns"
    assert (icons / "uitstroom.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


@pytest.mark.parametrize(
    "command",
    [
        "pyinstaller --noconfirm --clean --distpath dist --workpath build",
        "uitstroom-cli.exe --self-test",
        "ISCC.exe",
        "/VERYSILENT /SUPPRESSMSGBOXES /NORESTART",
        "/PURGEDATA",
        "/ALLUSERS",
        "bash installers/macos/make-dmg.sh",
        "Contents/MacOS/uitstroom --self-test",
        "make dist-check",
        "./install.sh --verwijderen",
        "dist/uitstroom/uitstroom --self-test",
    ],
)
def test_the_readme_gives_the_exact_commands(command: str) -> None:
    assert command in README.read_text(encoding="utf-8")
