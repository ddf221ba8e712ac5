"""The same migrations on a real PostgreSQL server: every revision runs, and the result is
what the models describe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError

from pg import Cluster
from uitstroom.storage import migrate
from uitstroom.storage.base import Base
from uitstroom.storage.engine import make_engine


@pytest.fixture
def empty_server_database(postgres_server: Cluster) -> Iterator[Engine]:
    name = postgres_server.create_database()
    engine = make_engine(postgres_server.url(name))
    yield engine
    engine.dispose()
    postgres_server.drop_database(name)


def test_an_empty_server_database_upgrades_to_head_and_matches_the_models(
    empty_server_database: Engine,
) -> None:
    engine = empty_server_database
    assert engine.dialect.name == "postgresql" and engine.driver == "psycopg"
    assert migrate.upgrade(engine) is None  # no file, so no backup copy
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert "bsn" not in {c["name"] for c in inspect(engine).get_columns("pupil")}


def test_the_open_only_indexes_are_partial_on_the_server(empty_server_database: Engine) -> None:
    """The models name only sqlite_where for these two indexes (a postgresql_ option would load
    the PostgreSQL dialect at every start): the migrations make them partial on the server."""
    engine = empty_server_database
    migrate.upgrade(engine)
    with engine.connect() as connection:
        definitions = dict(
            connection.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
                "('ix_pupil_task_open', 'ix_nazorg_moment_open')"
            ).all()
        )
    assert set(definitions) == {"ix_pupil_task_open", "ix_nazorg_moment_open"}
    for definition in definitions.values():
        assert definition.endswith("WHERE (done_on IS NULL)"), definition


def test_each_revision_runs_on_its_own_with_data_in_between(empty_server_database: Engine) -> None:
    """A school that was on the server since the first version: every step upgrades what the
    step before left, with rows in the tables."""
    engine = empty_server_database
    config = migrate.alembic_config(engine)
    command.upgrade(config, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES ('2025-2026')")
        connection.exec_driver_sql(
            "INSERT INTO school_settings (id, name, school_type, brin, coordinator_name,"
            " coordinator_phone, coordinator_email) VALUES (1, 'De Horizon', 'pro', '', '', '', '')"
        )
    for revision in ("0002", "0003", "0004", "0005", "0006"):
        command.upgrade(config, revision)
        assert migrate.current_revision(engine) == revision
    command.upgrade(config, "head")
    with engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT auto_lock_minutes, attention_days, nazorg_offsets, dropout_reasons"
            " FROM school_settings"
        ).one()
        assert tuple(row) == (10, 14, "", "")  # the server defaults of the added columns
        assert connection.exec_driver_sql("SELECT label FROM cohort").scalar() == "2025-2026"


def test_the_audit_trail_refuses_updates_and_deletes_on_the_server(
    empty_server_database: Engine,
) -> None:
    engine = empty_server_database
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO audit_event (at, os_user, actor, action, detail, previous_hash, hash)"
            " VALUES ('2026-11-23', 'u', 'a', 'gewijzigd', '', '0', '1')"
        )
    for statement in ("UPDATE audit_event SET detail = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(IntegrityError, match="append-only"), engine.begin() as connection:
            connection.exec_driver_sql(statement)
    with engine.connect() as connection:
        assert connection.exec_driver_sql(
            "SELECT count(*), min(detail) FROM audit_event"
        ).one() == (
            1,
            "",
        )
