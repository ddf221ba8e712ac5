"""Alembic, configured in code: the migrations ship inside the package and run at start-up,
after a backup copy of the database file.

Alembic itself (with Mako and its dialects, about a fifth of a second) is imported only when the
schema must change: the stored revision is read with one query, and the head and the known
revisions are read from the `revision = "…"` lines of the migration files."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION_LINE = re.compile(r'^(down_revision|revision) = (?:"([^"]*)"|None)$', re.MULTILINE)


@functools.cache
def _revision_chain() -> tuple[frozenset[str], str | None]:
    """The revisions the migration files name, and the head: the one no file builds on. With
    a branch or a line written otherwise the head is None, and Alembic is asked instead."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(
            (name, value) for name, value in _REVISION_LINE.findall(script.read_text("utf-8"))
        )
        if found.get("revision"):
            revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return frozenset(revisions), (next(iter(heads)) if len(heads) == 1 else None)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    head = _revision_chain()[1]
    if head is not None:
        return head
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def known_revision(revision: str) -> bool:
    """False for a schema made by a newer version of the program."""
    if revision in _revision_chain()[0]:
        return True
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory(str(MIGRATIONS)).get_revision(revision) is not None
    except CommandError:
        return False


def is_known_revision(engine: Engine, revision: str) -> bool:
    return known_revision(revision)


def current_revision(engine: Engine) -> str | None:
    """The stored revision, in one query; None for a database without a schema yet."""
    with engine.connect() as connection:
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        except DBAPIError:
            # No version table: Alembic looks for it the long way and finds none either.
            from alembic.runtime.migration import MigrationContext

            connection.rollback()
            return MigrationContext.configure(connection).get_current_revision()
    if len(rows) > 1:
        raise RuntimeError("Meer dan één schemaversie in alembic_version")
    return str(rows[0][0]) if rows else None


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision(engine)


def upgrade_in(connection: Connection) -> None:
    """Bring a server database to the newest schema inside the caller's open transaction, so
    that the schema and what the caller writes next are committed together or not at all."""
    from alembic import command

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
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
    if engine.dialect.name == "sqlite":
        # The migrations write the whole schema through the write-ahead log (0003 rebuilds
        # the pupil table): fold it into the file now, so a new database does not carry
        # most of a megabyte of log until the first checkpoint.
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return copy
