"""`uitstroom server upload URL` and `uitstroom server download URL FILE`: moving a school's
database to its PostgreSQL server and back, checked table by table."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.commands import Handler, ask_passphrase, command_group
from uitstroom.domain.plural import counted

if TYPE_CHECKING:
    from uitstroom.services.database import Database
    from uitstroom.services.server import CopyResult

EXIT_OK = 0
EXIT_DATABASE = 3
EXIT_CANCELLED = 130

PASSWORDS = (
    "Het wachtwoord voor de server komt uit de sleutelbos van het systeem (na --onthoud), "
    "uit PGPASSWORD of ~/.pgpass, of Uitstroom vraagt erom. Zet het nooit in het adres."
)


def register(commands: Any) -> dict[str, Handler]:
    actions = command_group(
        commands,
        "server",
        "server_command",
        help="kopieer de database naar de schoolserver (PostgreSQL) of terug",
        description=(
            "Verhuizen naar de schoolserver en terug. Alles wordt in één keer gekopieerd en "
            "daarna per tabel gecontroleerd (aantal rijen en een controlesom); gaat er iets mis "
            "of drukt u Ctrl-C, dan blijft alles zoals het was. " + PASSWORDS
        ),
    )
    up = actions.add_parser(
        "upload",
        help="kopieer dit databasebestand (--db) naar een lege database op de server",
        description=(
            "Kopieert het databasebestand (--db, of het standaardbestand) naar een lege "
            "database op de server. Het bestand zelf blijft zoals het is."
        ),
    )
    up.add_argument("url", metavar="POSTGRES_URL", help="bijv. postgresql://naam@server/uitstroom")
    up.add_argument("--onthoud", action="store_true", help="bewaar het wachtwoord in de sleutelbos")
    down = actions.add_parser(
        "download",
        help="kopieer de database van de server naar een nieuw, versleuteld bestand",
        description=(
            "Kopieert de database van de server naar een nieuw bestand met een eigen sleutel. "
            "Het herstelwachtwoord van het nieuwe bestand komt uit UITSTROOM_PASSPHRASE_FILE, "
            "of Uitstroom vraagt erom."
        ),
    )
    down.add_argument("url", metavar="POSTGRES_URL")
    down.add_argument("file", metavar="BESTAND", type=Path, help="het nieuwe databasebestand")
    down.add_argument(
        "--onthoud", action="store_true", help="bewaar het wachtwoord in de sleutelbos"
    )
    # The new file is made here; no database is opened before the command runs.
    down.set_defaults(without_database=True)
    return {"server": _server}


class _Printer:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, table: str, done: int, total: int) -> None:
        if done == total:
            print(f"  {table}: {counted(total, 'rij', 'rijen')}", file=self.out, flush=True)
        elif done % 50_000 == 0:
            print(
                f"  {table}: {done} van {counted(total, 'rij', 'rijen')} ...",
                file=self.out,
                flush=True,
            )


def _report(result: CopyResult, where: str, out: TextIO) -> None:
    print(
        f"Gecontroleerd {where}: per tabel hetzelfde aantal rijen en dezelfde controlesom "
        "(sha256):",
        file=out,
    )
    for check in result.tables:
        print(f"  {check.table:<20} {check.rows:>9}  {check.checksum[:16]}", file=out)


def _with_password(attempt: Any, url: str, remember: bool) -> Any:
    """Try with the keychain's password; when the server wants another, ask at the terminal."""
    from uitstroom.services.connection import ServerAddress, ServerProblem, remember_password
    from uitstroom.services.database import ServerRefused

    address = ServerAddress.from_url(url)
    try:
        return attempt(None)
    except ServerRefused as refused:
        if refused.problem is not ServerProblem.PASSWORD or not sys.stdin.isatty():
            raise
    password = getpass.getpass(f"Wachtwoord voor {address.account}: ")
    result = attempt(password)
    if remember:
        remember_password(address, password)
    return result


def _server(db: Database | None, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.database import DatabaseOpenError

    try:
        if args.server_command == "upload":
            assert db is not None
            return _upload(db, args, out)
        return _download(args, out)
    except DatabaseOpenError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_DATABASE


def _upload(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.access import require_coordinator
    from uitstroom.services.connection import ServerAddress
    from uitstroom.services.server import upload

    require_coordinator(db.actor)
    target = ServerAddress.from_url(args.url)
    print(
        f"Kopiëren van {db.location} naar {target.description} (in één keer; bij een fout of "
        "Ctrl-C blijft de server leeg).",
        file=out,
    )
    try:
        result = _with_password(
            lambda password: upload(db, args.url, password, _Printer(out)), args.url, args.onthoud
        )
    except KeyboardInterrupt:
        print("Afgebroken; de database op de server is leeg gebleven.", file=sys.stderr)
        return EXIT_CANCELLED
    _report(result, "op de server", out)
    print(
        f"Klaar: {counted(len(result.tables), 'tabel', 'tabellen')}, {counted(result.rows, 'rij', 'rijen')} staan op de server. Open "
        f"ze met: uitstroom --db {result.target}",
        file=out,
    )
    return EXIT_OK


def _download(args: argparse.Namespace, out: TextIO) -> int:
    from uitstroom.services.connection import ServerAddress
    from uitstroom.services.server import download

    source = ServerAddress.from_url(args.url)
    target = args.file.expanduser().resolve()
    passphrase = ask_passphrase(new=True)
    print(
        f"Kopiëren van {source.description} naar het nieuwe bestand {target} (bij een fout of "
        "Ctrl-C wordt het bestand weer verwijderd).",
        file=out,
    )
    try:
        result = _with_password(
            lambda password: download(args.url, target, passphrase, password, _Printer(out)),
            args.url,
            args.onthoud,
        )
    except KeyboardInterrupt:
        print("Afgebroken; er is geen bestand gemaakt.", file=sys.stderr)
        return EXIT_CANCELLED
    _report(result, "in het nieuwe bestand", out)
    print(
        f"Klaar: {counted(result.rows, 'rij', 'rijen')} staan in {target}. Het herstelwachtwoord opent dit "
        "bestand; bewaar het op een veilige plek.",
        file=out,
    )
    return EXIT_OK
