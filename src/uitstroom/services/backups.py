"""Encrypted backup copies of the database file: made, verified, rotated, listed and restored.

A backup is a complete copy made through SQLite's backup API (consistent while others write),
encrypted with the same data key, then opened and checked before it counts. Its name says when
and why it was made: `uitstroom-20261123-093000-000000-dagelijks.db`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3.dbapi2 as sqlcipher

from uitstroom.domain.audit import GENESIS, AuditAction, ChainAnchor
from uitstroom.domain.damage import Trouble, trouble_message
from uitstroom.domain.durability import (
    BackupReason,
    BackupStamp,
    backup_file_name,
    moment_text,
    parse_backup_file_name,
    reason_label,
    size_text,
)
from uitstroom.domain.rotation import backups_to_keep
from uitstroom.services import audit
from uitstroom.services.durability import DiskFull, is_disk_full
from uitstroom.services.errors import ServiceError
from uitstroom.storage import cipher, keychain, migrate
from uitstroom.storage.keys import (
    KeyError_,
    WrappedKey,
    find_key,
    keep_in_store,
    keyfile_for,
    put_keyfile,
    read_keyfile,
    read_wrapped,
    stored_keys,
)

if TYPE_CHECKING:
    from uitstroom.services.database import Database

PARTIAL = ".deel"
# Beside every backup: which key opens it and how long the audit trail was (the anchor).
SIDECAR = ".json"
# Tables every Uitstroom database has had since the first schema.
REQUIRED_TABLES = frozenset({"alembic_version", "school_settings", "cohort", "pupil"})

# One backup, rotation or restore at a time in this program: rotation removes stray partial
# files, which must never be the one another thread is writing. Other programs cannot touch
# these files: the database lock keeps them out.
_BUSY = threading.RLock()


class BackupError(ServiceError):
    pass


class RestoreRefused(BackupError):
    """The chosen file is not a usable backup; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason)

    @property
    def description(self) -> str:
        """'23 november 2026, 09:30 (dagelijks)'."""
        return f"{moment_text(self.made_at)} ({self.reason_label})"

    @property
    def size_text(self) -> str:
        return size_text(self.size)


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo | None  # None for a file from outside the backup folder
    source: Path
    kept: Path  # the database as it was just before, kept as a 'voor-herstel' backup
    kept_at: datetime
    upgraded: bool  # the backup came from an older version and was brought up to date


def backup_name(stem: str, reason: str, now: datetime) -> str:
    return backup_file_name(stem, reason, now)


def make_backup(path: Path, key: bytes, backup_dir: Path, reason: str, now: datetime) -> Path:
    """Copy the database (encrypted with the same key) and check the copy opens and is whole."""
    target = backup_dir / backup_name(path.stem, reason, now)
    partial = target.with_name(target.name + PARTIAL)
    try:
        cipher.private_folder(backup_dir)
        cipher.copy_encrypted(path, target, key)
    except (OSError, sqlcipher.Error) as exc:
        _remove_quietly(partial)
        if is_disk_full(exc):
            raise DiskFull(
                "De schijf is vol: de back-up kon niet worden gemaakt. De database zelf is niet "
                "veranderd. Maak ruimte vrij en probeer het opnieuw."
            ) from exc
        reason_text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(
            f"De back-up kon niet worden gemaakt ({reason_text}). De database zelf is niet "
            f"veranderd. Controleer of de map {backup_dir} bestaat en of er ruimte is, en "
            "probeer het opnieuw."
        ) from exc
    try:
        problems = cipher.check_integrity(target, key)
    except (cipher.OpenFailed, sqlcipher.Error) as exc:
        problems = [str(exc)]
    if problems:
        target.unlink(missing_ok=True)
        raise BackupError(
            "De back-up is niet in orde en is weggegooid. De database zelf is niet veranderd; "
            "probeer het opnieuw."
        )
    database_id = _keep_keys(path, backup_dir)
    _write_sidecar(target, key, database_id)
    return target


def _keep_keys(path: Path, backup_dir: Path) -> str | None:
    """A backup opens with the same data key, which the key file holds wrapped under the
    recovery passphrase. Every key stays in the backup folder (keys.keep_in_store, one file per
    database id), so a backup folder and the herstelblad are enough on a new laptop, and a key
    file beside the database that is replaced or damaged never takes the backups with it. The
    copies are as safe as the original: they reveal nothing without the passphrase. Returns the
    database id of the key, None when the key file cannot be read now (the store has it from
    the last unlock)."""
    try:
        wrapped = read_keyfile(path)
    except (KeyError_, OSError):
        return None
    with contextlib.suppress(OSError):
        keep_in_store(backup_dir, wrapped)
        # The older single copy named after the database, for a folder copied to a stick: only
        # ever replaced by a wrap of the same key, never by another database's key.
        copy = backup_dir / keyfile_for(path).name
        try:
            same = read_wrapped(copy).database_id == wrapped.database_id
        except FileNotFoundError:
            same = True
        except (KeyError_, OSError):
            same = True  # a damaged copy opens nothing; the store keeps every whole key
        if same:
            partial = copy.with_name(copy.name + PARTIAL)
            partial.write_text(wrapped.to_json(), encoding="utf-8")
            cipher.owner_only(partial)
            os.replace(partial, copy)
    return wrapped.database_id


def _write_sidecar(backup: Path, key: bytes, database_id: str | None) -> None:
    """Which key opens this backup, and the head of its audit chain: length and last hash."""
    lines, last = _chain_head(backup, key)
    info = {
        "database_id": database_id,
        "logboek": {"regels": lines, "laatste_hash": last},
    }
    sidecar = backup.with_name(backup.name + SIDECAR)
    with contextlib.suppress(OSError):
        partial = sidecar.with_name(sidecar.name + PARTIAL)
        partial.write_text(json.dumps(info, indent=2), encoding="utf-8")
        cipher.owner_only(partial)
        os.replace(partial, sidecar)


def _chain_head(file: Path, key: bytes) -> tuple[int, str]:
    connection = cipher.connect(file, key)
    try:
        row = connection.execute(
            "SELECT count(*), (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1) "
            "FROM audit_event"
        ).fetchone()
    except sqlcipher.Error:
        return 0, GENESIS  # a backup from before the audit trail
    finally:
        connection.close()
    return int(row[0]), str(row[1] or GENESIS)


def anchors(path: Path, backup_dir: Path) -> list[ChainAnchor]:
    """The audit heads the backups of `path` recorded (see domain.audit.anchor_breaks)."""
    found = []
    for info in list_backups(path, backup_dir):
        try:
            data = json.loads(info.path.with_name(info.path.name + SIDECAR).read_text("utf-8"))
            head = data["logboek"]
            found.append(
                ChainAnchor(
                    int(head["regels"]), str(head["laatste_hash"]), info.made_at, info.path.name
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a backup from before anchors, or a damaged sidecar: nothing to compare
    return found


def sidecar_database_id(backup: Path) -> str | None:
    try:
        data = json.loads(backup.with_name(backup.name + SIDECAR).read_text("utf-8"))
        return str(data["database_id"]) if data.get("database_id") else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


# --- the backups of one database --------------------------------------------------------------
def list_backups(path: Path, backup_dir: Path) -> list[BackupInfo]:
    """The finished backups of the database at `path`, newest first."""
    found = []
    for stamp, file in _backup_files(path, backup_dir):
        try:
            size = file.stat().st_size
        except OSError:
            continue  # removed meanwhile
        found.append(BackupInfo(file, stamp.made_at, stamp.reason, size))
    found.sort(key=lambda info: (info.made_at, info.path.name), reverse=True)
    return found


def rotate(path: Path, backup_dir: Path, now: datetime) -> list[Path]:
    """Keep today's backups, the newest of the last 7 days and of the 4 weeks before; remove
    the rest and partial copies left by a crash. Returns what was removed."""
    with _BUSY:
        files = _backup_files(path, backup_dir)
        keep = backups_to_keep((stamp.made_at for stamp, _file in files), now)
        doomed = [file for stamp, file in files if stamp.made_at not in keep]
        if backup_dir.is_dir():
            doomed += [
                file
                for file in backup_dir.iterdir()
                if file.name.endswith(PARTIAL)
                and parse_backup_file_name(file.name.removesuffix(PARTIAL), path.stem) is not None
            ]
        removed = []
        for file in doomed:
            try:
                file.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                continue  # in use or read-only: the next rotation tries again
            removed.append(file)
            with contextlib.suppress(OSError):
                file.with_name(file.name + SIDECAR).unlink(missing_ok=True)
        return removed


def _backup_files(path: Path, backup_dir: Path) -> list[tuple[BackupStamp, Path]]:
    if not backup_dir.is_dir():
        return []
    found = []
    for file in backup_dir.iterdir():
        stamp = parse_backup_file_name(file.name, path.stem)
        if stamp is not None and file.is_file():
            found.append((stamp, file))
    return found


def _file_database(db: Database) -> tuple[Path, bytes, Path]:
    if db.path is None or db.key is None:
        raise BackupError(
            "Back-ups maakt Uitstroom alleen van een databasebestand; een database op een "
            "server wordt door de beheerder van die server bewaard."
        )
    return db.path, db.key, db.backup_dir or db.path.parent / "backups"


def backup_before(db: Database, reason: str, now: datetime | None = None) -> Path:
    """A verified backup of the open database (before an import, a purge, a restore, or by
    hand), then rotation. Raises BackupError (DiskFull when the disk is full); the caller then
    does not go on with what it was about to do."""
    path, key, backup_dir = _file_database(db)
    now = now or datetime.now()
    with _BUSY:
        made = make_backup(path, key, backup_dir, reason, now)
        rotate(path, backup_dir, now)
    return made


def import_backup(db: Database) -> Callable[[], Path] | None:
    """For ImportService(before_write=...): a backup before every import of a database file."""
    if db.path is None:
        return None
    return lambda: backup_before(db, BackupReason.VOOR_IMPORT)


def daily_backup_due(db: Database, now: datetime | None = None) -> bool:
    path, _key, backup_dir = _file_database(db)
    now = now or datetime.now()
    newest = list_backups(path, backup_dir)
    return not newest or newest[0].made_at.date() != now.date()


def daily_backup(db: Database, now: datetime | None = None) -> Path | None:
    """At start-up: a backup when the newest one is not from today. None when none was due."""
    now = now or datetime.now()
    with _BUSY:
        if not daily_backup_due(db, now):
            return None
        return backup_before(db, BackupReason.DAGELIJKS, now)


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
    path, key, backup_dir = _file_database(db)
    now = now or datetime.now()
    source = Path(source).expanduser().resolve()
    if source == path:
        raise RestoreRefused("Dit is de database zelf. Kies een back-up om terug te zetten.")
    revision = verify_backup(source, key)
    restored = next((info for info in list_backups(path, backup_dir) if info.path == source), None)
    staged = path.with_name(path.name + ".herstel")
    with _BUSY:
        _ensure_idle(db)
        try:
            staged.unlink(missing_ok=True)
            cipher.copy_encrypted(source, staged, key)
            verify_backup(staged, key)
        except (OSError, sqlcipher.Error, BackupError) as exc:
            _remove_quietly(staged)
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
            _remove_quietly(staged)
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
        path, _key, backup_dir = _file_database(db)
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


def _remove_quietly(path: Path) -> None:
    """Clean up after a failure without hiding it behind a second error."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


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
        _remove_quietly(replacement)
        raise
    with db.engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    db.engine.dispose()
    if busy is not None and busy[0]:
        _reopen(db)
        _remove_quietly(replacement)
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
