"""Making backups: a consistent encrypted copy, its sidecar (key and audit anchor), the list,
the rotation, and the backups the program makes by itself (daily, before an import)."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3.dbapi2 as sqlcipher

from uitstroom.domain.audit import GENESIS, ChainAnchor
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
from uitstroom.services.durability import DiskFull, is_disk_full
from uitstroom.services.errors import ServiceError
from uitstroom.storage import cipher
from uitstroom.storage.keys import (
    KeyError_,
    keep_in_store,
    keyfile_for,
    read_keyfile,
    read_wrapped,
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
BUSY = threading.RLock()


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
        remove_quietly(partial)
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
    with BUSY:
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


def file_database(db: Database) -> tuple[Path, bytes, Path]:
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
    path, key, backup_dir = file_database(db)
    now = now or datetime.now()
    with BUSY:
        made = make_backup(path, key, backup_dir, reason, now)
        rotate(path, backup_dir, now)
    return made


def import_backup(db: Database) -> Callable[[], Path] | None:
    """For ImportService(before_write=...): a backup before every import of a database file."""
    if db.path is None:
        return None
    return lambda: backup_before(db, BackupReason.VOOR_IMPORT)


def daily_backup_due(db: Database, now: datetime | None = None) -> bool:
    path, _key, backup_dir = file_database(db)
    now = now or datetime.now()
    newest = list_backups(path, backup_dir)
    return not newest or newest[0].made_at.date() != now.date()


def daily_backup(db: Database, now: datetime | None = None) -> Path | None:
    """At start-up: a backup when the newest one is not from today. None when none was due."""
    now = now or datetime.now()
    with BUSY:
        if not daily_backup_due(db, now):
            return None
        return backup_before(db, BackupReason.DAGELIJKS, now)


def remove_quietly(path: Path) -> None:
    """Clean up after a failure without hiding it behind a second error."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
