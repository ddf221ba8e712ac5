from datetime import datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from uitstroom.storage import migrate
from uitstroom.storage.base import Base
from uitstroom.storage.engine import make_engine


def test_empty_database_upgrades_to_head_and_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "leeg.db")
    assert migrate.needs_upgrade(engine)
    assert migrate.upgrade(engine, tmp_path / "backups") is None  # nothing to back up yet
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert "bsn" not in {c["name"] for c in inspect(engine).get_columns("pupil")}
    engine.dispose()


def test_backup_copy_is_a_complete_database(tmp_path: Path) -> None:
    db_file = tmp_path / "school.db"
    engine = make_engine(db_file)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES ('2026-2027')")
    copy = migrate.backup_sqlite_file(
        db_file, tmp_path / "b", "voor-update", datetime(2026, 11, 23, 9, 0)
    )
    engine.dispose()
    assert copy.name == "school-voor-update-20261123-090000.db"
    check = make_engine(copy)
    with check.connect() as connection:
        assert connection.exec_driver_sql("SELECT label FROM cohort").scalar() == "2026-2027"
    check.dispose()


def test_a_database_made_by_the_first_schema_is_copied_then_upgraded(tmp_path: Path) -> None:
    from alembic import command

    db_file = tmp_path / "oud.db"
    engine = make_engine(db_file)
    command.upgrade(migrate.alembic_config(engine), "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES ('2025-2026')")
    backup = migrate.upgrade(engine, tmp_path / "backups", datetime(2026, 11, 23, 9, 0))
    assert backup is not None and backup.exists()
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT label FROM cohort").scalar() == "2025-2026"
    engine.dispose()
    old = make_engine(backup)
    assert migrate.current_revision(old) == "0001"
    old.dispose()


def test_the_audit_trail_refuses_updates_and_deletes(tmp_path: Path) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(tmp_path / "a.db")
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO audit_event (at, os_user, actor, action, detail, previous_hash, hash)"
            " VALUES ('2026-11-23', 'u', 'a', 'gewijzigd', '', '0', '1')"
        )
    for statement in ("UPDATE audit_event SET detail = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(IntegrityError, match="append-only"), engine.begin() as connection:
            connection.exec_driver_sql(statement)
    engine.dispose()
