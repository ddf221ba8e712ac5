"""Alembic, configured in code: the migrations ship inside the package and run at start-up,
after a backup copy of the database file."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision(engine)


def backup_sqlite_file(db_path: Path, backup_dir: Path, reason: str, now: datetime) -> Path:
    """A consistent copy through SQLite's online backup API (safe while WAL is in use)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    target = backup_dir / f"{db_path.stem}-{reason}-{now:%Y%m%d-%H%M%S}.db"
    source = sqlite3.connect(db_path)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def upgrade(
    engine: Engine, backup_dir: Path | None = None, now: datetime | None = None
) -> Path | None:
    """Bring the database to the newest schema. A file that already holds data is copied first;
    returns the backup's path, or None when no copy was needed."""
    if not needs_upgrade(engine):
        return None
    backup: Path | None = None
    db_file = engine.url.database
    if (
        engine.dialect.name == "sqlite"
        and db_file
        and backup_dir is not None
        and current_revision(engine) is not None
    ):
        backup = backup_sqlite_file(Path(db_file), backup_dir, "voor-update", now or datetime.now())
    command.upgrade(alembic_config(engine), "head")
    return backup
