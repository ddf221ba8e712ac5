"""Runs inside `alembic.command.upgrade`; the engine comes from the in-code config."""

from __future__ import annotations

from alembic import context

from uitstroom.storage import models  # noqa: F401  (registers the tables)
from uitstroom.storage.base import Base

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if connection.dialect.name == "sqlite":
        # A migration that rebuilds a parent table switches foreign keys off (0003); outside
        # a transaction they can be switched on again for the pooled connection.
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        connection.commit()
