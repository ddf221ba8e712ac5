"""A full disk and a risky place for the database, told to the user in plain Dutch."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

from uitstroom.domain.durability import location_warning
from uitstroom.services.errors import ServiceError

DISK_FULL = (
    "De schijf is vol. Uw laatste wijziging is niet opgeslagen; wat eerder was opgeslagen is "
    "veilig. Maak ruimte vrij en probeer het opnieuw."
)
SQLITE_FULL = 13
SQLITE_IOERR = 10
# Below this much free space a failed write is the full disk, whatever the error says: SQLite
# reports a shared-memory file it cannot grow as a "disk I/O error", not as "disk full".
NEARLY_FULL = 1 << 20
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DiskFull(ServiceError):
    def __init__(self, message: str = DISK_FULL) -> None:
        super().__init__(message)


def is_disk_full(error: BaseException, folder: Path | None = None) -> bool:
    """SQLite's SQLITE_FULL ('database or disk is full', also when max_page_count is reached)
    or the operating system's 'no space left' / 'quota exceeded'; with `folder`, also an I/O
    error while the disk under `folder` has (almost) no room left."""
    original = getattr(error, "orig", None)  # a SQLAlchemy error wraps the driver's
    if (
        isinstance(original, BaseException)
        and original is not error
        and is_disk_full(original, folder)
    ):
        return True
    if isinstance(error, OSError):
        if error.errno in _FULL_ERRNOS:
            return True
        return folder is not None and nearly_full(folder)
    if isinstance(error, sqlcipher.Error):
        code = getattr(error, "sqlite_errorcode", None)
        if code == SQLITE_FULL or "database or disk is full" in str(error):
            return True
        io_error = isinstance(code, int) and code & 0xFF == SQLITE_IOERR
        return io_error and folder is not None and nearly_full(folder)
    return False


def nearly_full(folder: Path) -> bool:
    """Less than NEARLY_FULL free under `folder` (or its nearest existing parent)."""
    folder = Path(folder)
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL
    except OSError:
        return False


def watch_for_full_disk(engine: Engine, folder: Path | None = None) -> None:
    """Turn SQLITE_FULL anywhere on this engine (a save, an import, a commit) into DiskFull.
    SQLite has rolled the statement back; the session's transaction is rolled back as the
    error leaves it, so the file holds exactly what was committed before. With `folder` (the
    database's), an I/O error on a disk without room counts as full too."""

    def translate(context: ExceptionContext) -> None:
        if is_disk_full(context.original_exception, folder):
            raise DiskFull() from context.original_exception

    event.listen(engine, "handle_error", translate)


def location_warning_for(path: Path) -> str | None:
    """The warning for a database in a network share or a synchronised folder, or None."""
    resolved = str(Path(path).expanduser().resolve())
    mounts = ""
    network_drive = False
    if sys.platform.startswith("linux"):
        mounts = _read_text(Path("/proc/mounts"))
    elif sys.platform == "darwin" and resolved.startswith("/Volumes/"):
        mounts = _mount_command()
    elif sys.platform == "win32":
        network_drive = _is_remote_drive(resolved)
    return location_warning(resolved, sys.platform, mounts, network_drive)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _mount_command() -> str:
    # getmntinfo without waiting on the servers: it answers quickly, also for a dead share.
    try:
        return subprocess.run(
            ["/sbin/mount"], capture_output=True, text=True, timeout=3, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _is_remote_drive(path: str) -> bool:
    if len(path) < 2 or path[1] != ":":
        return False
    import ctypes

    windll: Any = getattr(ctypes, "windll", None)
    if windll is None:
        return False
    drive_remote = 4
    return bool(windll.kernel32.GetDriveTypeW(path[:2] + "\\") == drive_remote)
