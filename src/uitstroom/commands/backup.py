"""`uitstroom backup [--list]` and `uitstroom restore FILE`: the backups, headless."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.commands import Handler
from uitstroom.services.errors import ServiceError

if TYPE_CHECKING:
    from uitstroom.services.database import Database

EXIT_OK = 0


def register(commands: Any) -> dict[str, Handler]:
    backup = commands.add_parser(
        "backup",
        help="maak nu een versleutelde back-up (of toon de back-ups met --list)",
        description=(
            "Maakt een versleutelde back-up van de database en controleert die. Uitstroom maakt "
            "ook zelf back-ups: elke dag bij het starten, en voor elke import, update en "
            "opschoning. Bewaard blijven: alles van vandaag, de laatste 7 dagen en 4 weken."
        ),
    )
    backup.add_argument(
        "--list", action="store_true", help="toon de back-ups, de nieuwste eerst, en stop"
    )
    restore = commands.add_parser(
        "restore",
        help="zet een back-up terug (de huidige database wordt eerst bewaard)",
        description=(
            "Controleert de back-up, bewaart de huidige database als back-up 'voor herstel' "
            "en zet dan de back-up op de plaats van de database. Een back-up die niet in orde "
            "is, wordt geweigerd; de database blijft dan zoals hij was."
        ),
    )
    restore.add_argument(
        "file",
        metavar="BESTAND",
        type=Path,
        nargs="?",
        help="de back-up (.db); zonder: de nieuwste goede back-up",
    )
    return {"backup": _backup, "restore": _restore}


def _folder(db: Database) -> tuple[Path, Path]:
    if db.path is None or db.backup_dir is None:
        raise ServiceError(
            "Back-ups maakt Uitstroom alleen van een databasebestand; een database op een "
            "server wordt door de beheerder van die server bewaard."
        )
    return db.path, db.backup_dir


def print_backups(path: Path, folder: Path, out: TextIO) -> int:
    """The list, read from the folder alone: it works when the database does not open."""
    from uitstroom.services.backups import list_backups

    backups = list_backups(path, folder)
    if not backups:
        print(f"Er zijn nog geen back-ups in {folder}.", file=out)
        return EXIT_OK
    print(f"{len(backups)} back-ups in {folder}, de nieuwste eerst:", file=out)
    for info in backups:
        print(
            f"  {info.made_at:%Y-%m-%d %H:%M:%S}  {info.reason_label:<15} "
            f"{info.size_text:>9}  {info.path.name}",
            file=out,
        )
    return EXIT_OK


def _backup(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.domain.durability import BackupReason
    from uitstroom.services.backups import backup_before

    path, folder = _folder(db)
    if args.list:
        return print_backups(path, folder, out)
    made = backup_before(db, BackupReason.HANDMATIG)
    print(made, file=out)
    return EXIT_OK


def _restore(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.access import require_coordinator
    from uitstroom.services.backups import newest_verified, restore_backup

    require_coordinator(db.actor)
    source = args.file
    if source is None:
        path, folder = _folder(db)
        assert db.key is not None
        source = newest_verified(path, folder, db.key).path
    result = restore_backup(db, source)
    what = result.restored.description if result.restored else str(result.source)
    print(f"Teruggezet: de back-up van {what}.", file=out)
    if result.upgraded:
        print("De back-up kwam van een oudere versie en is bijgewerkt.", file=out)
    print(f"De database zoals hij was, is bewaard als {result.kept}.", file=out)
    return EXIT_OK
