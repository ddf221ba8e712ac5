"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from uitstroom.services.errors import ServiceError


class FileWriteError(ServiceError):
    pass


def write_error_message(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"De schijf is vol. {path.name} is niet opgeslagen. Maak ruimte vrij en probeer het opnieuw."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"U mag niet schrijven in {path.parent}. Kies een andere map."
    if exc.errno == errno.ENOENT:
        return f"De map {path.parent} bestaat niet. Kies een andere map."
    # Not exc.strerror: the system says it in English ('Permission denied').
    return (
        f"{path.name} kon niet worden opgeslagen (foutcode {exc.errno or '?'}). Kies een "
        "andere plek."
    )


def read_error_message(path: Path, exc: OSError) -> str:
    """Why a file cannot be read, in Dutch, with what to do."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"U mag {path.name} niet openen. Kies een ander bestand of vraag om toegang."
    if exc.errno == errno.ENOENT:
        return f"{path} bestaat niet (meer). Kies een ander bestand."
    if exc.errno == errno.EISDIR:
        return f"{path.name} is een map, geen bestand. Kies een bestand."
    return f"{path.name} kan niet worden gelezen (foutcode {exc.errno or '?'}). Kies een ander bestand."


def error_text(exc: Exception, reading: bool = False) -> str:
    """What to show for a failure: a service's own Dutch message, or for an operating-system
    error a Dutch sentence instead of its English text ('[Errno 13] Permission denied')."""
    if isinstance(exc, OSError):
        path = Path(str(exc.filename or "bestand"))
        return read_error_message(path, exc) if reading else write_error_message(path, exc)
    return str(exc)


@contextmanager
def atomic_output(path: Path, mode: str = "wb", **kwargs: object) -> Iterator[IO[Any]]:
    """Write to a temporary file beside `path`, then swap it in; on any error, nothing changes."""
    path = Path(path)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise FileWriteError(write_error_message(path, exc)) from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, mode, **kwargs) as stream:  # type: ignore[call-overload]
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise FileWriteError(write_error_message(path, exc)) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    with atomic_output(path) as stream:
        write(stream)
