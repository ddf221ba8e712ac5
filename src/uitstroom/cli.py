"""The headless commands, on the same services as the window."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from uitstroom import APP_NAME, __version__
from uitstroom import commands as command_modules
from uitstroom.commands import Handler, Parser, ask_passphrase, print_problems
from uitstroom.domain.plural import counted
from uitstroom.paths import (
    DB_ENV,
    DB_FILENAME,
    PASSPHRASE_ENV,
    backup_dir_for,
    data_dir,
    default_database,
)
from uitstroom.services.errors import ServiceError, Unopenable
from uitstroom.services.speed import start_made_lasting

if TYPE_CHECKING:
    from uitstroom.domain.actor import Actor
    from uitstroom.services.database import Database

EXIT_OK = 0
EXIT_REFUSED = 1  # the input was refused: problems in a file, or invalid data
EXIT_USAGE = 2  # the command was not written correctly (argparse uses 2 as well)
EXIT_DATABASE = 3  # the database could not be opened
EXIT_NO_DISPLAY = 4  # Linux lacks libraries Qt's X11 platform loads (uitstroom.xcb)
EXIT_CANCELLED = 130

EPILOG = f"""\
Zonder opdracht opent {APP_NAME} het venster.

Database: --db PAD (of een postgresql://-adres), anders de omgevingsvariabele {DB_ENV},
anders de schoolserver die in het venster is gekozen (Bestand → Verbinden met de
schoolserver), anders het bestand in de gebruikersmap: {data_dir() / DB_FILENAME}

De database is versleuteld. De sleutel staat in de sleutelbos van het systeem; ontbreekt die,
dan is het herstelwachtwoord nodig. Scripts zetten het in een bestand en noemen dat bestand in
{PASSPHRASE_ENV}; dan vraagt uitstroom nooit iets. Een database die een opdracht nieuw
maakt, krijgt dat wachtwoord als herstelwachtwoord.

Voorbeelden:
  uitstroom demo                     maak een voorbeeldcohort met verzonnen leerlingen
  uitstroom import export.csv --dry-run
                                     controleer een export uit Magister/Somtoday/Eduarte
  uitstroom import export.xlsx       importeer (of werk bij) als het hele bestand klopt
  uitstroom export leerlingen.xlsx   schrijf alle leerlingen naar Excel (of .csv)
  uitstroom brief transitieplan --klas PRO4A --datum 09-02-2027 --out brieven.pdf
                                     een uitnodiging per leerling, samen in één PDF
  uitstroom cijfers --pdf cijfers.pdf
                                     Cohort in cijfers op één pagina voor de directie
  uitstroom handleiding --out handleiding.pdf
                                     de handleiding om af te drukken

Afsluitcodes:
  0  gelukt
  1  geweigerd: het bestand of de gegevens kloppen niet (de problemen staan erbij);
     de database is dan niet veranderd
  2  de opdracht is niet goed geschreven
  3  de database kan niet worden geopend (ook: verkeerd herstelwachtwoord, database al open)
  4  het venster kan niet openen: Linux mist onderdelen voor X11 (de pakketten staan erbij)
  130 afgebroken
"""


HANDLERS: dict[str, Handler] = {}

# argparse's own words, in Dutch. argparse looks them up through gettext at the moment it
# prints, so replacing its `_` is enough; a text not listed stays as argparse wrote it.
ARGPARSE_DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ongeldige keuze: %(value)r (kies uit %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "expected one argument": "hier hoort één waarde bij",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "not allowed with argument %s": "gaat niet samen met %s",
}


def _dutch(text: str) -> str:
    return ARGPARSE_DUTCH.get(text, text)


argparse._ = _dutch  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    from uitstroom.domain.enums import SchoolType

    parser = Parser(
        prog="uitstroom",
        description="Uitstroom: de laatstejaars, hun route na school, overdracht en nazorg.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
    parser.add_argument(
        "--version", action="version", version=f"{APP_NAME} {__version__}", help="toon de versie"
    )
    parser.add_argument("--db", metavar="PAD", help="de database (bestand of postgresql://-adres)")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="controleer of dit geïnstalleerde programma werkt (met een tijdelijke database) "
        "en stop: 0 is gelukt, 1 is mislukt",
    )
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT")

    demo = commands.add_parser("demo", help="maak een voorbeeldcohort met verzonnen leerlingen")
    demo.add_argument("--aantal", type=int, default=48, help="hoeveel leerlingen (standaard 48)")
    demo.add_argument(
        "--schooltype", choices=[t.value for t in SchoolType], default=SchoolType.PRO.value
    )

    imp = commands.add_parser("import", help="importeer leerlingen uit een CSV- of XLSX-bestand")
    imp.add_argument("file", metavar="BESTAND", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="alleen controleren, niets opslaan")
    imp.add_argument("--cohort", metavar="JJJJ-JJJJ", help="schooljaar, bijv. 2026-2027")
    imp.add_argument(
        "--archiveer-ontbrekende",
        dest="archive_missing",
        action="store_true",
        help="leerlingen van dit schooljaar die niet in het bestand staan archiveren "
        "(reden: niet meer in de export)",
    )

    exp = commands.add_parser("export", help="schrijf alle leerlingen naar .xlsx of .csv")
    exp.add_argument("file", metavar="BESTAND", type=Path)
    HANDLERS.clear()
    HANDLERS.update({"demo": _demo, "import": _import, "export": _export})
    for name in command_modules.MODULES:
        module = importlib.import_module(f"uitstroom.commands.{name}")
        HANDLERS.update(module.register(commands))
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    # The command's name only: its arguments can name a pupil or a klas (uitstroom.logbook).
    logging.getLogger("uitstroom").info("opdracht: %s", args.command or "venster")
    if args.self_test:
        from uitstroom.selftest import run_self_test

        with start_made_lasting():
            return run_self_test(out)
    database = args.db or default_database()
    if args.command is None:
        from uitstroom.xcb import check_display

        # Before Qt loads its platform plugin: a missing X11 library is named in Dutch with
        # its package, instead of Qt's English abort.
        if not check_display(notify=True):
            return EXIT_NO_DISPLAY
        from uitstroom.app import run_gui

        return run_gui(database)
    if getattr(args, "without_database", False):
        # The command makes its own database (server download): none is opened first.
        return _run(HANDLERS[args.command], None, args, out)
    if "://" not in database and args.command in ("restore", "backup"):
        path = Path(database).expanduser().resolve()
        if args.command == "backup" and args.list:
            # The list is read from the folder: it is needed most when the database is broken.
            with start_made_lasting():
                return _list_backups(path, out)
        if not path.exists():
            # A new laptop, or a database that is gone: restore into place.
            with start_made_lasting():
                return _restore_without_opening(path, args.file, out)
    try:
        db = open_headless(database)
    except Unopenable as exc:
        # A restore is needed most when the database no longer opens.
        if args.command == "restore" and exc.trouble is not None and exc.trouble.restorable:
            with start_made_lasting():
                return _restore_without_opening(
                    Path(database).expanduser().resolve(), args.file, out
                )
        print(f"Fout: {exc}", file=sys.stderr)
        if exc.trouble is not None and exc.trouble.restorable:
            _point_to_restore(database)
        return EXIT_DATABASE
    except ServiceError as exc:  # too short a passphrase, a server that refuses
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_DATABASE
    from uitstroom.services.durability import location_warning_for

    warning = location_warning_for(db.path) if db.path is not None else None
    if warning:
        print(f"Let op: {warning}", file=sys.stderr)
    try:
        db.actor = _who_is_working(db)
        return _run(HANDLERS[args.command], db, args, out)
    finally:
        db.close()


def _run(handler: Handler, db: Database | None, args: argparse.Namespace, out: TextIO) -> int:
    try:
        with start_made_lasting():
            return handler(db, args, out)
    except ServiceError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("Afgebroken; er is niets opgeslagen.", file=sys.stderr)
        return EXIT_CANCELLED


def _who_is_working(db: Database) -> Actor:
    """As in the window (app.py): with a user list, the person it names for this login (the
    server login, else the computer's), whose role the services hold to; without a list the
    laptop's coordinator."""
    from uitstroom.domain.actor import LAPTOP_COORDINATOR
    from uitstroom.services.users import UserService

    users = UserService(db.sessions)
    if not users.users():
        return LAPTOP_COORDINATOR
    working = users.who_is_working()
    if not working.listed:
        print(
            f"Let op: u (inlognaam '{working.login}') staat niet in de lijst met gebruikers van "
            "deze database. U kunt daarom alleen kijken. Vraag de coördinator om u toe te "
            "voegen (Bestand > Gebruikers en rollen).",
            file=sys.stderr,
        )
    return working.actor


def open_headless(database: str) -> Database:
    """Open for a command: the keychain first, then the passphrase (file or terminal). A database
    made here takes that passphrase as its recovery passphrase."""
    from uitstroom.services import vault
    from uitstroom.services.database import open_database

    if "://" in database:
        return open_database(database)
    path = Path(database).expanduser().resolve()
    vault.finish_interrupted_creation(path)
    vault.finish_interrupted_conversion(path)
    state = vault.state_of(path)
    if state is vault.DatabaseState.NEW:
        key = vault.set_up(path, ask_passphrase(new=True))
    elif state is vault.DatabaseState.PLAINTEXT:
        key = vault.encrypt_in_place(path, ask_passphrase(new=True))
    else:
        try:
            key = vault.unlock(path)
        except vault.PassphraseRequired:
            key = vault.unlock(path, ask_passphrase(new=False))
    # Every page checked before a command reads or writes: no command reports success on a
    # damaged file (about 4 ms per MB; the window does this in the background instead).
    return open_database(path, key, backup_dir_for(str(path)), verify=True)


def _point_to_restore(database: str) -> None:
    """After a refusal a backup cures: which backup, and the one command that puts it back."""
    from uitstroom.services import vault
    from uitstroom.services.backups import DAMAGED_REASON, list_backups

    path = Path(database).expanduser().resolve()
    backups = [
        info for info in list_backups(path, vault.backups_of(path)) if info.reason != DAMAGED_REASON
    ]
    if not backups:
        print(f"Er zijn geen back-ups in {vault.backups_of(path)}.", file=sys.stderr)
        return
    print(
        f"De nieuwste back-up is van {backups[0].description}. Terugzetten (de nieuwste goede "
        f"back-up, alleen het herstelwachtwoord is nodig):\n  uitstroom --db {path} restore",
        file=sys.stderr,
    )


def _list_backups(path: Path, out: TextIO) -> int:
    from uitstroom.commands.backup import print_backups
    from uitstroom.services import vault

    return print_backups(path, vault.backups_of(path), out)


def _restore_without_opening(path: Path, source: Path | None, out: TextIO) -> int:
    from uitstroom.services import vault
    from uitstroom.services.backups import PassphraseNeeded, recover

    backup_dir = vault.backups_of(path)
    try:
        try:
            result = recover(path, backup_dir, source=source)
        except PassphraseNeeded:
            result = recover(path, backup_dir, ask_passphrase(new=False), source=source)
    except ServiceError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Teruggezet: {result.source.name}. De database ging niet meer open.", file=out)
    if result.kept is not None:
        print(f"Het oude bestand is niet weggegooid maar bewaard als {result.kept}.", file=out)
    return EXIT_OK


def _demo(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.domain.enums import SchoolType
    from uitstroom.services.access import require_coordinator
    from uitstroom.services.demo import DEMO_LEAVERS, insert_demo_cohort
    from uitstroom.services.pupils import PupilService

    require_coordinator(db.actor)
    if PupilService(db.sessions).count() > 0:
        print(
            "Fout: deze database bevat al leerlingen. Een voorbeeldcohort hoort in een lege "
            "database; kies er een met --db.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    if not 1 <= args.aantal <= 100_000:
        print("Fout: kies een aantal tussen 1 en 100000.", file=sys.stderr)
        return EXIT_USAGE
    count = insert_demo_cohort(
        db.sessions, args.aantal, school_type=SchoolType(args.schooltype), leavers=DEMO_LEAVERS
    )
    print(
        f"Voorbeeldcohort gemaakt: {count} verzonnen leerlingen in {db.location}, en "
        f"{DEMO_LEAVERS} oud-leerlingen van vorig schooljaar in de nazorg.",
        file=out,
    )
    return EXIT_OK


def _cohort_label(db: Database, wanted: str | None) -> str:
    from uitstroom.domain.schoolyear import SchoolYear
    from uitstroom.services.pupils import PupilService

    if wanted:
        try:
            return SchoolYear.parse(wanted).label
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
    cohorts = PupilService(db.sessions).cohorts()
    return cohorts[-1].label if cohorts else SchoolYear.of(date.today()).label


def _import(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.access import require_coordinator
    from uitstroom.services.backups import import_backup
    from uitstroom.services.importing import MISSING_REASON, ImportService

    # Also the check: its lines show what is stored for pupils of every mentor.
    require_coordinator(db.actor)
    service = ImportService(db.sessions, before_write=import_backup(db), actor=db.actor)
    preview = service.check(args.file, _cohort_label(db, args.cohort))
    table = preview.table
    print(
        f"{args.file.name}: {table.description}, {counted(len(table.rows), 'rij', 'rijen')}.",
        file=out,
    )
    if preview.problems:
        print_problems(preview.problems, out)
        return EXIT_REFUSED
    kinds = [change.kind for change in preview.changes]
    summary = (
        f"{kinds.count('nieuw')} nieuw, {kinds.count('gewijzigd')} gewijzigd, "
        f"{kinds.count('ongewijzigd')} ongewijzigd"
    )
    for change in preview.changes:
        for kept in change.kept:
            print(
                f"  {change.name}: {kept.field.label} blijft '{kept.old}' (met de hand gewijzigd; "
                f"in het bestand staat '{kept.new}')",
                file=out,
            )
    if preview.missing:
        print(
            f"  Niet in dit bestand ({counted(len(preview.missing), 'leerling', 'leerlingen')}):",
            file=out,
        )
        for name in preview.missing:
            print(f"    {name}", file=out)
        if args.archive_missing:
            print(f"  Zij worden gearchiveerd (reden: {MISSING_REASON}).", file=out)
        else:
            print(
                "  Zij blijven bewaard zoals ze zijn. Archiveren met de reden "
                f"‘{MISSING_REASON}’: voeg --archiveer-ontbrekende toe.",
                file=out,
            )
    if args.dry_run:
        print(f"Controle geslaagd ({summary}). Er is niets opgeslagen (--dry-run).", file=out)
        return EXIT_OK
    written = service.apply(preview, archive_missing=args.archive_missing)
    line = f"Geïmporteerd: {summary}; {counted(written, 'leerling', 'leerlingen')} opgeslagen"
    if args.archive_missing and preview.missing_ids:
        line += f", {counted(len(preview.missing_ids), 'leerling', 'leerlingen')} gearchiveerd"
    print(line + ".", file=out)
    return EXIT_OK


def _export(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.export import export_pupils

    count = export_pupils(db.sessions, args.file, user=db.actor)
    print(f"{counted(count, 'leerling', 'leerlingen')} geschreven naar {args.file}.", file=out)
    return EXIT_OK
