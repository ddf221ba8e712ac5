"""Encrypted backup copies of the database file: made, verified, rotated, listed and restored.

A backup is a complete copy made through SQLite's backup API (consistent while others write),
encrypted with the same data key, then opened and checked before it counts. Its name says when
and why it was made: `uitstroom-20261123-093000-000000-dagelijks.db`.
"""

from __future__ import annotations

from uitstroom.services.backups.copies import (
    BackupError,
    BackupInfo,
    RestoreRefused,
    RestoreResult,
    anchors,
    backup_before,
    daily_backup,
    import_backup,
    list_backups,
    make_backup,
    rotate,
)
from uitstroom.services.backups.restore import (
    DAMAGED_REASON,
    PassphraseNeeded,
    Recovered,
    newest_verified,
    recover,
    restore_backup,
)

__all__ = [
    "DAMAGED_REASON",
    "BackupError",
    "BackupInfo",
    "PassphraseNeeded",
    "Recovered",
    "RestoreRefused",
    "RestoreResult",
    "anchors",
    "backup_before",
    "daily_backup",
    "import_backup",
    "list_backups",
    "make_backup",
    "newest_verified",
    "recover",
    "restore_backup",
    "rotate",
]
