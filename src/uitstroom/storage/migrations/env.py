"""Runs inside `alembic.command.upgrade`; the engine comes from the in-code config, or a
connection whose transaction the caller owns (services.server: schema and rows in one)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from uitstroom.storage import models  # noqa: F401  (registers the tables)
from uitstroom.storage.base import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    if connection.dialect.name == "postgresql":
        # PostgreSQL changes the schema inside the transaction: a failed upgrade leaves the
        # server as it was. Two laptops that start a new version at once take turns here; the
        # second then finds the schema up to date.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('uitstroom-schema'))")
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)  # no commit: the caller's transaction decides
else:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        run(connection)
        connection.commit()
        if connection.dialect.name == "sqlite":
            # A migration that rebuilds a parent table switches foreign keys off (0003);
            # outside a transaction they can be switched on again for the pooled connection.
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()
