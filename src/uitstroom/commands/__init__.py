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
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from uitstroom.paths import PASSPHRASE_ENV
from uitstroom.services.files import read_error_message  # standard library only

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
