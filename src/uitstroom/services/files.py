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
    return f"{path.name} kon niet worden opgeslagen ({exc.strerror}). Kies een andere plek."


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


def write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    with atomic_output(path) as stream:
        write(stream)
