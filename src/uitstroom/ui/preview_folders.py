"""The private folders that hold the copies of a PDF opened in the system's PDF reader: one per
run, gone when the program closes, and a folder a crashed run left behind removed at the next
start. Apart from the preview itself (ui/pdf_preview.py), so that the start's cleanup does not
load Qt's PDF and print modules (issue 17)."""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication

_TEMP_FOLDER: Path | None = None
# uitstroom-voorbeeld-<process id>-<random>: whose it is, and whether that run still lives.
PREFIX = "uitstroom-voorbeeld-"


def temp_folder() -> Path:
    """One private folder per run for copies opened in the PDF reader; gone at exit."""
    global _TEMP_FOLDER
    if _TEMP_FOLDER is None or not _TEMP_FOLDER.exists():
        _TEMP_FOLDER = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        atexit.register(remove_temp_files)
        # Copies opened in the PDF reader hold personal data: gone when the program closes.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(remove_temp_files)
    return _TEMP_FOLDER


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
        if not handle:
            return False
        try:
            return bool(kernel32.WaitForSingleObject(handle, 0) == 0x102)  # WAIT_TIMEOUT
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_preview_folders(root: Path | None = None) -> list[Path]:
    """Preview folders a crashed run left behind: only ours by name, owned by this account,
    real folders (no links), of a run that is no longer running. Returns what was removed."""
    removed = []
    root = Path(root or tempfile.gettempdir())
    for folder in root.glob(f"{PREFIX}*"):
        pid_text = folder.name[len(PREFIX) :].split("-", 1)[0]
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or not pid_text.isdigit():
            continue
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            continue
        if _running(int(pid_text)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def remove_temp_files() -> None:
    global _TEMP_FOLDER
    if _TEMP_FOLDER is not None:
        shutil.rmtree(_TEMP_FOLDER, ignore_errors=True)
        _TEMP_FOLDER = None
