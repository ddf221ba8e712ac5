"""Small builders for tests: a real database file in tmp_path and fictional pupils."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pg import Backend, server_database
from uitstroom.domain.model import Guardian, Pupil
from uitstroom.services import vault
from uitstroom.services.database import Database, open_database
from uitstroom.storage import cipher
from uitstroom.storage.keys import new_data_key


def fixed_clock(moment: datetime = datetime(2026, 11, 23, 9, 30)):
    return lambda: moment


TEST_PASSPHRASE = "fietsbel tulpenveld Zwolle 2026"


def make_database(
    tmp_path: Path, name: str = "uitstroom.db", backend: Backend | None = None
) -> Database:
    """An encrypted database file, opened with a fresh data key (no key file: tests that need
    the recovery passphrase use services.vault.set_up); with a server backend, a fresh database
    on the test's PostgreSQL server instead."""
    if backend is not None and backend.cluster is not None:
        return server_database(backend.cluster)
    return open_database(tmp_path / name, new_data_key())


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


def dump(db: Database | Path, key: bytes | None = None, exclude: tuple[str, ...] = ()) -> str:
    """The whole database as SQL text: equal dumps mean nothing was written. Takes an (open or
    closed) Database, or a file and its key; a file without a key is unlocked with the test
    passphrase, as the headless commands in the tests set it up."""
    if isinstance(db, Database) and db.path is None:
        return _server_dump(db, exclude)
    if isinstance(db, Database):
        path, key = db.path, db.key
    else:
        path = db
        key = key or vault.unlock(path, TEST_PASSPHRASE)
    assert path is not None and key is not None
    connection = cipher.connect(path, key)
    try:
        lines = [
            sql
            for (sql,) in connection.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
            )
        ]
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        for (table,) in tables:
            if table in exclude:
                continue
            lines += [f"{table}: {row!r}" for row in connection.execute(f'SELECT * FROM "{table}"')]
        return "\n".join(lines)
    finally:
        connection.close()


def _server_dump(db: Database, exclude: tuple[str, ...]) -> str:
    """The same for a database on a server: every table's rows in primary key order (a server
    keeps no row order of its own), and the schema's columns."""
    from sqlalchemy import MetaData, select

    metadata = MetaData()
    metadata.reflect(db.engine)
    lines = []
    with db.engine.connect() as connection:
        for table in sorted(metadata.tables.values(), key=lambda t: t.name):
            lines.append(f"{table.name}({', '.join(str(c.type) + ' ' + c.name for c in table.c)})")
            if table.name in exclude:
                continue
            order = list(table.primary_key.columns) or list(table.c)
            rows = connection.execute(select(table).order_by(*order))
            lines += [f"{table.name}: {tuple(row)!r}" for row in rows]
    return "\n".join(lines)
