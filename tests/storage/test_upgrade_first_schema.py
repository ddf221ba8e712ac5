"""A school that installed the first released version updates to this one: its database (schema
0001, kept in tests/data, made by tests/data/make_first_schema_db.py) opens with the current
code, a backup copy is made first, every row survives and the schema is at head."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from uitstroom.domain.enums import Route
from uitstroom.services.database import Database, open_database
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.storage import cipher, migrate

DATA = Path(__file__).resolve().parents[1] / "data"
FIRST_SCHEMA = DATA / "first_schema.db"
KEY = bytes.fromhex((DATA / "first_schema.key").read_text().strip())
NAMES = {"Zoë van der Meer", "Sem Çelik", "Aylin Ōtsuka-de Wit"}


@pytest.fixture
def upgraded(tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "school" / "uitstroom.db"
    copy.parent.mkdir()
    shutil.copyfile(FIRST_SCHEMA, copy)
    db = open_database(copy, KEY, tmp_path / "school" / "backups")
    yield db
    db.close()


def revision_of(path: Path) -> str | None:
    engine = cipher.make_encrypted_engine(path, KEY)
    try:
        return migrate.current_revision(engine)
    finally:
        engine.dispose()


def test_the_kept_file_is_an_encrypted_database_of_the_first_schema() -> None:
    assert not cipher.is_plaintext_sqlite(FIRST_SCHEMA)
    assert revision_of(FIRST_SCHEMA) == "0001"


def test_the_first_schema_is_backed_up_then_brought_to_head(upgraded: Database) -> None:
    assert migrate.current_revision(upgraded.engine) == migrate.head_revision(upgraded.engine)
    backup = upgraded.backup_before_update
    assert backup is not None and backup.parent == upgraded.backup_dir
    assert backup.name.endswith("-voor-update.db")
    assert revision_of(backup) == "0001"


def test_every_row_of_the_first_schema_survives(upgraded: Database) -> None:
    school = SchoolService(upgraded.sessions).settings()
    assert (school.name, school.coordinator_name) == (
        "De Horizon (voorbeeldschool)",
        "Marloes Verbeek",
    )
    pupils = PupilService(upgraded.sessions)
    assert [c.label for c in pupils.cohorts()] == ["2025-2026"]
    by_name = {p.name: p for p in pupils.pupils()}
    assert set(by_name) == NAMES

    zoe = by_name["Zoë van der Meer"]
    assert (zoe.klas, zoe.geboortedatum.isoformat() if zoe.geboortedatum else None) == (
        "PRO4A",
        "2008-01-11",
    )
    assert [g.name for g in zoe.guardians] == ["J. Meer (ouder van Zoë)"]
    assert zoe.route.route is Route.ARBEID
    assert zoe.route.werkgever == "Tuincentrum De Linde"
    assert {i.value for i in zoe.route.instrumenten} == {"jobcoach"}

    sem = pupils.record(by_name["Sem Çelik"].id)  # type: ignore[arg-type]
    assert sem.pupil.route.route is Route.DOORLEREN
    assert sem.pupil.route.mbo_instelling == "ROC De Vaart"
    assert [(c.old_route, c.new_route) for c in sem.route_history] == [
        (Route.ARBEID, Route.DOORLEREN)
    ]
    assert [s.leerbedrijf for s in sem.stages] == ["Leerbedrijf 2 (verzonnen)"]
    assert any("Gesprek met Sem over de stage" in e.text for e in sem.timeline)

    for pupil in by_name.values():
        record = pupils.record(pupil.id)  # type: ignore[arg-type]
        assert len(record.stages) == 1 and record.timeline


def test_a_second_start_needs_no_new_backup(tmp_path: Path, upgraded: Database) -> None:
    path, backups = upgraded.path, upgraded.backup_dir
    assert path is not None and backups is not None
    upgraded.close()
    again = open_database(path, KEY, backups)
    try:
        assert again.backup_before_update is None
        assert len(PupilService(again.sessions).pupils()) == len(NAMES)
    finally:
        again.close()
