"""Check the built Linux program, loudly: `make dist-check` runs this after PyInstaller.

    .venv/bin/python installers/check_build.py [dist/uitstroom]

1. every file the spec names (fonts, icon, migrations, Qt's Dutch translations) is in the build,
   and nothing of what bundle.UNWANTED_FILES leaves out came in anyway;
2. the Qt parts the program uses are there (QtPdf, QtPdfWidgets, QtCharts, the xcb, wayland and
   offscreen platforms);
3. the folder is under the 250 MB budget (the size is printed);
4. `uitstroom --version` says the package's version;
5. `uitstroom --self-test` passes without a screen, and under Xvfb when xvfb-run is there;
6. the tar.gz archive installs for a user, the installed program passes its self-test, an update
   keeps the data, and uninstalling keeps the data unless asked.
Any failure stops with exit code 1 and says what is wrong.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import bundle

BUDGET_MB = 250
USED_QT = (
    "PySide6/QtPdf.*",
    "PySide6/QtPdfWidgets.*",
    "PySide6/QtCharts.*",
    "PySide6/Qt/lib/libQt6Pdf.so*",
    "PySide6/Qt/lib/libQt6PdfWidgets.so*",
    "PySide6/Qt/lib/libQt6Charts.so*",
    "PySide6/Qt/lib/libQt6PrintSupport.so*",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland*.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/printsupport/*",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
)
PASSPHRASE = "fietsbel tulpenveld Zwolle 2026"  # fictional, for the demo database only


class CheckFailed(Exception):
    pass


def say(text: str) -> None:
    print(f"dist-check: {text}", flush=True)


def files_in(internal: Path) -> list[str]:
    return sorted(
        str(path.relative_to(internal)).replace("\\", "/")
        for path in internal.rglob("*")
        if path.is_file() or path.is_symlink()
    )


def check_files(folder: Path) -> None:
    internal = folder / "_internal"
    present = files_in(internal)
    present_set = set(present)
    missing = []
    for source, dest in bundle.data_files():
        inside = f"{dest}/{Path(source).name}"
        if inside not in present_set:
            missing.append(inside)
        elif (internal / inside).stat().st_size != Path(source).stat().st_size:
            missing.append(f"{inside} (andere grootte dan {source})")
    if missing:
        raise CheckFailed(
            "deze bestanden uit de spec ontbreken in de build:\n  " + "\n  ".join(missing)
        )
    migrations = [p.name for p in bundle.migration_files()]
    say(
        f"{len(bundle.data_files())} bestanden uit de spec aanwezig, waaronder "
        f"{len(migrations)} migraties ({migrations[0]} … {migrations[-1]}) en "
        f"{', '.join(bundle.QT_TRANSLATIONS)}"
    )
    unwanted = [p for p in present if not bundle.wanted(p)]
    if unwanted:
        raise CheckFailed("toch meegekomen (bundle.UNWANTED_FILES):\n  " + "\n  ".join(unwanted))
    absent = [
        pattern for pattern in USED_QT if not any(fnmatch.fnmatch(p, pattern) for p in present)
    ]
    if absent:
        raise CheckFailed(
            "Qt-onderdelen die het programma gebruikt ontbreken: " + ", ".join(absent)
        )
    say("QtPdf, QtPdfWidgets, QtCharts, afdrukken en de platforms xcb/wayland/offscreen aanwezig")


def folder_size(folder: Path) -> int:
    return sum(
        path.lstat().st_size for path in folder.rglob("*") if path.is_file() or path.is_symlink()
    )


def check_size(folder: Path) -> None:
    megabytes = folder_size(folder) / 1_000_000
    verdict = "binnen budget" if megabytes < BUDGET_MB else "BOVEN BUDGET"
    say(f"grootte van {folder}: {megabytes:.0f} MB (budget {BUDGET_MB} MB) {verdict}")
    if megabytes >= BUDGET_MB:
        raise CheckFailed(f"de map is {megabytes:.0f} MB, het budget is {BUDGET_MB} MB")


def run(command: list[str], env: dict[str, str] | None = None, echo: bool = True) -> str:
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    if echo:
        for line in result.stdout.splitlines():
            print(f"    {line}", flush=True)
    if result.returncode != 0:
        raise CheckFailed(
            f"{' '.join(command)} stopte met code {result.returncode}\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def clean_env(**extra: str) -> dict[str, str]:
    """No display, no Qt platform chosen, no developer keychain: what a plain machine gives."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH")
    }
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.update(extra)
    return env


def check_program(program: Path) -> None:
    version = run([str(program), "--version"], clean_env(), echo=False).strip()
    if version != f"Uitstroom {bundle.package_version()}":
        raise CheckFailed(f"--version zegt '{version}', het pakket is {bundle.package_version()}")
    say(f"{program} --version: {version}")
    say(f"{program} --self-test (zonder scherm)")
    run([str(program), "--self-test"], clean_env())
    xvfb = shutil.which("xvfb-run")
    if xvfb:
        say(f"{program} --self-test (onder Xvfb, platform xcb)")
        output = run([xvfb, "-a", str(program), "--self-test"], clean_env())
        if "platform xcb" not in output:
            raise CheckFailed("onder Xvfb gebruikte Qt niet het xcb-platform")
    else:
        say("xvfb-run ontbreekt: de zelftest onder X11 is overgeslagen")


def check_archive(root: Path) -> None:
    run(["bash", str(root / "installers" / "linux" / "make-archive.sh")], echo=True)
    archives = sorted((root / "dist").glob(f"uitstroom-{bundle.package_version()}-linux-*.tar.gz"))
    if not archives:
        raise CheckFailed("make-archive.sh maakte geen archief")
    archive = archives[-1]
    with tempfile.TemporaryDirectory(prefix="uitstroom-dist-check-") as temp:
        home = Path(temp) / "home"
        home.mkdir()
        with tarfile.open(archive) as tar:
            tar.extractall(temp, filter="tar")
        unpacked = next(p for p in Path(temp).iterdir() if p.name.startswith("uitstroom-"))
        env = clean_env(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"))
        env.pop("XDG_CONFIG_HOME", None)
        run(["bash", str(unpacked / "install.sh")], env)
        installed = home / ".local" / "bin" / "uitstroom"
        desktop = home / ".local" / "share" / "applications" / "uitstroom.desktop"
        icon = home / ".local/share/icons/hicolor/256x256/apps/uitstroom.png"
        exec_line = next(
            line
            for line in desktop.read_text(encoding="utf-8").splitlines()
            if line.startswith("Exec=")
        )
        if exec_line != f'Exec="{home}/.local/lib/uitstroom/uitstroom"' or not icon.exists():
            raise CheckFailed(f"menu-item of pictogram klopt niet: {exec_line}")
        say(f"geïnstalleerd uit {archive.name}; menu-item {exec_line}")
        run([str(installed), "--self-test"], env, echo=False)
        say("de geïnstalleerde versie slaagt voor de zelftest")

        passphrase = Path(temp) / "wachtwoord.txt"
        passphrase.write_text(PASSPHRASE, encoding="utf-8")
        data_env = {**env, "UITSTROOM_PASSPHRASE_FILE": str(passphrase)}
        run([str(installed), "demo", "--aantal", "12"], data_env)
        database = home / ".local" / "share" / "Uitstroom" / "uitstroom.db"
        before = database.read_bytes()
        run(["bash", str(unpacked / "install.sh")], env, echo=False)
        if database.read_bytes() != before:
            raise CheckFailed("bijwerken veranderde de database")
        run([str(installed), "export", str(Path(temp) / "na-bijwerken.csv")], data_env)
        run(["bash", str(unpacked / "install.sh"), "--verwijderen"], env)
        if installed.exists() or desktop.exists() or not database.exists():
            raise CheckFailed("verwijderen liet het programma staan of wiste de gegevens")
        run(["bash", str(unpacked / "install.sh"), "--verwijderen", "--ook-gegevens"], env)
        if database.exists():
            raise CheckFailed("--ook-gegevens liet de database staan")
        say("bijwerken en verwijderen laten de gegevens staan; --ook-gegevens wist ze")


def main() -> int:
    root = bundle.ROOT
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "dist" / "uitstroom"
    program = folder / ("uitstroom.exe" if sys.platform == "win32" else "uitstroom")
    try:
        if not program.exists():
            raise CheckFailed(f"{program} ontbreekt: bouw eerst met PyInstaller")
        check_files(folder)
        check_size(folder)
        check_program(program)
        if sys.platform.startswith("linux"):
            check_archive(root)
    except CheckFailed as exc:
        print(f"\ndist-check: MISLUKT: {exc}", file=sys.stderr, flush=True)
        return 1
    say("alles in orde")
    return 0


if __name__ == "__main__":
    sys.exit(main())
