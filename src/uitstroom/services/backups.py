"""Encrypted backup copies of the database file, each verified after it is made."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from uitstroom.services.errors import ServiceError
from uitstroom.storage import cipher


class BackupError(ServiceError):
    pass


def backup_name(stem: str, reason: str, now: datetime) -> str:
    return f"{stem}-{now:%Y%m%d-%H%M%S-%f}-{reason}.db"


def make_backup(path: Path, key: bytes, backup_dir: Path, reason: str, now: datetime) -> Path:
    """Copy the database (encrypted with the same key) and check the copy opens and is whole."""
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        target = backup_dir / backup_name(path.stem, reason, now)
        cipher.copy_encrypted(path, target, key)
    except OSError as exc:
        raise BackupError(
            f"De back-up kon niet worden gemaakt ({exc.strerror}). Maak ruimte vrij op de schijf "
            "en probeer het opnieuw."
        ) from exc
    problems = cipher.check_integrity(target, key)
    if problems:
        target.unlink(missing_ok=True)
        raise BackupError(
            "De back-up is niet in orde en is weggegooid. De database zelf is niet veranderd; "
            "probeer het opnieuw."
        )
    return target
