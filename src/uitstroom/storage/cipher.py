"""SQLCipher under SQLAlchemy: every page of the database, its WAL and its backups encrypted
with the 256-bit data key (AES-256, SQLCipher 4 defaults)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event

from uitstroom.storage.keys import KEY_BYTES

SQLITE_HEADER = b"SQLite format 3\x00"


class WrongKey(Exception):
    """The key does not open this file (or the file is no database at all)."""


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
    except (sqlcipher.DatabaseError, WrongKey) as exc:
        connection.close()
        raise WrongKey(str(exc)) from None
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
    finally:
        connection.close()


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
