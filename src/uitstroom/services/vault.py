"""Set-up, unlock and passphrase changes for an encrypted database file.

The order of trust: the keychain holds the data key; when it is missing or locked, the recovery
passphrase unwraps the key from the key file and the key goes back into the keychain. An old
unencrypted file from before encryption is converted in place: encrypted copy, verified, swapped,
the plaintext overwritten and removed.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from uitstroom.services.errors import ServiceError
from uitstroom.storage import cipher, keychain
from uitstroom.storage.keys import (
    KeyError_,
    WrappedKey,
    keyfile_for,
    new_data_key,
    passphrase_problem,
    read_keyfile,
    write_keyfile,
)


class DatabaseState(StrEnum):
    NEW = "nieuw"
    PLAINTEXT = "onversleuteld"
    ENCRYPTED = "versleuteld"


class PassphraseRequired(ServiceError):
    """The keychain holds no key for this database: ask for the recovery passphrase."""


class UnlockError(ServiceError):
    """Wrong passphrase, a missing or damaged key file: the message says what to do."""


def state_of(path: Path) -> DatabaseState:
    path = Path(path)
    if path.is_dir():
        raise UnlockError(f"{path} is een map, geen databasebestand. Kies een bestand.")
    if not path.exists() or path.stat().st_size == 0:
        return DatabaseState.NEW
    if cipher.is_plaintext_sqlite(path):
        return DatabaseState.PLAINTEXT
    return DatabaseState.ENCRYPTED


def _check_passphrase(passphrase: str) -> None:
    problem = passphrase_problem(passphrase)
    if problem:
        raise UnlockError(problem)


def set_up(path: Path, passphrase: str) -> bytes:
    """A new database: make the data key, wrap it under the passphrase, keep it in the keychain.
    Returns the key; the caller creates the database with it."""
    path = Path(path)
    _check_passphrase(passphrase)
    if state_of(path) is not DatabaseState.NEW:
        raise UnlockError(f"{path.name} bestaat al. Kies een nieuwe bestandsnaam.")
    key = new_data_key()
    wrapped = WrappedKey.wrap(key, passphrase)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_keyfile(path, wrapped)
    keychain.store_key(wrapped.database_id, key)
    return key


def unlock(path: Path, passphrase: str | None = None) -> bytes:
    """The data key for an encrypted database: from the keychain, else from the passphrase
    (and then stored in the keychain again). Raises PassphraseRequired or UnlockError."""
    path = Path(path)
    try:
        wrapped = read_keyfile(path)
    except KeyError_ as exc:
        raise UnlockError(str(exc)) from None
    if passphrase is None:
        key = keychain.load_key(wrapped.database_id)
        if key is not None and _opens(path, key):
            return key
        raise PassphraseRequired(
            "De sleutel van deze database staat niet in de sleutelbos van dit systeem. "
            "Vul het herstelwachtwoord in om de database te openen."
        )
    try:
        key = wrapped.unwrap(passphrase)
    except KeyError_ as exc:
        raise UnlockError(str(exc)) from None
    if not _opens(path, key):
        raise UnlockError(
            "Het sleutelbestand hoort niet bij deze database. Zet het juiste sleutelbestand "
            f"({keyfile_for(path).name}) terug uit een back-up."
        )
    keychain.store_key(wrapped.database_id, key)
    return key


def _opens(path: Path, key: bytes) -> bool:
    try:
        cipher.connect(path, key).close()
    except cipher.WrongKey:
        return False
    return True


def change_passphrase(path: Path, key: bytes, new_passphrase: str) -> None:
    """Re-wrap the same data key: backups made before stay readable."""
    _check_passphrase(new_passphrase)
    try:
        wrapped = read_keyfile(Path(path))
    except KeyError_ as exc:
        raise UnlockError(str(exc)) from None
    write_keyfile(Path(path), WrappedKey.wrap(key, new_passphrase, wrapped.database_id))


def encrypt_in_place(path: Path, passphrase: str) -> bytes:
    """Convert an unencrypted database from an earlier version. The plaintext stays untouched
    until the encrypted copy has been verified (same tables, same row counts, integrity ok)."""
    import sqlite3

    path = Path(path)
    _check_passphrase(passphrase)
    if state_of(path) is not DatabaseState.PLAINTEXT:
        raise UnlockError(f"{path.name} is geen onversleutelde database.")
    key = new_data_key()
    encrypted = path.with_name(path.name + ".versleuteld")
    encrypted.unlink(missing_ok=True)
    cipher.encrypt_plaintext(path, encrypted, key)
    plain = sqlite3.connect(path)
    try:
        expected = cipher.table_counts(plain)
    finally:
        plain.close()
    check = cipher.connect(encrypted, key)
    try:
        found = cipher.table_counts(check)
    finally:
        check.close()
    problems = cipher.check_integrity(encrypted, key)
    if found != expected or problems:
        encrypted.unlink(missing_ok=True)
        raise UnlockError(
            "Het versleutelen is niet gelukt; de database is niet veranderd. Probeer het opnieuw "
            "of neem contact op met de ICT-afdeling."
        )
    wrapped = WrappedKey.wrap(key, passphrase)
    write_keyfile(path, wrapped)
    for side_file in _side_files(path):
        cipher.secure_delete(side_file)
    plaintext_copy = path.with_name(path.name + ".onversleuteld")
    path.replace(plaintext_copy)
    encrypted.replace(path)
    cipher.secure_delete(plaintext_copy)
    keychain.store_key(wrapped.database_id, key)
    return key


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def finish_interrupted_conversion(path: Path) -> None:
    """After a crash during encrypt_in_place: complete the swap, never lose either copy."""
    path = Path(path)
    encrypted = path.with_name(path.name + ".versleuteld")
    plaintext_copy = path.with_name(path.name + ".onversleuteld")
    if not path.exists() and encrypted.exists() and keyfile_for(path).exists():
        encrypted.replace(path)
    if path.exists() and state_of(path) is DatabaseState.ENCRYPTED and plaintext_copy.exists():
        cipher.secure_delete(plaintext_copy)
    if path.exists() and state_of(path) is DatabaseState.PLAINTEXT:
        encrypted.unlink(missing_ok=True)
