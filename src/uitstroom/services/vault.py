"""Set-up, unlock and passphrase changes for an encrypted database file.

The order of trust: the keychain holds the data key; when it is missing or locked, the recovery
passphrase unwraps the key from the key file and the key goes back into the keychain. An old
unencrypted file from before encryption is converted in place: encrypted copy, verified, swapped,
the plaintext overwritten and removed.
"""

from __future__ import annotations

import hmac
import io
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from uitstroom.domain.damage import Trouble, trouble_message
from uitstroom.domain.daypass import day_password_problem, may_try_at, wait_text
from uitstroom.services.database import BUILDING, BUILT, PAGE_SIZE, build_new_database
from uitstroom.services.durability import nearly_full
from uitstroom.services.errors import ServiceError, Unopenable
from uitstroom.services.files import write_atomically
from uitstroom.services.identity import os_login
from uitstroom.storage import cipher, keychain
from uitstroom.storage.keys import MIN_PASSPHRASE as MIN_PASSPHRASE  # for the set-up text
from uitstroom.storage.keys import (
    DayKey,
    KeyError_,
    KeyFileDamaged,
    KeyFileMissing,
    WrappedKey,
    WrongPassphrase,
    find_key,
    keep_in_store,
    keyfile_for,
    new_data_key,
    put_keyfile,
    read_daykey,
    read_keyfile,
    stored_keys,
    write_daykey,
    write_keyfile,
)
from uitstroom.storage.keys import passphrase_problem as passphrase_problem  # the dialogs check
from uitstroom.storage.wal import check_wal

if TYPE_CHECKING:
    from uitstroom.documents.recovery_sheet import RecoverySheet as RecoverySheet


class DatabaseState(StrEnum):
    NEW = "nieuw"
    PLAINTEXT = "onversleuteld"
    ENCRYPTED = "versleuteld"


class PassphraseRequired(ServiceError):
    """The keychain holds no key for this database: ask for the recovery passphrase."""


class UnlockError(Unopenable):
    """Wrong passphrase, a missing or damaged key file, a damaged database: the message says
    what to do, and `trouble` says which of these it is (domain.damage)."""


def backups_of(path: Path) -> Path:
    """Where the backups (and the copies of the key) of the database at `path` are kept."""
    return Path(path).parent / "backups"


def trouble(kind: Trouble, path: Path, detail: str = "") -> UnlockError:
    path = Path(path)
    return UnlockError(trouble_message(kind, path.name, keyfile_for(path).name, detail), kind)


def state_of(path: Path) -> DatabaseState:
    """What is at `path`. Only a path where nothing is becomes a new database: an empty, cut
    short or missing file whose key file is still there is damage (UnlockError), never NEW,
    since a new key there would leave every backup without its key."""
    path = Path(path)
    if path.is_dir():
        raise UnlockError(f"{path} is een map, geen databasebestand. Kies een bestand.")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        if keyfile_for(path).exists():
            raise trouble(Trouble.DATABASE_MISSING, path) from None
        return DatabaseState.NEW
    except OSError as exc:
        raise trouble(Trouble.UNREADABLE, path, exc.strerror or "") from None
    if size == 0:
        raise trouble(Trouble.DATABASE_EMPTY, path)
    try:
        if cipher.is_plaintext_sqlite(path):
            return DatabaseState.PLAINTEXT
    except OSError as exc:
        raise trouble(Trouble.UNREADABLE, path, exc.strerror or "") from None
    if not _has_keys(path):
        # No key file and no copy of one: no Uitstroom database, or one from elsewhere.
        # unlock() says so; calling it damaged would send the user to backups there are not.
        return DatabaseState.ENCRYPTED
    if size % PAGE_SIZE:
        raise trouble(Trouble.DATABASE_DAMAGED, path, "het bestand is afgekapt")
    try:
        wal = check_wal(path)
    except OSError as exc:
        raise trouble(Trouble.UNREADABLE, path, exc.strerror or "") from None
    if wal.damaged:
        raise trouble(Trouble.DATABASE_DAMAGED, path, "het logboek met de laatste wijzigingen")
    return DatabaseState.ENCRYPTED


def has_keyfile(path: Path) -> bool:
    """Whether the database at `path` has its key file (a recovery passphrase to change)."""
    return keyfile_for(path).exists()


def _has_keys(path: Path) -> bool:
    if has_keyfile(path):
        return True
    return any(True for _ in stored_keys(backups_of(path))) if backups_of(path).is_dir() else False


def _check_passphrase(passphrase: str) -> None:
    problem = passphrase_problem(passphrase)
    if problem:
        raise UnlockError(problem)


def set_up(path: Path, passphrase: str) -> bytes:
    """A new database: make the data key, wrap it under the passphrase, build the database
    beside the target and rename it into place only when complete; keep the key in the
    keychain. A failure (a full disk) leaves nothing behind. Returns the key."""
    path = Path(path)
    _check_passphrase(passphrase)
    if state_of(path) is not DatabaseState.NEW:
        raise UnlockError(f"{path.name} bestaat al. Kies een nieuwe bestandsnaam.")
    key = new_data_key()
    wrapped = WrappedKey.wrap(key, passphrase)
    cipher.private_folder(path.parent)
    build_new_database(path, key, keyfile=wrapped)
    keychain.store_key(wrapped.database_id, key)
    return key


def finish_interrupted_creation(path: Path) -> None:
    """After a crash while a new database was made: a complete one (renamed to .nieuw only
    once whole) is put in place; a half-built one is removed, as if never started."""
    path = Path(path)
    built = path.with_name(path.name + BUILT)
    if not path.exists() and built.exists() and keyfile_for(path).exists():
        built.replace(path)
    for leftover in (path.with_name(path.name + BUILDING), built):
        for side in ("", "-wal", "-shm", "-journal"):
            leftover.with_name(leftover.name + side).unlink(missing_ok=True)


def _candidates(path: Path, backup_dir: Path) -> tuple[list[WrappedKey], Trouble | None]:
    """The key files that may open `path`: the one beside it first, then every copy in the
    backup folder. The second value names what is wrong with the one beside it, if anything."""
    found: list[WrappedKey] = []
    beside: Trouble | None = None
    try:
        found.append(read_keyfile(path))
    except KeyFileMissing:
        beside = Trouble.KEYFILE_MISSING
    except (KeyFileDamaged, OSError):
        beside = Trouble.KEYFILE_DAMAGED
    if backup_dir.is_dir():
        for _file, wrapped in stored_keys(backup_dir):
            if all(wrapped.to_json() != known.to_json() for known in found):
                found.append(wrapped)
    return found, beside


def unlock(path: Path, passphrase: str | None = None, backup_dir: Path | None = None) -> bytes:
    """The data key for an encrypted database: from the keychain, else from the passphrase
    (and then stored in the keychain again). Every copy of the key is tried: the key file
    beside the database, then those in the backup folder, so a damaged or missing key file
    never locks the user out. Raises PassphraseRequired or UnlockError (with its trouble)."""
    path = Path(path)
    backup_dir = backup_dir or backups_of(path)
    candidates, beside = _candidates(path, backup_dir)
    if not candidates:
        # No copy anywhere: the key file's own words (is this an Uitstroom database at all?).
        try:
            read_keyfile(path)
        except KeyError_ as exc:
            raise UnlockError(str(exc), beside) from None
        raise trouble(beside or Trouble.KEYFILE_MISSING, path)
    found = find_key(
        candidates, lambda key: _opens(path, key, backup_dir), passphrase, keychain.load_key
    )
    if found.wrapped is None or found.key is None:
        if passphrase is None:
            if beside is not None:
                raise PassphraseRequired(trouble(beside, path).args[0])
            raise PassphraseRequired(
                "De sleutel van deze database staat niet in de sleutelbos van dit systeem. "
                "Vul het herstelwachtwoord in om de database te openen."
            )
        # Unwrapped but opening nothing: keys of another database in the same folders.
        raise trouble(Trouble.OTHER_KEY if found.unwrapped else Trouble.WRONG_PASSPHRASE, path)
    wrapped, key = found.wrapped, found.key
    if passphrase is None:
        if wrapped is not candidates[0] or beside is not None:
            put_keyfile(path, wrapped, backup_dir)
        return key
    if wrapped.needs_rewrap or beside is not None or wrapped is not candidates[0]:
        # Today's scrypt cost and checksum; the key file beside the database repaired.
        wrapped = WrappedKey.wrap(key, passphrase, wrapped.database_id)
    put_keyfile(path, wrapped, backup_dir)
    keep_in_store(backup_dir, wrapped)
    keychain.store_key(wrapped.database_id, key)
    return key


def _opens(path: Path, key: bytes, backup_dir: Path) -> bool:
    """True when `key` opens `path`; False for another key. Damage is raised, named: a first
    page that will not decrypt with a key that does open this database's own backups is
    damage too (SQLCipher reports both as 'not a database')."""
    try:
        cipher.connect(path, key).close()
    except cipher.WrongKey:
        if _opens_a_backup(path, key, backup_dir):
            raise trouble(Trouble.DATABASE_DAMAGED, path, "het begin van het bestand") from None
        return False
    except cipher.Damaged:
        raise trouble(Trouble.DATABASE_DAMAGED, path) from None
    except cipher.NoSpace:
        raise trouble(Trouble.DISK_FULL, path) from None
    except cipher.Unreadable as exc:
        if nearly_full(path.parent):  # SQLite's "disk I/O error" for a shared-memory file
            raise trouble(Trouble.DISK_FULL, path) from None
        raise trouble(Trouble.UNREADABLE, path, str(exc)) from None
    return True


def _opens_a_backup(path: Path, key: bytes, backup_dir: Path) -> bool:
    from uitstroom.services.backups import list_backups  # backups imports the storage layer

    for info in list_backups(path, backup_dir)[:3]:
        try:
            cipher.connect(info.path, key).close()
        except cipher.OpenFailed:
            continue
        return True
    return False


def change_passphrase(path: Path, key: bytes, new_passphrase: str) -> None:
    """Re-wrap the same data key: backups made before stay readable."""
    _check_passphrase(new_passphrase)
    try:
        wrapped = read_keyfile(Path(path))
    except KeyError_ as exc:
        raise UnlockError(str(exc)) from None
    rewrapped = WrappedKey.wrap(key, new_passphrase, wrapped.database_id)
    write_keyfile(Path(path), rewrapped)
    # The copy in the backup folder follows, so every backup opens with the new passphrase.
    keep_in_store(backups_of(Path(path)), rewrapped)


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
    _keep_existing_keyfile(path)
    write_keyfile(path, wrapped)
    for side_file in _side_files(path):
        cipher.secure_delete(side_file)
    plaintext_copy = path.with_name(path.name + ".onversleuteld")
    path.replace(plaintext_copy)
    encrypted.replace(path)
    cipher.secure_delete(plaintext_copy)
    keychain.store_key(wrapped.database_id, key)
    return key


def _keep_existing_keyfile(path: Path) -> None:
    """A key file about to be replaced goes into the key store first: the rule is that no key
    that opens a database or a backup is ever lost by writing another one over it."""
    try:
        present = read_keyfile(path)
    except (KeyError_, OSError):
        return
    keep_in_store(backups_of(path), present)


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


# --- the dagwachtwoord ------------------------------------------------------------------------
class TooManyTries(UnlockError):
    """Wrong too often: the next try is taken only after a wait (domain.daypass)."""


def has_day_password(path: Path) -> bool:
    try:
        return read_daykey(Path(path)) is not None
    except KeyFileDamaged:
        return False


def set_day_password(path: Path, key: bytes, password: str) -> None:
    """Wrap the open database's key a second time, under the user's dagwachtwoord."""
    problem = day_password_problem(password)
    if problem:
        raise UnlockError(problem)
    path = Path(path)
    database_id = read_keyfile(path).database_id
    write_daykey(path, DayKey(WrappedKey.wrap(key, password, database_id)))


def check_secret(path: Path, key: bytes, secret: str, now: datetime) -> None:
    """The lock screen's check: the dagwachtwoord, or the recovery passphrase when that is
    what was typed (the way back when the dagwachtwoord is forgotten); it must give the very
    key the database is open with. Wrong tries count against the rate limit, also those with
    the recovery passphrase. Raises UnlockError (TooManyTries while a wait runs)."""
    if not secret:
        raise UnlockError("Vul uw dagwachtwoord in (of het herstelwachtwoord).")
    found = unlock_with_secret(path, secret, now)
    if not hmac.compare_digest(found, key):
        raise UnlockError(
            "Dit wachtwoord hoort bij een andere database. Gebruik het dagwachtwoord of het "
            "herstelwachtwoord van deze database."
        )


def unlock_with_secret(path: Path, secret: str, now: datetime) -> bytes:
    """The data key from the dagwachtwoord, else from the recovery passphrase; a wrong secret
    is counted, and after FREE_TRIES the next try waits (domain.daypass.wait_after)."""
    path = Path(path)
    try:
        day = read_daykey(path)
    except KeyFileDamaged:
        day = None  # the recovery passphrase still works; a new dagwachtwoord replaces it
    if day is not None:
        ready_at = may_try_at(day.failures, day.last_failure)
        if ready_at is not None and now < ready_at:
            raise TooManyTries(
                "Te vaak een verkeerd wachtwoord. Probeer het over "
                f"{wait_text(ready_at - now)} opnieuw."
            )
        try:
            key = day.wrapped.unwrap(secret)
        except WrongPassphrase:
            pass
        else:
            if _opens(path, key, backups_of(path)):
                if day.failures:
                    write_daykey(path, DayKey(day.wrapped))
                return key
    try:
        key = unlock(path, secret)
    except UnlockError as exc:
        if exc.trouble is not Trouble.WRONG_PASSPHRASE:
            raise
        if day is not None:
            write_daykey(path, DayKey(day.wrapped, day.failures + 1, now))
        raise UnlockError(
            "Dit wachtwoord klopt niet. Vul uw dagwachtwoord in; bent u dat vergeten, dan "
            "werkt het herstelwachtwoord ook.",
            Trouble.WRONG_PASSPHRASE,
        ) from None
    if day is not None and day.failures:
        write_daykey(path, DayKey(day.wrapped))
    return key


def keychain_available() -> bool:
    """Whether this computer has a usable keychain for the data key (the About box says so)."""
    return keychain.keychain_available()


# --- the herstelblad ---------------------------------------------------------------------------
# reportlab is loaded when a sheet is made, not when the program starts.


def recovery_sheet(path: Path, passphrase: str, school_name: str = "") -> RecoverySheet:
    """The herstelblad's content for the database at `path` and its (new) passphrase."""
    from uitstroom.documents.recovery_sheet import RecoverySheet

    return RecoverySheet(
        school_name=school_name,
        database_location=str(path),
        database_id=read_keyfile(path).database_id,
        passphrase=passphrase,
        made_on=date.today(),
        made_by=os_login(),
    )


def save_recovery_sheet(sheet: RecoverySheet, target: Path) -> None:
    """The herstelblad as a PDF at `target`, whole or not at all (FileWriteError in Dutch)."""
    from uitstroom.documents.recovery_sheet import render_recovery_sheet

    buffer = io.BytesIO()
    render_recovery_sheet(sheet, buffer)
    write_atomically(target, lambda stream: stream.write(buffer.getvalue()))
