"""Before Qt opens the window on an X11 desktop: are the libraries of its xcb platform there?

When one is missing, Qt stops with an English message that names a library, not the package
to install ("xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform plugin", then
an abort). The built program carries most of them (PyInstaller collects what the build
machine's libqxcb.so links to), but not libxcb and the GL libraries, which belong to the
desktop, and a copy run from source carries none. So before Qt starts, each library is looked
for the way the dynamic loader would, and a missing one is named in Dutch with its package.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


@dataclass(frozen=True)
class SystemLibrary:
    soname: str
    debian_package: str  # the same name on Ubuntu and Linux Mint


# What Qt 6's xcb platform plugin (libqxcb.so, libQt6XcbQpa) links to beyond Qt itself and the
# C library, as `ldd` lists it, with the Debian package (scripts/system-deps.sh installs the
# same for the tests).
XCB_LIBRARIES: tuple[SystemLibrary, ...] = (
    SystemLibrary("libxcb.so.1", "libxcb1"),
    SystemLibrary("libX11-xcb.so.1", "libx11-xcb1"),
    SystemLibrary("libxcb-cursor.so.0", "libxcb-cursor0"),
    SystemLibrary("libxcb-icccm.so.4", "libxcb-icccm4"),
    SystemLibrary("libxcb-image.so.0", "libxcb-image0"),
    SystemLibrary("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    SystemLibrary("libxcb-randr.so.0", "libxcb-randr0"),
    SystemLibrary("libxcb-render-util.so.0", "libxcb-render-util0"),
    SystemLibrary("libxcb-shape.so.0", "libxcb-shape0"),
    SystemLibrary("libxcb-xkb.so.1", "libxcb-xkb1"),
    SystemLibrary("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    SystemLibrary("libxkbcommon.so.0", "libxkbcommon0"),
    SystemLibrary("libEGL.so.1", "libegl1"),
    SystemLibrary("libGL.so.1", "libgl1"),
    SystemLibrary("libfontconfig.so.1", "libfontconfig1"),
    SystemLibrary("libdbus-1.so.3", "libdbus-1-3"),
)


def qt_platform(environ: Mapping[str, str]) -> str:
    """The platform Qt will choose: QT_QPA_PLATFORM's first name, else wayland in a Wayland
    session and xcb everywhere else (Qt 6's own order on Linux)."""
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "xcb"


def _bundled_folders() -> list[Path]:
    """Where the built program keeps the libraries it carries (PyInstaller's _internal)."""
    bundle = getattr(sys, "_MEIPASS", None)
    return [Path(bundle)] if bundle else []


def loadable(soname: str, folders: Sequence[Path] = ()) -> bool:
    """True when the dynamic loader finds the library: on the system, or in the program."""
    for candidate in (soname, *(str(folder / soname) for folder in folders)):
        try:
            ctypes.CDLL(candidate)
        except OSError:
            continue
        return True
    return False


def missing_libraries(
    libraries: Sequence[SystemLibrary] | None = None,
    folders: Sequence[Path] | None = None,
) -> list[SystemLibrary]:
    wanted = XCB_LIBRARIES if libraries is None else libraries
    where = _bundled_folders() if folders is None else folders
    return [library for library in wanted if not loadable(library.soname, where)]


def advice(missing: Sequence[SystemLibrary]) -> str:
    """What to tell the user (and their IT department), in Dutch."""
    packages = " ".join(dict.fromkeys(library.debian_package for library in missing))
    names = ", ".join(library.soname for library in missing)
    return (
        "Uitstroom kan zijn venster niet openen: deze computer mist onderdelen die nodig zijn "
        f"om vensters te tonen ({names}).\n"
        "Installeer ze en start Uitstroom opnieuw. Op Ubuntu, Debian of Linux Mint:\n\n"
        f"    sudo apt install {packages}\n\n"
        "Mag u zelf geen programma's installeren, geef deze tekst dan aan de ICT-afdeling. "
        "Op een ander Linux-systeem heten de pakketten anders; zoek op de bestandsnamen."
    )


def check_display(
    environ: Mapping[str, str] | None = None,
    err: TextIO | None = None,
    libraries: Sequence[SystemLibrary] | None = None,
    notify: bool = False,
) -> bool:
    """True when the window may start. On Linux with the xcb platform, False after telling the
    user in Dutch which packages are missing: on stderr, and with `notify` also as a desktop
    notification (a program started from the menu has no terminal)."""
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or qt_platform(environ) != "xcb":
        return True
    missing = missing_libraries(libraries)
    if not missing:
        return True
    text = advice(missing)
    print(text, file=err or sys.stderr, flush=True)
    sender = shutil.which("notify-send") if notify else None
    if sender:
        subprocess.run(
            [sender, "--urgency=critical", "Uitstroom kan niet starten", text],
            check=False,
            timeout=10,
            capture_output=True,
        )
    return False
