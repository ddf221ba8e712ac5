"""The program's own log: what happened, for IT or the helpdesk after a crash, never who it was about.

A rotating file in the user's log folder (platformdirs: `%LOCALAPPDATA%\\Uitstroom\\Uitstroom\\Logs`
on Windows, `~/Library/Logs/Uitstroom` on macOS, `~/.local/state/Uitstroom/log` on Linux), at most
four files of 512 kB. The rule that keeps names out: the program logs events with ids and counts
("import: 48 leerlingen, 2 geweigerd"), and an error is written as its type and the places in the
code it passed (file, line, function), never its message or any value, because a message can
quote what was typed ("Geen leerling 'Jansen'"). Messages of libraries are kept only from
WARNING up (alembic, filelock), as they say nothing about pupils. The log is started by the
installed program (`uitstroom.__main__`), not by tests or by code that imports `uitstroom.cli`.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from uitstroom import APP_NAME, APP_ORG, __version__

LOG_FILENAME = "uitstroom.log"
LOG_BYTES = 512 * 1024
LOG_BACKUPS = 3
LOG_DIR_ENV = "UITSTROOM_LOG_DIR"  # IT may point the log elsewhere; tests do

log = logging.getLogger("uitstroom")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def log_folder() -> Path:
    chosen = os.environ.get(LOG_DIR_ENV)
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, APP_ORG))


def where_it_went(error: BaseException) -> str:
    """An error as its type and the places it passed, without its message: 'KeyError at
    services/pupils.py:212 in record < ui/main_window.py:88 in open_pupil'."""
    frames = traceback.extract_tb(error.__traceback__)
    places = [
        f"{_short(frame.filename)}:{frame.lineno} in {frame.name}" for frame in reversed(frames)
    ]
    text = type(error).__qualname__
    if places:
        text += " at " + " < ".join(places)
    cause = error.__cause__ or error.__context__
    if cause is not None and cause is not error:
        text += f" (na {type(cause).__qualname__})"
    return text


def _short(filename: str) -> str:
    """A file name from the program or a library, without the folders that name the user."""
    path = filename.replace("\\", "/")
    for marker in ("/uitstroom/", "/site-packages/", "/lib/python"):
        if marker in path:
            return path.split(marker, 1)[1]
    return Path(path).name


class WithoutMessages(logging.Formatter):
    """Exceptions as where_it_went; the record's own message only from our own loggers."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = where_it_went(record.exc_info[1])
        return super().format(record)

    def formatException(self, ei: object) -> str:
        return "" if not isinstance(ei, tuple) or ei[1] is None else where_it_went(ei[1])


class OursOrWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.name.startswith("uitstroom") or record.levelno >= logging.WARNING


_handler: RotatingFileHandler | None = None


def start_log(folder: Path | None = None) -> Path | None:
    """Start writing the log (once per process); None when the folder cannot be made (a full
    or read-only disk): the program works without its log rather than not at all."""
    global _handler
    if _handler is not None:
        return Path(_handler.baseFilename)
    folder = folder or log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / LOG_FILENAME
        handler = RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=False
        )
        os.chmod(path, 0o600)
    except OSError:
        return None
    handler.setFormatter(WithoutMessages("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(OursOrWarnings())
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    _handler = handler
    log.info(
        "start: Uitstroom %s, Python %s, %s %s",
        __version__,
        platform.python_version(),
        platform.system(),
        platform.release(),
    )
    return path


def stop_log() -> None:
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


def log_tail(lines: int = 60) -> str:
    """The last lines of the log, for *Diagnose kopiëren*: what the log holds, so no names."""
    if _handler is None:
        return "(geen logboek)"
    _handler.flush()
    try:
        text = Path(_handler.baseFilename).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(het logboek is niet te lezen)"
    return "\n".join(text.splitlines()[-lines:])


def diagnosis() -> str:
    """What the helpdesk needs first: version and system, where the log is, and its tail."""
    where = _handler.baseFilename if _handler is not None else "geen"
    return (
        f"Uitstroom {__version__} · Python {platform.python_version()} · "
        f"{platform.system()} {platform.release()}\nLogboek: {where}\n\n{log_tail()}"
    )


def catch_unexpected(show: Callable[[BaseException], bool] | None = None) -> None:
    """An error nobody caught is logged (without its message) and, where a window can say it,
    shown calmly by `show` (False: no window to show it in) instead of the program
    vanishing."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        error.__traceback__ = tb
        log.error("onverwachte fout: %s", where_it_went(error))
        try:
            if show is not None and show(error):
                return
        except Exception as failed:  # the dialog itself failed
            log.error("de foutmelding kon niet worden getoond: %s", where_it_went(failed))
        sys.__excepthook__(kind, error, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            args.exc_value.__traceback__ = args.exc_traceback
            log.error("onverwachte fout in een taak: %s", where_it_went(args.exc_value))

    sys.excepthook = hook
    threading.excepthook = thread_hook
