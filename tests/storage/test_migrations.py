from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from uitstroom.services.backups import make_backup
from uitstroom.storage import cipher, migrate
from uitstroom.storage.base import Base
from uitstroom.storage.keys import new_data_key

MOMENT = datetime(2026, 11, 23, 9, 0)


def test_empty_database_upgrades_to_head_and_matches_the_models(tmp_path: Path) -> None:
    engine = cipher.make_encrypted_engine(tmp_path / "leeg.db", new_data_key())
    assert migrate.needs_upgrade(engine)
    assert migrate.upgrade(engine, backup=lambda: pytest.fail("nothing to back up")) is None
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert "bsn" not in {c["name"] for c in inspect(engine).get_columns("pupil")}
    engine.dispose()


def test_backup_copy_is_a_complete_encrypted_database(tmp_path: Path) -> None:
    key = new_data_key()
    db_file = tmp_path / "school.db"
    engine = cipher.make_encrypted_engine(db_file, key)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES ('2026-2027')")
    copy = make_backup(db_file, key, tmp_path / "b", "voor-update", MOMENT)
    engine.dispose()
    assert copy.name == "school-20261123-090000-000000-voor-update.db"
    assert not cipher.is_plaintext_sqlite(copy)
    connection = cipher.connect(copy, key)
    assert connection.execute("SELECT label FROM cohort").fetchall() == [("2026-2027",)]
    connection.close()


def test_a_database_made_by_the_first_schema_is_copied_then_upgraded(tmp_path: Path) -> None:
    key = new_data_key()
    db_file = tmp_path / "oud.db"
    engine = cipher.make_encrypted_engine(db_file, key)
    command.upgrade(migrate.alembic_config(engine), "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES ('2025-2026')")
    backup = migrate.upgrade(
        engine,
        backup=lambda: make_backup(db_file, key, tmp_path / "backups", "voor-update", MOMENT),
    )
    assert backup is not None and backup.exists()
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT label FROM cohort").scalar() == "2025-2026"
    engine.dispose()
    old = cipher.make_encrypted_engine(backup, key)
    assert migrate.current_revision(old) == "0001"
    old.dispose()


def test_the_audit_trail_refuses_updates_and_deletes(tmp_path: Path) -> None:
    engine = cipher.make_encrypted_engine(tmp_path / "a.db", new_data_key())
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


def test_the_rebuild_for_never_reused_ids_keeps_every_pupil_and_what_hangs_from_it(
    tmp_path: Path,
) -> None:
    engine = cipher.make_encrypted_engine(tmp_path / "oud.db", new_data_key())
    command.upgrade(migrate.alembic_config(engine), "0002")
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES ('2026-2027')")
        for n in (1, 2):
            connection.exec_driver_sql(
                "INSERT INTO pupil (cohort_id, leerlingnummer, roepnaam, tussenvoegsel, achternaam,"
                " klas, mentor, woongemeente, telefoon, email, mbo_opleiding, mbo_crebo,"
                " startkwalificatie, ondersteuningsbehoefte, archived, imported_values,"
                " created_at, updated_at, version) VALUES (1, ?, 'Noa', '', 'Jansen', 'PRO4A',"
                " '', '', '', '', '', '', 'onbekend', '', 0, '{}', '2026-11-23', '2026-11-23', 1)",
                (f"10{n}",),
            )
        connection.exec_driver_sql(
            "INSERT INTO guardian (pupil_id, position, name, relation, phone, email)"
            " VALUES (2, 0, 'mw. Jansen', 'moeder', '', '')"
        )
        connection.exec_driver_sql(
            "INSERT INTO route (pupil_id, route, mbo_instelling, opleiding,"
            " aanmeldstatus, werkgever, functie, contract, instrumenten, aanbieder, toelichting)"
            " VALUES (2, 'doorleren', '', '', 'niet_aangemeld', '', '', 'onbekend', '', '', '')"
        )
    migrate.upgrade(engine)
    with engine.begin() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM guardian").scalar() == 1
        assert connection.exec_driver_sql("SELECT route FROM route").scalar() == "doorleren"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'pupil'"
        ).scalar()
        assert "AUTOINCREMENT" in sql
        connection.exec_driver_sql("DELETE FROM pupil WHERE id = 2")
        assert connection.exec_driver_sql("SELECT count(*) FROM guardian").scalar() == 0
        connection.exec_driver_sql(
            "INSERT INTO pupil (cohort_id, leerlingnummer, roepnaam, tussenvoegsel, achternaam,"
            " klas, mentor, woongemeente, telefoon, email, mbo_opleiding, mbo_crebo,"
            " startkwalificatie, ondersteuningsbehoefte, archived, imported_values,"
            " created_at, updated_at, version) VALUES (1, '103', 'Sem', '', 'Smit', 'PRO4A',"
            " '', '', '', '', '', '', 'onbekend', '', 0, '{}', '2026-11-23', '2026-11-23', 1)"
        )
        assert connection.exec_driver_sql("SELECT max(id) FROM pupil").scalar() == 3
    engine.dispose()


def test_the_head_and_revisions_read_without_alembic_are_alembics(tmp_path: Path) -> None:
    """The start reads the head from the migration files and the stored revision with one
    query (issue 17); both must say what Alembic says, or a database would not be upgraded."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(migrate.MIGRATIONS))
    engine = cipher.make_encrypted_engine(tmp_path / "school.db", new_data_key())
    assert migrate.head_revision(engine) == scripts.get_current_head()
    for script in scripts.walk_revisions():
        assert migrate.known_revision(script.revision)
    assert not migrate.known_revision("9999")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    with engine.connect() as connection:
        stored = MigrationContext.configure(connection).get_current_revision()
    assert migrate.current_revision(engine) == stored == scripts.get_current_head()
    assert not migrate.needs_upgrade(engine)
    engine.dispose()
