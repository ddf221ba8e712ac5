"""Small builders for tests: a real database file in tmp_path and fictional pupils."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from uitstroom.domain.model import Guardian, Pupil
from uitstroom.services.database import Database, open_database


def fixed_clock(moment: datetime = datetime(2026, 11, 23, 9, 30)):
    return lambda: moment


def make_database(tmp_path: Path, name: str = "uitstroom.db") -> Database:
    return open_database(tmp_path / name)


def make_pupil(**changes: Any) -> Pupil:
    pupil = Pupil(
        leerlingnummer="200001",
        roepnaam="Zoë",
        tussenvoegsel="van der",
        achternaam="Meer",
        geboortedatum=date(2009, 5, 14),
        klas="PRO4A",
        mentor="mw. A. Kramer",
        woongemeente="Utrecht",
        telefoon="06 12345678",
        email="zoe@example.nl",
        guardians=(Guardian(name="mw. I. van der Meer", relation="moeder", phone="06 87654321"),),
    )
    return replace(pupil, **changes)


def dump(db_file: Path) -> str:
    """The whole database as SQL text: equal dumps mean nothing was written."""
    connection = sqlite3.connect(db_file)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()
