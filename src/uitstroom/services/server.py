"""Moving up to the school's server, and back: every table copied in foreign-key order, checked
by row counts and a checksum per table, all or nothing.

Upload: the encrypted file -> an empty PostgreSQL database, in one transaction on the server
(schema, rows, sequences and the check): a failure or Ctrl-C rolls the server back to empty.
Download: the server -> a new encrypted file with its own data key and recovery passphrase,
read from one snapshot of the server; the new file is removed again when anything fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Row,
    Select,
    Table,
    delete,
    func,
    insert,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from uitstroom.domain.actor import LAPTOP_COORDINATOR
from uitstroom.domain.plural import counted
from uitstroom.services import vault
from uitstroom.services.access import COORDINATOR_ONLY, require_coordinator
from uitstroom.services.connection import (
    ServerAddress,
    explain,
)
from uitstroom.services.database import (
    Database,
    ServerRefused,
    lock_file_for,
    open_database,
    open_server,
    server_engine,
)
from uitstroom.services.errors import NotAllowed, ServiceError
from uitstroom.services.users import UserService
from uitstroom.storage import keychain, migrate
from uitstroom.storage.base import Base
from uitstroom.storage.keys import keyfile_for, read_keyfile
from uitstroom.storage.types import StoredEnum

BATCH = 2000
# table name, rows copied so far, rows in the table
Progress = Callable[[str, int, int], None]


class CopyRefused(ServiceError):
    """The copy was not made; nothing was changed. The message says why and what to do."""


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    checksum: str


@dataclass(frozen=True)
class CopyResult:
    target: str
    tables: tuple[TableCheck, ...]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return list(Base.metadata.sorted_tables)


# --- the check ---------------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """One spelling per value, whichever database it came from."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | Decimal):
        return repr(float(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


class _Digest:
    def __init__(self) -> None:
        self.rows = 0
        self._hash = hashlib.sha256()

    def add(self, row: Sequence[Any]) -> None:
        self.rows += 1
        line = json.dumps([_canonical(v) for v in row], ensure_ascii=False)
        self._hash.update(line.encode("utf-8") + b"\n")

    def check(self, table: str) -> TableCheck:
        return TableCheck(table, self.rows, self._hash.hexdigest())


def _sorts_in_sql(table: Table) -> bool:
    # Numbers sort the same everywhere; text follows the server's collation, so text keys are
    # sorted here instead.
    return all(isinstance(c.type, Integer) for c in table.primary_key.columns)


def _as_stored(table: Table) -> Select[Any]:
    """Every column as the database holds it: an enum column's text as written, so a value
    this version does not know is copied and counted, not turned into its stand-in."""
    return select(
        *(
            type_coerce(c, c.type.impl_instance).label(c.name)
            if isinstance(c.type, StoredEnum)
            else c
            for c in table.c
        )
    )


def _rows(connection: Connection, table: Table) -> Iterator[Row[Any]]:
    """The table's rows in primary key order, in batches."""
    key = list(table.primary_key.columns) or list(table.c)
    if _sorts_in_sql(table):
        result = connection.execution_options(yield_per=BATCH).execute(
            _as_stored(table).order_by(*key)
        )
        for partition in result.partitions():
            yield from partition
        return
    positions = [list(table.c).index(c) for c in key]
    rows = list(connection.execute(_as_stored(table)))
    rows.sort(key=lambda row: [json.dumps(_canonical(row[i])) for i in positions])
    yield from rows


def table_checks(connection: Connection) -> tuple[TableCheck, ...]:
    """Row count and sha256 of every table, rows in key order, values spelled one way."""
    checks = []
    for table in tables():
        digest = _Digest()
        for row in _rows(connection, table):
            digest.add(row)
        checks.append(digest.check(table.name))
    return tuple(checks)


# --- the copy ----------------------------------------------------------------------------------


def _clear(connection: Connection) -> None:
    """An unused schema may hold the rows its migrations seed; the copy brings its own."""
    for table in reversed(tables()):
        connection.execute(delete(table))


def _copy_tables(
    source: Connection, target: Connection, progress: Progress | None
) -> tuple[TableCheck, ...]:
    checks = []
    for table in tables():
        total = source.execute(select(func.count()).select_from(table)).scalar_one()
        # A row may point at a later row of its own table (contact_person.replaced_by_id):
        # those links go in after all rows are there.
        self_links = [fk.parent for fk in table.foreign_keys if fk.column.table is table]
        key = list(table.primary_key.columns)
        later: list[dict[str, Any]] = []
        digest = _Digest()
        if progress is not None:
            progress(table.name, 0, total)
        batch: list[dict[str, Any]] = []
        for row in _rows(source, table):
            digest.add(row)
            values = dict(row._mapping)
            if any(values[c.name] is not None for c in self_links):
                later.append({c.name: values[c.name] for c in (*key, *self_links)})
                values.update({c.name: None for c in self_links})
            batch.append(values)
            if len(batch) >= BATCH:
                _insert(target, table, batch, progress, digest.rows, total)
        _insert(target, table, batch, progress, digest.rows, total)
        for link in later:
            target.execute(
                update(table)
                .where(*(c == link[c.name] for c in key))
                .values({c.name: link[c.name] for c in self_links})
            )
        checks.append(digest.check(table.name))
    return tuple(checks)


def _insert(
    target: Connection,
    table: Table,
    batch: list[dict[str, Any]],
    progress: Progress | None,
    done: int,
    total: int,
) -> None:
    if batch:
        target.execute(insert(table), batch)
        batch.clear()
        if progress is not None:
            progress(table.name, done, total)


def _verify(expected: tuple[TableCheck, ...], connection: Connection) -> None:
    found = table_checks(connection)
    wrong = [
        f"{want.table} ({counted(want.rows, 'rij', 'rijen')}, in de kopie {got.rows})"
        if want.rows != got.rows
        else f"{want.table} (de inhoud verschilt)"
        for want, got in zip(expected, found, strict=True)
        if want != got
    ]
    if wrong:
        raise CopyRefused(
            "De kopie is niet gelijk aan het origineel: " + ", ".join(wrong) + ". Er is niets "
            "gekopieerd. Probeer het opnieuw; gebeurt het weer, meld het dan bij de beheerder."
        )


def _highest_ids_sqlite(connection: Connection) -> dict[str, int]:
    """SQLite's AUTOINCREMENT memory: the highest id ever given out, also of erased pupils."""
    has = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'"
    ).scalar()
    if not has:
        return {}
    return {
        name: int(seq)
        for name, seq in connection.exec_driver_sql("SELECT name, seq FROM sqlite_sequence")
    }


def _serial_columns(connection: Connection) -> Iterator[tuple[Table, Any, str]]:
    for table in tables():
        key = list(table.primary_key.columns)
        if len(key) == 1 and isinstance(key[0].type, Integer):
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": table.name, "c": key[0].name},
            ).scalar()
            if sequence:
                yield table, key[0], sequence


def _highest_ids_server(connection: Connection) -> dict[str, int]:
    highest = {}
    for table, _column, sequence in _serial_columns(connection):
        last, called = connection.execute(
            text(f"SELECT last_value, is_called FROM {sequence}")
        ).one()
        highest[table.name] = int(last) if called else int(last) - 1
    return highest


def _reset_sequences(connection: Connection, given_out: dict[str, int]) -> None:
    """After rows with their own ids: the next id follows the highest, never one given before."""
    for table, column, sequence in _serial_columns(connection):
        highest = max(
            connection.execute(select(func.max(column))).scalar() or 0,
            given_out.get(table.name, 0),
        )
        if highest:
            connection.execute(text("SELECT setval(:s, :v, true)"), {"s": sequence, "v": highest})


def _carry_sequences_to_file(connection: Connection, given_out: dict[str, int]) -> None:
    for table in tables():
        if not table.dialect_options["sqlite"].get("autoincrement"):
            continue
        highest = given_out.get(table.name, 0)
        if not highest:
            continue
        updated = connection.exec_driver_sql(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (highest, table.name)
        ).rowcount
        if not updated:
            connection.exec_driver_sql(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table.name, highest)
            )


# --- upload --------------------------------------------------------------------------------------


def _contents(connection: Connection) -> tuple[int, list[str]]:
    """Rows that show someone worked in this database (pupils, the trail), and the tables."""
    names = list(
        connection.execute(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() ORDER BY table_name"
            )
        ).scalars()
    )
    used = 0
    for name in ("pupil", "audit_event", "cohort"):
        if name in names:
            used += connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
    return used, names


def _refuse_unless_empty(connection: Connection, address: ServerAddress) -> None:
    used, names = _contents(connection)
    if not names:
        return
    if "alembic_version" not in names:
        raise CopyRefused(
            f"De database {address.database} op de server is niet leeg: er staan al tabellen "
            "van een ander programma in. Uitstroom kopieert alleen naar een lege database, zodat "
            "er niets wordt overschreven. Vraag de beheerder een nieuwe, lege database aan te "
            "maken."
        )
    revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if revision is not None and not migrate.is_known_revision(connection.engine, str(revision)):
        raise CopyRefused(
            "De database op de server is gemaakt door een nieuwere versie van Uitstroom. "
            "Installeer eerst de nieuwste versie; er is niets gekopieerd."
        )
    if used:
        raise CopyRefused(
            f"De database {address.database} op de server is niet leeg: er wordt al in gewerkt "
            "(leerlingen of regels in het logboek). Uitstroom kopieert alleen naar een lege "
            "database, zodat er niets wordt overschreven. Kies een andere database, of vraag de "
            "beheerder een nieuwe, lege database aan te maken. Er is niets veranderd."
        )


def _require_head(db: Database, what: str) -> None:
    if migrate.current_revision(db.engine) != migrate.head_revision(db.engine):
        raise CopyRefused(
            f"{what} is niet bijgewerkt naar deze versie van Uitstroom. Open hem eerst met deze "
            "versie; er is niets gekopieerd."
        )


def upload(
    source: Database,
    server_url: str,
    password: str | None = None,
    progress: Progress | None = None,
) -> CopyResult:
    """Copy the open database file to an empty database on the server. One transaction on the
    server: schema, rows, sequences and the check, or nothing at all."""
    if source.path is None:
        raise CopyRefused("Kies met --db het databasebestand dat naar de server moet.")
    _require_head(source, "Het databasebestand")
    address, engine = server_engine(server_url, password)
    try:
        try:
            target = engine.connect()
        except SQLAlchemyError as exc:
            raise ServerRefused(*explain(exc, address)) from exc
        with target, source.engine.connect() as reading, reading.begin():
            given_out = _highest_ids_sqlite(reading)
            with target.begin():
                # Nobody else sets up this database while the copy runs.
                target.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('uitstroom-schema'))")
                _refuse_unless_empty(target, address)
                migrate.upgrade_in(target)
                _clear(target)
                expected = _copy_tables(reading, target, progress)
                _reset_sequences(target, given_out)
                _verify(expected, target)
    finally:
        engine.dispose()
    return CopyResult(address.url(), expected)


# --- download ------------------------------------------------------------------------------------


def _new_file_problem(target: Path) -> str | None:
    if target.is_dir():
        return f"{target} is een map. Geef een naam voor het nieuwe databasebestand."
    if target.exists() or keyfile_for(target).exists():
        return (
            f"{target.name} bestaat al. Kies een nieuwe bestandsnaam: Uitstroom overschrijft geen "
            "bestaande database."
        )
    return None


def _remove_new_file(target: Path) -> None:
    """Everything a failed download made: the file, its side files, key file and keychain entry."""
    with contextlib.suppress(Exception):
        keychain.forget_key(read_keyfile(target).database_id)
    for leftover in (
        target,
        target.with_name(target.name + "-wal"),
        target.with_name(target.name + "-shm"),
        target.with_name(target.name + "-journal"),
        keyfile_for(target),
        lock_file_for(target),
    ):
        leftover.unlink(missing_ok=True)


def _require_coordinator(server: Database) -> None:
    """A copy of everything, support needs too, is the coordinator's: the person the server's
    user list names for this login, as in the window (none in the list: the coordinator)."""
    users = UserService(server.sessions)
    try:
        actor = users.who_is_working().actor if users.users() else LAPTOP_COORDINATOR
    except SQLAlchemyError:  # a login that may not even read the whole user list
        raise NotAllowed(COORDINATOR_ONLY) from None
    require_coordinator(actor)


def download(
    server_url: str,
    target: Path,
    passphrase: str,
    password: str | None = None,
    progress: Progress | None = None,
) -> CopyResult:
    """Copy the server's database into a new encrypted file, with its own data key wrapped under
    `passphrase` (the new file's recovery passphrase), as every new database gets."""
    target = Path(target).expanduser().resolve()
    problem = _new_file_problem(target)
    if problem:
        raise CopyRefused(problem)
    server = open_server(server_url, password)
    try:
        _require_head(server, "De database op de server")
        _require_coordinator(server)
        key = vault.set_up(target, passphrase)
        try:
            copy = open_database(target, key, backup_dir=target.parent / "backups")
            try:
                with server.engine.connect() as reading, copy.engine.connect() as writing:
                    # One snapshot of the server, even while colleagues go on working.
                    reading = reading.execution_options(isolation_level="REPEATABLE READ")
                    with reading.begin(), writing.begin():
                        given_out = _highest_ids_server(reading)
                        _clear(writing)
                        expected = _copy_tables(reading, writing, progress)
                        _carry_sequences_to_file(writing, given_out)
                        _verify(expected, writing)
            finally:
                copy.close()
        except BaseException:
            _remove_new_file(target)
            raise
    finally:
        server.close()
    return CopyResult(str(target), expected)
