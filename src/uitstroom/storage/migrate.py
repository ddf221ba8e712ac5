"""Alembic, configured in code: the migrations ship inside the package and run at start-up,
after a backup copy of the database file."""

from __future__ import annotations

from collections.abc import Callable
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


def upgrade(engine: Engine, backup: Callable[[], Path] | None = None) -> Path | None:
    """Bring the database to the newest schema. A database that already has a schema is first
    copied by `backup`; returns the copy's path, or None when no copy was needed."""
    if not needs_upgrade(engine):
        return None
    copy: Path | None = None
    if backup is not None and current_revision(engine) is not None:
        copy = backup()
    command.upgrade(alembic_config(engine), "head")
    if engine.dialect.name == "sqlite":
        # The migrations write the whole schema through the write-ahead log (0003 rebuilds
        # the pupil table): fold it into the file now, so a new database does not carry
        # most of a megabyte of log until the first checkpoint.
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return copy
