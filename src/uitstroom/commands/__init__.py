"""Headless sub-commands beyond the basic ones in cli.py, one module per subject.

Each module offers `register(commands) -> dict[str, Handler]`: it adds its sub-parsers to the
argparse sub-parser group and returns the handlers by command name. A handler receives the open
Database, the parsed arguments and the output stream, and returns an exit code (see cli.py).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from uitstroom.paths import PASSPHRASE_ENV
from uitstroom.services.files import read_error_message  # standard library only

if TYPE_CHECKING:
    from uitstroom.domain.importing import ImportProblem
    from uitstroom.domain.model import Pupil
    from uitstroom.services.database import Database

Handler = Callable[[Any, argparse.Namespace, TextIO], int]

# Modules listed here are asked to register their commands, in this order.
MODULES: tuple[str, ...] = (
    "backup",
    "privacy",
    "calendar",
    "documents",
    "consent",
    "overleg",
    "nazorg",
    "exit",
    "server",
    "school",
)


class Parser(argparse.ArgumentParser):
    """The command line's parser; argparse makes its sub-parsers of the same class.

    A description may be given as a function, called when that help is printed: a text that
    names a domain's values (the columns of an exit import) then loads that module only for
    its own --help, and `uitstroom --help` or `--version` loads no domain (issue 17)."""

    def format_help(self) -> str:
        if callable(self.description):
            self.description = self.description()
        return super().format_help()


class Later:
    """argparse `choices` worked out the first time they are needed (to check a value, or to
    name them in the message about a wrong one), not when the command is registered. Give the
    argument a metavar: argparse lists choices in the usage line only when it has none."""

    def __init__(self, values: Callable[[], Sequence[str]]) -> None:
        self._make = values
        self._values: Sequence[str] | None = None

    def _all(self) -> Sequence[str]:
        if self._values is None:
            self._values = tuple(self._make())
        return self._values

    def __contains__(self, value: object) -> bool:
        return value in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())


def receivers() -> list[str]:
    """The receivers a document or a consent form is for: `--receiver`'s choices."""
    from uitstroom.domain.handover import Receiver

    return [receiver.value for receiver in Receiver]


def iso_date_type(example: str) -> Callable[[str], date]:
    """An argparse `type=` for a JJJJ-MM-DD date; a wrong one is refused with `example`."""

    def iso_date(text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"'{text}' is geen datum. Schrijf hem als JJJJ-MM-DD, bijvoorbeeld {example}."
            ) from None

    return iso_date


def command_group(
    commands: Any,
    name: str,
    dest: str,
    help: str,
    description: str | None = None,
    metavar: str = "OPDRACHT",
) -> Any:
    """A command with sub-commands of its own (`uitstroom overleg verslag`): the sub-parser
    group to add them to; one of them is required."""
    parser = commands.add_parser(name, help=help, description=description)
    return parser.add_subparsers(dest=dest, metavar=metavar, required=True)


def add_date(
    parser: argparse.ArgumentParser, example: str, help: str, required: bool = False
) -> None:
    """`--date JJJJ-MM-DD`; a wrong date is refused with `example`."""
    parser.add_argument(
        "--date", metavar="JJJJ-MM-DD", type=iso_date_type(example), required=required, help=help
    )


def add_out(
    parser: argparse.ArgumentParser, help: str = "het PDF-bestand", metavar: str = "PAD"
) -> None:
    """The required `--out`: the file (or folder) the command writes."""
    parser.add_argument("--out", metavar=metavar, type=Path, required=True, help=help)


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON (UTF-8)")


def add_pupil_or_klas(parser: argparse.ArgumentParser) -> None:
    """`--pupil N` for one pupil or `--klas K` for a whole klas; one of the two."""
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--pupil", metavar="LEERLINGNUMMER", help="één leerling")
    who.add_argument("--klas", metavar="KLAS", help="alle leerlingen van deze klas")


def print_json(body: object, out: TextIO) -> None:
    """`--json`: readable UTF-8 JSON (names with accents as they are), with a closing newline."""
    import json

    json.dump(body, out, ensure_ascii=False, indent=2)
    print(file=out)


def numbered_pupil(db: Database, leerlingnummer: str) -> Pupil:
    """`--pupil N`: the pupil with this leerlingnummer whom this user may see."""
    from uitstroom.services.errors import NotFoundError
    from uitstroom.services.pupils import PupilService

    found = PupilService(db.sessions, actor=db.actor).find_by_leerlingnummer(leerlingnummer)
    if found is None or found.pupil.id is None:
        raise NotFoundError(
            f"Er is geen leerling met leerlingnummer {leerlingnummer.strip()}. "
            "Controleer het nummer."
        )
    return found.pupil


def klas_pupil_ids(db: Database, klas: str) -> list[int]:
    """`--klas K`: the klas's current pupils in name order; an unknown or empty klas is refused."""
    from uitstroom.services.errors import ServiceError
    from uitstroom.services.handover import HandoverService

    pupil_ids = HandoverService(db.sessions, actor=db.actor).pupil_ids(klas)
    if not pupil_ids:
        raise ServiceError(
            f"Klas {klas} heeft geen leerlingen in het huidige schooljaar. "
            "Controleer de naam van de klas."
        )
    return pupil_ids


def chosen_pupil_ids(db: Database, args: argparse.Namespace) -> list[int]:
    """The pupils named by add_pupil_or_klas: the one pupil, or the klas."""
    if args.pupil:
        pupil = numbered_pupil(db, args.pupil)
        assert pupil.id is not None
        return [pupil.id]
    return klas_pupil_ids(db, args.klas)


def print_problems(problems: Sequence[ImportProblem], out: TextIO) -> None:
    """A file that was refused: how many problems, and each with its row and column."""
    from uitstroom.domain.plural import counted

    print(f"{counted(len(problems), 'probleem', 'problemen')}; er is niets geïmporteerd:", file=out)
    for problem in problems:
        print(f"  {problem.line}", file=out)


def _passphrase_from_file() -> str | None:
    from uitstroom.services.database import DatabaseOpenError

    name = os.environ.get(PASSPHRASE_ENV)
    if not name:
        return None
    try:
        return Path(name).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise DatabaseOpenError(
            f"Het wachtwoordbestand uit {PASSPHRASE_ENV} kan niet worden gelezen: "
            f"{read_error_message(Path(name), exc)}"
        ) from None


def ask_passphrase(new: bool) -> str:
    """From UITSTROOM_PASSPHRASE_FILE; else typed at the terminal; never prompts in a script."""
    from uitstroom.services.database import DatabaseOpenError

    from_file = _passphrase_from_file()
    if from_file is not None:
        return from_file
    if not sys.stdin.isatty():
        raise DatabaseOpenError(
            f"Er is een herstelwachtwoord nodig. Zet het in een bestand en noem dat bestand in "
            f"de omgevingsvariabele {PASSPHRASE_ENV}."
        )
    first = getpass.getpass("Herstelwachtwoord: ")
    if new and getpass.getpass("Nog een keer: ") != first:
        raise DatabaseOpenError("De twee wachtwoorden zijn niet gelijk. Probeer het opnieuw.")
    return first
