"""Opening a database: engine, migrations (after a backup copy), session factory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.storage import migrate
from uitstroom.storage.engine import make_engine, make_session_factory


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is Dutch and says what to do."""


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    location: str
    backup_before_update: Path | None = None

    def close(self) -> None:
        self.engine.dispose()


def open_database(target: str | Path, backup_dir: Path | None = None) -> Database:
    """Open (or create) the database at a path or URL and bring its schema up to date."""
    text = str(target)
    if "://" not in text:
        path = Path(text).expanduser()
        if path.is_dir():
            raise DatabaseOpenError(f"{path} is een map, geen databasebestand. Kies een bestand.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseOpenError(
                f"De map {path.parent} kan niet worden aangemaakt ({exc.strerror}). "
                "Kies een andere plek voor de database."
            ) from exc
        if backup_dir is None:
            backup_dir = path.parent / "backups"
    engine = make_engine(target)
    try:
        backup = migrate.upgrade(engine, backup_dir)
    except DatabaseError as exc:
        engine.dispose()
        raise DatabaseOpenError(
            f"{target} is geen Uitstroom-database of is beschadigd. "
            "Kies een ander bestand of zet een back-up terug."
        ) from exc
    return Database(engine, make_session_factory(engine), text, backup)
