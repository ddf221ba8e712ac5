"""Opening a database: lock, key, engine, migrations (after a verified backup), sessions.

A database file is always encrypted (SQLCipher) and opened by one running program at a time.
A postgresql:// URL is the school's shared server: no file to lock, encrypt or copy; TLS unless
on this computer, and the schema upgraded in one transaction instead of after a backup.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.actor import LAPTOP_COORDINATOR, Actor
from uitstroom.domain.damage import Trouble, trouble_message
from uitstroom.services.backups import make_backup
from uitstroom.services.connection import (
    SchemaState,
    ServerAddress,
    ServerProblem,
    explain,
    foreign_message,
    is_server_url,
    newer_schema_message,
    password_for,
    refusal,
    server_engine_for,
    server_state,
)
from uitstroom.services.durability import (
    DiskFull,
    is_disk_full,
    nearly_full,
    watch_for_full_disk,
)
from uitstroom.services.errors import Unopenable
from uitstroom.services.planning import plan_missing
from uitstroom.storage import cipher, migrate
from uitstroom.storage.engine import make_session_factory
from uitstroom.storage.keys import WrappedKey, keyfile_for, write_keyfile

BUILDING = ".bouw"  # a new database while it is being made
BUILT = ".nieuw"  # a new database that is complete, about to be renamed into place


class DatabaseOpenError(Unopenable):
    """The database cannot be opened; the message is Dutch and says what to do, `trouble`
    names the cause where it is one of domain.damage's."""


def trouble_error(kind: Trouble, path: Path, detail: str = "") -> DatabaseOpenError:
    return DatabaseOpenError(trouble_message(kind, path.name, keyfile_for(path).name, detail), kind)


def _trouble_of(error: BaseException, folder: Path | None = None) -> Trouble:
    """What an error met while opening or migrating a file means for the user."""
    if is_disk_full(error, folder):
        return Trouble.DISK_FULL
    original = getattr(error, "orig", None)
    failed = error if isinstance(error, cipher.OpenFailed) else cipher.failure(original or error)
    if isinstance(failed, cipher.NoSpace):
        return Trouble.DISK_FULL
    if isinstance(failed, cipher.Unreadable):
        # SQLite says "disk I/O error" for a shared-memory file it cannot grow.
        return (
            Trouble.DISK_FULL if folder is not None and nearly_full(folder) else Trouble.UNREADABLE
        )
    if isinstance(failed, cipher.WrongKey):
        return Trouble.OTHER_KEY
    return Trouble.DATABASE_DAMAGED


class DatabaseInUse(DatabaseOpenError):
    pass


class ServerRefused(DatabaseOpenError):
    """The school's server cannot be used as it is: `problem` says which part to fix."""

    def __init__(self, problem: ServerProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    location: str
    path: Path | None = None
    backup_dir: Path | None = None
    key: bytes | None = field(default=None, repr=False)
    backup_before_update: Path | None = None
    lock: FileLock | None = field(default=None, repr=False)
    # Who works on it in this run of a command (domain.actor; cli.py sets it from the user
    # list as the window does).
    actor: Actor = LAPTOP_COORDINATOR

    def schema(self) -> tuple[str | None, str | None]:
        """The schema revision the database has, and the newest this version knows."""
        return migrate.current_revision(self.engine), migrate.head_revision(self.engine)

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def lock_file_for(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def acquire_lock(path: Path) -> FileLock:
    lock = FileLock(str(lock_file_for(path)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise DatabaseInUse(
            "Uitstroom is al geopend met deze database, misschien in een ander venster of door "
            "een andere gebruiker op deze computer. Sluit dat eerst en probeer het opnieuw."
        ) from None
    except OSError as exc:
        raise DatabaseOpenError(
            f"In de map {path.parent} kan Uitstroom niet schrijven ({exc.strerror}). "
            "Kies een andere plek voor de database."
        ) from exc
    return lock


def open_database(
    target: str | Path,
    key: bytes | None = None,
    backup_dir: Path | None = None,
    lock: FileLock | None = None,
    password: str | None = None,
    verify: bool = False,
) -> Database:
    """Open (or create) the encrypted database file at `target` with its data key, or a server
    URL, and bring the schema up to date. Get the key from services.vault first. `lock` is the
    file's lock when the caller already holds it (a restore swaps the file under it). For a
    server, `password` (else the one in the address, else the keychain's)."""
    text = str(target)
    if is_server_url(text):
        return open_server(text, password)

    path = Path(text).expanduser().resolve()
    if path.is_dir():
        raise DatabaseOpenError(f"{path} is een map, geen databasebestand. Kies een bestand.")
    if key is None:
        raise DatabaseOpenError("Deze database is versleuteld; open hem met de sleutel.")
    if cipher.is_plaintext_sqlite(path):
        raise DatabaseOpenError(
            f"{path.name} is nog niet versleuteld. Start Uitstroom om hem eerst te versleutelen."
        )
    try:
        cipher.private_folder(path.parent)
    except OSError as exc:
        raise DatabaseOpenError(
            f"De map {path.parent} kan niet worden aangemaakt ({exc.strerror}). "
            "Kies een andere plek voor de database."
        ) from exc
    backups = backup_dir or path.parent / "backups"
    owns_lock = lock is None
    lock = lock or acquire_lock(path)
    engine: Engine | None = None
    try:
        if not path.exists():
            if keyfile_for(path).exists():
                # A key file without its database: the database was here. A new one in its
                # place would never open the backups; a restore is the way back.
                raise trouble_error(Trouble.DATABASE_MISSING, path)
            build_new_database(path, key)
        elif path.stat().st_size == 0:
            raise trouble_error(Trouble.DATABASE_EMPTY, path)
        elif path.stat().st_size % PAGE_SIZE:
            raise trouble_error(Trouble.DATABASE_DAMAGED, path, "het bestand is afgekapt")
        for private in (path, keyfile_for(path)):
            # Files from a version before this rule were made 0644: owner-only from now on.
            if private.exists():
                cipher.owner_only(private)
        engine = cipher.make_encrypted_engine(path, key)
        watch_for_full_disk(engine, path.parent)
        if verify:
            verify_pages(path, key)
        revision = migrate.current_revision(engine)
        if revision is not None and not migrate.is_known_revision(engine, revision):
            # Migrating down is no option: the newer program's data would be lost.
            raise DatabaseOpenError(
                f"{path.name} is bijgewerkt door een nieuwere versie van Uitstroom. Er is niets "
                "veranderd. Installeer die nieuwere versie (vraag het zo nodig aan de ICT-"
                "afdeling) en open de database dan opnieuw."
            )
        backup = None
        if revision is None:
            migrate.upgrade(engine)  # an empty file (a test's): nothing to keep
        elif revision != migrate.head_revision(engine):
            backup = make_backup(path, key, backups, "voor-update", datetime.now())
            engine.dispose()
            engine = None
            upgrade_beside(path, key)
            engine = cipher.make_encrypted_engine(path, key)
            watch_for_full_disk(engine, path.parent)
        sessions = make_session_factory(engine)
        if backup is not None:
            # An upgraded file may hold pupils from before the checklists: plan them now.
            plan_missing(sessions, date.today())
    except (DatabaseError, OperationalError, cipher.OpenFailed, DiskFull, OSError) as exc:
        if engine is not None:
            engine.dispose()
        if owns_lock:
            lock.release()
        kind = Trouble.DISK_FULL if isinstance(exc, DiskFull) else _trouble_of(exc, path.parent)
        if kind is Trouble.DISK_FULL:
            raise DatabaseOpenError(
                "De schijf is vol, daardoor kan de database niet worden geopend of bijgewerkt. "
                "Er is niets veranderd. Maak ruimte vrij (bijvoorbeeld in Downloads of de "
                "prullenbak) en start Uitstroom opnieuw.",
                kind,
            ) from exc
        raise trouble_error(kind, path) from exc
    except BaseException:
        if engine is not None:
            engine.dispose()
        if owns_lock:
            lock.release()
        raise
    return Database(engine, sessions, str(path), path, backups, key, backup, lock)


PAGE_SIZE = 4096  # SQLCipher 4: a whole database file is a whole number of pages


def verify_pages(path: Path, key: bytes) -> None:
    """Every page of the file checked against its HMAC (cipher.check_pages); DatabaseOpenError
    naming the damage when one fails. Reads, writes nothing."""
    try:
        connection = cipher.connect(path, key)
    except cipher.OpenFailed as exc:
        raise trouble_error(_trouble_of(exc, path.parent), path) from exc
    try:
        problems = cipher.check_pages(connection)
    finally:
        connection.close()
    if problems:
        raise trouble_error(Trouble.DATABASE_DAMAGED, path)


UPGRADING = ".bijwerken"


def upgrade_beside(path: Path, key: bytes) -> None:
    """Bring an existing database to the newest schema on a copy beside it, renamed over it
    when whole. SQLite cannot undo a schema change halfway through a chain of migrations (0003
    rebuilds a table outside a transaction), so a full disk in the middle would leave the file
    between two versions; the copy makes it all or nothing. Needs room for a second copy."""
    staged = path.with_name(path.name + UPGRADING)
    sides = [staged.with_name(staged.name + side) for side in ("", "-wal", "-shm", "-journal")]
    for leftover in sides:
        leftover.unlink(missing_ok=True)
    try:
        cipher.copy_encrypted(path, staged, key)
        engine = cipher.make_encrypted_engine(staged, key)
        try:
            migrate.upgrade(engine)
        finally:
            engine.dispose()
        with open(staged, "rb") as stream:
            os.fsync(stream.fileno())
        for suffix in ("-wal", "-shm"):
            # The original is closed and its log folded in: what is left belongs to no one.
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(staged, path)
        cipher.fsync_folder(path.parent)
    except BaseException:
        for leftover in sides:
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        raise


def build_new_database(path: Path, key: bytes, keyfile: WrappedKey | None = None) -> None:
    """A new, empty database at `path` (which must not exist), with its key file when given.
    Built as path.bouw, renamed to path.nieuw once whole and synced, then the key file, then
    into place: a failure at any step (a full disk) leaves nothing, and a crash leaves at most
    a whole .nieuw that vault.finish_interrupted_creation puts in place."""
    building = path.with_name(path.name + BUILDING)
    built = path.with_name(path.name + BUILT)
    leftovers = [
        file.with_name(file.name + side)
        for file in (building, built)
        for side in ("", "-wal", "-shm", "-journal")
    ]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    wrote_key = False
    try:
        engine = cipher.make_encrypted_engine(building, key)
        try:
            migrate.upgrade(engine)
        finally:
            engine.dispose()
        cipher.owner_only(building)
        with open(building, "rb") as stream:
            os.fsync(stream.fileno())
        os.replace(building, built)
        if keyfile is not None:
            write_keyfile(path, keyfile)
            wrote_key = True
        os.replace(built, path)
        cipher.fsync_folder(path.parent)
    except BaseException as exc:
        for leftover in leftovers:
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        if wrote_key:
            with contextlib.suppress(OSError):
                keyfile_for(path).unlink()
        if not isinstance(exc, (DiskFull, OSError, DatabaseError, cipher.OpenFailed)):
            raise
        if isinstance(exc, DiskFull) or is_disk_full(exc, path.parent):
            raise DatabaseOpenError(
                "De schijf is vol: de nieuwe database kon niet worden gemaakt. Er is niets "
                "achtergelaten. Maak ruimte vrij (bijvoorbeeld in Downloads of de prullenbak) "
                "en probeer het opnieuw.",
                Trouble.DISK_FULL,
            ) from exc
        raise DatabaseOpenError(
            f"De nieuwe database kon niet worden gemaakt in {path.parent} ({exc}). Er is niets "
            "achtergelaten. Kies een andere plek, of vraag de ICT-afdeling om hulp.",
            Trouble.UNREADABLE,
        ) from exc


def server_engine(url: str, password: str | None = None) -> tuple[ServerAddress, Engine]:
    """An engine for the school's server, once the TLS rule allows the address; with the
    password given, else the one in the keychain (or in the address itself)."""
    address = ServerAddress.from_url(url)
    refused = refusal(address)
    if refused:
        raise ServerRefused(*refused)
    return address, server_engine_for(address, password or password_for(address, url))


def open_server(url: str, password: str | None = None) -> Database:
    """The school's PostgreSQL server. Nothing is written until the connection, the password
    and the schema are known to be right. There is no file to copy before an upgrade; instead
    all migrations run in one transaction (PostgreSQL changes a schema transactionally), so an
    upgrade that fails halfway leaves the server exactly as it was."""
    address, engine = server_engine(url, password)
    try:
        try:
            state = server_state(engine)
        except SQLAlchemyError as exc:
            raise ServerRefused(*explain(exc, address)) from exc
        if state.schema is SchemaState.NEWER:
            raise ServerRefused(
                ServerProblem.NEWER_SCHEMA, newer_schema_message(state.revision or "?")
            )
        if state.schema is SchemaState.FOREIGN:
            raise ServerRefused(ServerProblem.FOREIGN, foreign_message(address))
        try:
            migrate.upgrade(engine)
        except SQLAlchemyError as exc:
            said = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            raise DatabaseOpenError(
                "Het bijwerken van de database op de server is niet gelukt. De server is "
                "teruggezet zoals hij was; er is niets veranderd. Geef deze melding aan de "
                f"beheerder van de server: {said[0] if said else type(exc).__name__}"
            ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, make_session_factory(engine), address.url())
