"""Headless mbo exitgesprekken: interviews recorded elsewhere (a CSV or XLSX from the student
administration or a survey tool), checked like the cohort import and written all or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.commands import Handler, command_group, print_problems
from uitstroom.domain.plural import counted

if TYPE_CHECKING:
    from uitstroom.services.database import Database

EXIT_OK = 0
EXIT_REFUSED = 1


def _import_description() -> str:
    from uitstroom.domain.exit import ExitField

    return (
        "Importeer exitgesprekken uit een CSV- of Excel-bestand (.csv, .xlsx), één rij per "
        "student, gevonden op studentnummer. Kolommen: "
        + ", ".join(f.label for f in ExitField)
        + ". Een afgerond gesprek legt het vertrek vast en plant de nazorg, zoals in het "
        "programma. Heeft het bestand een probleem, dan wordt er niets opgeslagen."
    )


def register(commands: Any) -> dict[str, Handler]:
    exit_commands = command_group(
        commands,
        "exit",
        "exit_command",
        help="mbo: exitgesprekken die elders zijn vastgelegd importeren",
        description="Mbo: exitgesprekken met vertrekkende studenten.",
    )
    importing = exit_commands.add_parser(
        "import",
        help="importeer exitgesprekken uit een CSV- of Excel-bestand",
        description=_import_description,  # commands.Parser calls it for this --help only
    )
    importing.add_argument("file", metavar="BESTAND", type=Path, help="het .csv- of .xlsx-bestand")
    importing.add_argument(
        "--dry-run", action="store_true", help="alleen controleren, niets opslaan"
    )
    return {"exit": _exit}


def _exit(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.backups import import_backup
    from uitstroom.services.exit import ExitService

    service = ExitService(db.sessions, before_write=import_backup(db), actor=db.actor)
    outcome = service.import_file(args.file, dry_run=args.dry_run)
    print(
        f"{args.file.name}: {outcome.description}, {counted(outcome.rows, 'rij', 'rijen')}.",
        file=out,
    )
    if outcome.problems:
        print_problems(outcome.problems, out)
        return EXIT_REFUSED
    summary = f"{outcome.finished} afgerond, {outcome.concepts} concept"
    if outcome.dry_run:
        print(f"Controle geslaagd ({summary}). Er is niets opgeslagen (--dry-run).", file=out)
        return EXIT_OK
    print(f"Geïmporteerd: {summary}.", file=out)
    return EXIT_OK
