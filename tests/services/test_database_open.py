"""Opening the database file: one program at a time, the right key, nothing changed otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from factories import make_database
from uitstroom.services.database import DatabaseInUse, DatabaseOpenError, open_database
from uitstroom.storage.cipher import make_encrypted_engine
from uitstroom.storage.keys import new_data_key


def test_a_second_program_on_the_same_database_is_refused_with_a_clear_message(
    tmp_path: Path,
) -> None:
    first = make_database(tmp_path)
    with pytest.raises(DatabaseInUse, match="al geopend met deze database"):
        open_database(first.path, first.key)
    first.close()
    again = open_database(first.path, first.key)  # closed: the lock is free again
    again.close()


def test_the_wrong_key_is_refused_and_the_file_is_unchanged(tmp_path: Path) -> None:
    db = make_database(tmp_path)
    db.close()
    before = db.path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="andere sleutel"):
        open_database(db.path, new_data_key())
    assert db.path.read_bytes() == before
    reopened = open_database(db.path, db.key)  # a refused attempt leaves no stale lock
    reopened.close()


def test_a_file_from_a_newer_program_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    db = make_database(tmp_path)
    db.close()
    engine = make_encrypted_engine(db.path, db.key)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    engine.dispose()
    before = db.path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="nieuwere versie van Uitstroom"):
        open_database(db.path, db.key)
    assert db.path.read_bytes() == before
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())
    # No stale lock either: refused again for the same reason, not as "in use".
    with pytest.raises(DatabaseOpenError, match="nieuwere versie van Uitstroom"):
        open_database(db.path, db.key)


def test_a_folder_is_no_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="is een map"):
        open_database(tmp_path, new_data_key())


def test_pupils_from_before_the_checklists_get_their_tasks_when_the_file_is_upgraded(
    tmp_path: Path,
) -> None:
    from datetime import date

    from alembic import command

    from uitstroom.domain.schoolyear import SchoolYear
    from uitstroom.services.planning import PlanningService
    from uitstroom.storage import cipher, migrate

    key = new_data_key()
    path = tmp_path / "voor-de-takenlijst.db"
    engine = cipher.make_encrypted_engine(path, key)
    command.upgrade(migrate.alembic_config(engine), "0002")
    label = SchoolYear.of(date.today()).label
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES (?)", (label,))
        connection.exec_driver_sql(
            "INSERT INTO pupil (cohort_id, leerlingnummer, roepnaam, tussenvoegsel, achternaam,"
            " klas, mentor, woongemeente, telefoon, email, mbo_opleiding, mbo_crebo,"
            " startkwalificatie, ondersteuningsbehoefte, archived, imported_values,"
            " created_at, updated_at, version) VALUES (1, '101', 'Noa', '', 'Jansen', 'PRO4A',"
            " '', '', '', '', '', '', 'onbekend', '', 0, '{}', '2026-09-01', '2026-09-01', 1)"
        )
        connection.exec_driver_sql(
            "INSERT INTO route (pupil_id, route, mbo_instelling, opleiding,"
            " aanmeldstatus, werkgever, functie, contract, instrumenten, aanbieder, toelichting)"
            " VALUES (1, 'doorleren', '', '', 'niet_aangemeld', '', '', 'onbekend', '', '', '')"
        )
    engine.dispose()

    db = open_database(path, key, backup_dir=tmp_path / "backups")
    try:
        assert db.backup_before_update is not None  # the upgrade made its copy first
        codes = {task.code for task in PlanningService(db.sessions).tasks(1)}
        assert {"aanmelden_mbo", "transitieplan"} <= codes
        assert "stagegesprek" not in codes  # that is route arbeid's
    finally:
        db.close()
    again = open_database(path, key, backup_dir=tmp_path / "backups")
    try:
        assert len(PlanningService(again.sessions).tasks(1)) == len(codes)
    finally:
        again.close()
