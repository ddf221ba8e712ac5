"""SQLCipher under SQLAlchemy: every page of the database, its WAL and its backups encrypted
with the 256-bit data key (AES-256, SQLCipher 4 defaults)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event

from uitstroom.storage.keys import KEY_BYTES

SQLITE_HEADER = b"SQLite format 3\x00"


class OpenFailed(Exception):
    """The file does not open with this key; the subclass says why (SQLite's own error code)."""


class WrongKey(OpenFailed):
    """The first page does not decrypt: another key, no database at all, or page 1 damaged
    (SQLCipher cannot tell these apart; the caller asks the backups, see services.vault)."""


class Damaged(OpenFailed):
    """The first page decrypts with this key, but the rest does not hold together."""


class NoSpace(OpenFailed):
    """The disk is full (SQLite needs room for its shared-memory and log files to open)."""


class Unreadable(OpenFailed):
    """The operating system refuses the file: no permission, a removed drive, an I/O error."""


# SQLite's primary result codes (sqlite.org/rescode.html).
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 3, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26
# Owner only: the file holds special-needs data of minors (a shared laptop has other logins).
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def failure(error: BaseException) -> OpenFailed:
    """The typed failure for a driver error met while opening or reading a file."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error)
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return NoSpace(text)
    if primary == _SQLITE_CORRUPT or "malformed" in text:
        return Damaged(text)
    if primary in (_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CANTOPEN):
        return Unreadable(text)
    return WrongKey(text)


def owner_only(path: Path) -> None:
    """0600 for a file, 0700 for a folder, where the platform has such modes (not Windows,
    where the user's profile folder already keeps other users out)."""
    if os.name != "posix":
        return
    # Not ours to change (a shared folder): the file is still encrypted.
    with contextlib.suppress(OSError):
        os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)


def private_folder(folder: Path) -> None:
    """Create `folder` (and its parents) when missing; a folder made here is owner-only."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    owner_only(folder)


def _key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise WrongKey("Een sleutel is 32 bytes lang.")
    # A raw key in x'..' form: SQLCipher skips its own passphrase derivation.
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path, key: bytes, timeout: float = 15.0) -> Any:
    """A DB-API connection to an encrypted file, checked: a wrong key raises WrongKey."""
    connection = sqlcipher.connect(str(path), timeout=timeout, check_same_thread=False)
    try:
        # SQLCipher writes decryption failures to stderr; a wrong key is reported to the user
        # in plain Dutch instead, so the terminal stays quiet.
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(_key_pragma(key))
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except WrongKey:
        connection.close()
        raise
    except sqlcipher.Error as exc:
        connection.close()
        raise failure(exc) from None
    return connection


def is_plaintext_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(16) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def make_encrypted_engine(path: Path, key: bytes) -> Engine:
    path = Path(path)
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher,
        creator=lambda: connect(path, key),
    )
    event.listen(engine, "connect", _pragmas)
    return engine


def _pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit that returned survives a power cut; fullfsync matters on macOS only.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA fullfsync = ON")
    # Temporary tables and sort files stay in memory, never as plaintext in the temp folder.
    cursor.execute("PRAGMA temp_store = MEMORY")
    # Up to 48 MB of decrypted pages stay in memory (the default is 2 MB): with 20,000 pupils
    # the start screen's queries otherwise decrypt the same pages again on every refresh.
    cursor.execute("PRAGMA cache_size = -49152")
    cursor.close()


def check_integrity(path: Path, key: bytes) -> list[str]:
    """SQLCipher's page HMAC check and SQLite's own integrity check; [] means healthy."""
    connection = connect(path, key)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA cipher_integrity_check")]
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems += result
        return problems
    except sqlcipher.Error as exc:
        return [str(exc)]
    finally:
        connection.close()


def check_pages(connection: Any) -> list[str]:
    """SQLCipher's HMAC over every page of the file: a flipped byte anywhere, a page from
    elsewhere, a page cut short. Reads every page but decrypts none, so it is the cheap whole-
    file check (about 4 ms per MB here); SQLite's own integrity check walks every tree and
    costs several times more. [] means every page is as SQLCipher wrote it."""
    try:
        return [row[0] for row in connection.execute("PRAGMA cipher_integrity_check")]
    except sqlcipher.Error as exc:
        return [str(exc)]


def copy_encrypted(source: Path, target: Path, key: bytes) -> None:
    """A consistent encrypted copy through the online backup API (safe while others write)."""
    tmp = target.with_name(target.name + ".deel")
    tmp.unlink(missing_ok=True)
    src = connect(source, key)
    try:
        dst = connect(tmp, key)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    owner_only(tmp)
    _fsync(tmp)
    os.replace(tmp, target)


def encrypt_plaintext(source: Path, target: Path, key: bytes) -> None:
    """Copy a plaintext SQLite file into a new encrypted file with sqlcipher_export."""
    tmp = target.with_name(target.name + ".deel")
    tmp.unlink(missing_ok=True)
    # Fold the plaintext WAL into the main file first so the copy misses nothing.
    plain = sqlite3.connect(source)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        plain.close()
    connection = sqlcipher.connect(str(source))
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(tmp),))
        connection.execute("SELECT sqlcipher_export('encrypted')")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        connection.close()
    owner_only(tmp)
    _fsync(tmp)
    os.replace(tmp, target)


def table_counts(connection: Any) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
    }


def secure_delete(path: Path) -> None:
    """Overwrite a plaintext file before removing it. On SSDs and copy-on-write file systems an
    overwrite is not a guarantee; whole-disk encryption (BitLocker, FileVault) covers the rest."""
    if not path.exists():
        return
    size = path.stat().st_size
    with open(path, "r+b") as stream:
        remaining = size
        while remaining > 0:
            chunk = min(remaining, 1 << 20)
            stream.write(os.urandom(chunk))
            remaining -= chunk
        stream.flush()
        os.fsync(stream.fileno())
    path.unlink()


def _fsync(path: Path) -> None:
    with open(path, "rb") as stream:
        os.fsync(stream.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX); Windows has no directory handles for this."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
