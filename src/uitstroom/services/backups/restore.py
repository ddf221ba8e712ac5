"""Checking and restoring backups: verify a copy, swap it in with the current file kept aside,
find the key that opens it, and recover from the newest good copy when the file is damaged."""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3.dbapi2 as sqlcipher

from uitstroom.domain.audit import AuditAction
from uitstroom.domain.damage import Trouble, trouble_message
from uitstroom.domain.durability import (
    BackupReason,
)
from uitstroom.services import audit
from uitstroom.services.backups.copies import (
    BUSY,
    PARTIAL,
    REQUIRED_TABLES,
    BackupError,
    BackupInfo,
    RestoreRefused,
    RestoreResult,
    backup_before,
    backup_name,
    file_database,
    list_backups,
    remove_quietly,
    sidecar_database_id,
)
from uitstroom.services.durability import DiskFull, is_disk_full
from uitstroom.services.errors import ServiceError
from uitstroom.storage import cipher, keychain, migrate
from uitstroom.storage.keys import (
    KeyError_,
    WrappedKey,
    find_key,
    keyfile_for,
    put_keyfile,
    read_keyfile,
    stored_keys,
)

if TYPE_CHECKING:
    from uitstroom.services.database import Database


# --- restore ----------------------------------------------------------------------------------
def verify_backup(source: Path, key: bytes) -> str:
    """Check that `source` is a whole Uitstroom backup this program can open with this key.
    Returns its schema revision; raises RestoreRefused with a Dutch reason. Writes nothing."""
    name = source.name
    if not source.is_file():
        raise RestoreRefused(f"Het bestand {source} bestaat niet. Kies een back-up uit de lijst.")
    if cipher.is_plaintext_sqlite(source):
        raise RestoreRefused(
            f"{name} is een onversleutelde database, geen back-up van Uitstroom. Er is niets "
            "veranderd."
        )
    other_key = RestoreRefused(
        f"{name} gaat niet open met de sleutel van deze database. Het is een back-up van een "
        "andere database, of geen bestand van Uitstroom. Er is niets veranderd. Kies een "
        "back-up uit de map met back-ups van deze database."
    )
    not_ours = RestoreRefused(
        f"{name} is geen back-up van Uitstroom: de gegevens van Uitstroom staan er niet in. "
        "Er is niets veranderd. Kies een andere back-up."
    )
    damaged = RestoreRefused(
        f"{name} is beschadigd en wordt niet teruggezet. Er is niets veranderd. Kies een andere "
        "back-up."
    )
    try:
        connection = cipher.connect(source, key)
    except cipher.WrongKey:
        raise other_key from None
    except cipher.OpenFailed:
        # The first page decrypts but the rest does not hold together: damaged, not foreign.
        raise damaged from None
    except sqlcipher.Error:
        raise damaged from None
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if not tables >= REQUIRED_TABLES:
            raise not_ours
        revisions = [
            row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
        ]
    except sqlcipher.Error:
        raise damaged from None
    finally:
        connection.close()
    try:
        problems = cipher.check_integrity(source, key)
    except (cipher.OpenFailed, sqlcipher.Error):
        problems = ["unreadable"]
    if problems:
        raise damaged
    if len(revisions) != 1 or not _known_revision(revisions[0]):
        raise RestoreRefused(
            f"{name} is gemaakt met een nieuwere versie van Uitstroom. Werk Uitstroom eerst bij "
            "en zet de back-up daarna terug. Er is niets veranderd."
        )
    return str(revisions[0])


def _known_revision(revision: object) -> bool:
    return migrate.known_revision(str(revision))


def restore_backup(db: Database, source: Path, now: datetime | None = None) -> RestoreResult:
    """Put a backup in the place of the open database.

    In this order, so that nothing is lost at any moment: the backup is verified (a refusal
    changes nothing); it is copied beside the database and the copy verified; the current
    database is kept as a 'voor-herstel' backup; the WAL is folded in and closed; the copy
    replaces the file in one atomic rename; the database is opened again (and migrated when
    the backup is older). `db` keeps working afterwards: its engine now serves the restored
    file and every session made from `db.sessions` reads it.
    """
    path, key, backup_dir = file_database(db)
    now = now or datetime.now()
    source = Path(source).expanduser().resolve()
    if source == path:
        raise RestoreRefused("Dit is de database zelf. Kies een back-up om terug te zetten.")
    revision = verify_backup(source, key)
    restored = next((info for info in list_backups(path, backup_dir) if info.path == source), None)
    staged = path.with_name(path.name + ".herstel")
    with BUSY:
        _ensure_idle(db)
        try:
            staged.unlink(missing_ok=True)
            cipher.copy_encrypted(source, staged, key)
            verify_backup(staged, key)
        except (OSError, sqlcipher.Error, BackupError) as exc:
            remove_quietly(staged)
            if is_disk_full(exc):
                raise DiskFull(
                    "De schijf is vol: de back-up kon niet worden teruggezet. De database is "
                    "niet veranderd. Maak ruimte vrij en probeer het opnieuw."
                ) from exc
            raise BackupError(
                "De back-up kon niet worden klaargezet om terug te zetten. De database is niet "
                "veranderd. Probeer het opnieuw."
            ) from exc
        try:
            kept = _keep_current(db, now)
        except BackupError:
            remove_quietly(staged)
            raise
        _swap(db, staged)
        try:
            _reopen(db)
        except ServiceError as exc:
            _put_back(db, kept)
            raise BackupError(
                "De back-up kon na het terugzetten niet worden geopend. De database is weer "
                f"zoals hij was. (De bewaarde kopie staat in {kept}.)"
            ) from exc
    upgraded = revision != migrate.head_revision(db.engine)
    # Written into the restored database: its trail then says how it came back.
    audit.record(
        db.sessions,
        None,
        AuditAction.RESTORED,
        f"teruggezet: {source.name}; de vorige database is bewaard als {kept.name}",
        now=now,
    )
    return RestoreResult(restored, source, kept, now, upgraded)


def _keep_current(db: Database, now: datetime) -> Path:
    """The database as it is, kept before a restore replaces it: a verified backup 'voor
    herstel'; when it is damaged (the reason for most restores) it cannot be copied whole, so
    its bytes and its log are copied as they are, as 'beschadigd'. Never nothing."""
    try:
        return backup_before(db, BackupReason.VOOR_HERSTEL, now)
    except DiskFull:
        raise
    except BackupError:
        path, _key, backup_dir = file_database(db)
        kept = backup_dir / backup_name(path.stem, DAMAGED_REASON, now)
        try:
            cipher.private_folder(backup_dir)
            for side in ("", "-wal"):
                source = path.with_name(path.name + side)
                if source.exists():
                    partial = kept.with_name(kept.name + side + PARTIAL)
                    shutil.copyfile(source, partial)
                    cipher.owner_only(partial)
                    os.replace(partial, kept.with_name(kept.name + side))
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull(
                    "De schijf is vol: de huidige database kon niet apart worden bewaard, dus "
                    "de back-up is niet teruggezet. Maak ruimte vrij en probeer het opnieuw."
                ) from exc
            raise BackupError(
                "De huidige database kon niet apart worden bewaard, dus de back-up is niet "
                f"teruggezet ({exc.strerror}). Er is niets veranderd."
            ) from exc
        return kept


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


IN_USE = (
    "De database is nog in gebruik, daardoor kan de back-up nu niet worden teruggezet. Er is "
    "niets veranderd. Probeer het zo opnieuw."
)


def _ensure_idle(db: Database) -> None:
    checked_out = getattr(db.engine.pool, "checkedout", lambda: 0)
    if checked_out():  # a session elsewhere still holds a connection to the file
        raise BackupError(IN_USE)


def _swap(db: Database, replacement: Path) -> None:
    """Close the database with its WAL folded in and removed, then rename the replacement over
    it. A WAL left beside the new file would be replayed into it and mix the two databases."""
    assert db.path is not None
    try:
        _ensure_idle(db)
    except BackupError:
        remove_quietly(replacement)
        raise
    with db.engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    db.engine.dispose()
    if busy is not None and busy[0]:
        _reopen(db)
        remove_quietly(replacement)
        raise BackupError(IN_USE)
    # All connections are closed and the WAL is checkpointed: what is left is empty.
    for side_file in _side_files(db.path):
        side_file.unlink(missing_ok=True)
    os.replace(replacement, db.path)
    cipher.fsync_folder(db.path.parent)


def _reopen(db: Database) -> None:
    """Open the file at db.path again in the same Database object, keeping its lock."""
    from uitstroom.services.database import open_database

    assert db.path is not None
    fresh = open_database(db.path, db.key, db.backup_dir, lock=db.lock)
    db.engine = fresh.engine
    db.sessions.configure(bind=fresh.engine)
    db.backup_before_update = fresh.backup_before_update


def _put_back(db: Database, kept: Path) -> None:
    assert db.path is not None and db.key is not None
    staged = db.path.with_name(db.path.name + ".herstel")
    db.engine.dispose()
    cipher.copy_encrypted(kept, staged, db.key)
    for side_file in _side_files(db.path):
        side_file.unlink(missing_ok=True)
    os.replace(staged, db.path)
    cipher.fsync_folder(db.path.parent)
    _reopen(db)


# --- a database that no longer opens -----------------------------------------------------------
def key_for_backup(
    path: Path, source: Path, passphrase: str | None = None, backup_dir: Path | None = None
) -> bytes:
    """The data key, checked against the backup instead of the (damaged or missing) database.
    Every copy of the key is tried: the key file beside the database, the key store and the
    older copy in the backup folder, and the copies beside the backup (a folder on a stick);
    the keychain first, else unwrapped with `passphrase`. A damaged key file is skipped, so the
    recovery passphrase alone is enough while any copy is whole."""
    backup_dir = backup_dir or path.parent / "backups"
    candidates = _key_candidates(path, source, backup_dir)
    if not candidates:
        raise RestoreRefused(
            f"Er is geen bruikbaar sleutelbestand ({keyfile_for(path).name}) naast de database, "
            "in de back-upmap of naast de back-up. Zet de hele back-upmap terug (daarin staat "
            "de map 'sleutels') en probeer het opnieuw."
        )
    found = find_key(
        candidates, lambda key: _opens_backup(source, key), passphrase, keychain.load_key
    )
    if found.wrapped is None or found.key is None:
        if passphrase is None:
            raise PassphraseNeeded("Vul het herstelwachtwoord in om de back-up te openen.")
        if found.unwrapped:
            raise RestoreRefused(
                f"{source.name} gaat niet open met de sleutels die bij deze database horen: het "
                "is een back-up van een andere database, of geen bestand van Uitstroom. Er is "
                "niets veranderd. Kies een back-up uit de map met back-ups van deze database."
            )
        raise RestoreRefused(trouble_message(Trouble.WRONG_PASSPHRASE, path.name, ""))
    verify_backup(source, found.key)
    put_keyfile(path, found.wrapped, backup_dir)
    keychain.store_key(found.wrapped.database_id, found.key)
    return found.key


def _key_candidates(path: Path, source: Path, backup_dir: Path) -> list[WrappedKey]:
    """The sidecar's key first (it names the key that made the backup), then the rest."""
    found: list[WrappedKey] = []
    with contextlib.suppress(KeyError_, OSError):
        found.append(read_keyfile(path))
    for folder in dict.fromkeys((backup_dir, source.parent)):
        if folder.is_dir():
            found += [wrapped for _file, wrapped in stored_keys(folder)]
    unique: dict[str, WrappedKey] = {}
    for wrapped in found:
        unique.setdefault(wrapped.to_json(), wrapped)
    wanted = sidecar_database_id(source)
    return sorted(unique.values(), key=lambda w: w.database_id != wanted)


def _opens_backup(source: Path, key: bytes) -> bool:
    try:
        cipher.connect(source, key).close()
    except cipher.WrongKey:
        return False
    except cipher.OpenFailed:
        return True  # the key is right; verify_backup names the damage
    return True


class PassphraseNeeded(BackupError):
    pass


def restore_without_opening(
    path: Path, source: Path, key: bytes, backup_dir: Path, now: datetime | None = None
) -> Path | None:
    """Put a verified backup in place of a database that does not open (damaged, or gone).
    The old file is not deleted but moved into the backup folder as 'beschadigd'. Returns where
    it went, or None when there was no file. Holds the lock, so no program has it open."""
    from uitstroom.services.database import acquire_lock  # database imports this module

    now = now or datetime.now()
    source = Path(source).expanduser().resolve()
    verify_backup(source, key)
    lock = acquire_lock(path)
    try:
        staged = path.with_name(path.name + ".herstel")
        staged.unlink(missing_ok=True)
        cipher.copy_encrypted(source, staged, key)
        verify_backup(staged, key)
        backup_dir.mkdir(parents=True, exist_ok=True)
        kept = backup_dir / backup_name(path.stem, DAMAGED_REASON, now)
        # The old WAL and shared-memory files belong to the old file: they go with it, and
        # must never be applied to the restored one.
        for side in _side_files(path):
            if side.exists():
                os.replace(side, kept.with_name(kept.name + side.name[len(path.name) :]))
        if path.exists():
            os.replace(path, kept)
        os.replace(staged, path)
        cipher.fsync_folder(path.parent)
        return kept if kept.exists() else None
    finally:
        lock.release()


@dataclass(frozen=True)
class Recovered:
    source: Path  # the backup that is the database now
    kept: Path | None  # where the database that did not open went (None: there was none)
    key: bytes = field(default=b"", repr=False)  # the key that opens it, to open it at once


DAMAGED_REASON = "beschadigd"


def newest_verified(path: Path, backup_dir: Path, key: bytes) -> BackupInfo:
    """The newest backup that is whole and opens with `key` (the open database's), for
    `uitstroom restore` without a file; RestoreRefused when none will do."""
    candidates = [info for info in list_backups(path, backup_dir) if info.reason != DAMAGED_REASON]
    for info in candidates:
        try:
            verify_backup(info.path, key)
        except RestoreRefused:
            continue
        return info
    raise RestoreRefused(
        f"Er is geen goede back-up van {path.name} in {backup_dir} ({len(candidates)} "
        "geprobeerd). Er is niets veranderd."
    )


def newest_good_backup(
    path: Path, backup_dir: Path, passphrase: str | None = None
) -> tuple[BackupInfo, bytes]:
    """The newest backup that is whole and opens with one of this database's keys, with that
    key. A damaged backup is passed over for the one before it. Raises PassphraseNeeded when
    the keychain has none of the keys, RestoreRefused when no backup will do."""
    tried = 0
    for info in list_backups(path, backup_dir):
        if info.reason == DAMAGED_REASON:
            continue  # a database that did not open, kept aside: never a way back
        tried += 1
        try:
            return info, key_for_backup(path, info.path, passphrase, backup_dir)
        except PassphraseNeeded:
            raise
        except RestoreRefused as exc:
            if passphrase is not None and "herstelwachtwoord klopt niet" in str(exc):
                raise
            continue
    if not tried:
        raise RestoreRefused(
            f"Er zijn geen back-ups van {path.name} in {backup_dir}. Staat de back-upmap ergens "
            "anders (een USB-stick, de schijf van school)? Kies daar dan een back-up."
        )
    raise RestoreRefused(
        f"Geen van de {tried} back-ups in {backup_dir} is in orde of past bij deze database. "
        "Er is niets veranderd. Neem contact op met de ICT-afdeling."
    )


def recover(
    path: Path,
    backup_dir: Path,
    passphrase: str | None = None,
    source: Path | None = None,
    now: datetime | None = None,
) -> Recovered:
    """Restore a database that does not open (damaged, empty, cut short, gone, or its key file
    damaged or gone): the chosen backup, else the newest good one. Only the recovery passphrase
    is needed (or the keychain); the file that did not open is kept aside, never deleted."""
    if source is None:
        info, key = newest_good_backup(path, backup_dir, passphrase)
        source = info.path
    else:
        source = Path(source).expanduser().resolve()
        key = key_for_backup(path, source, passphrase, backup_dir)
    kept = restore_without_opening(path, source, key, backup_dir, now)
    return Recovered(source, kept, key)
