"""Alembic, configured in code: the migrations ship inside the package and run at start-up,
after a backup copy of the database file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def is_known_revision(engine: Engine, revision: str) -> bool:
    """False for a schema made by a newer version of the program."""
    try:
        return (
            ScriptDirectory.from_config(alembic_config(engine)).get_revision(revision) is not None
        )
    except CommandError:
        return False


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision(engine)


def upgrade_in(connection: Connection) -> None:
    """Bring a server database to the newest schema inside the caller's open transaction, so
    that the schema and what the caller writes next are committed together or not at all."""
    config = alembic_config(connection.engine)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


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
