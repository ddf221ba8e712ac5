"""The monthly purge as a school meets it: a preview of what has expired, a backup first, the
data gone afterwards, the cohort figures still whole, and every step in the audit trail."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from factories import TEST_PASSPHRASE, dump, fixed_clock, make_database, make_pupil
from pg import Backend
from uitstroom import cli
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import Route, Uitstroomprofiel
from uitstroom.domain.model import RouteDetails, SchoolSettings, Stage
from uitstroom.domain.retention import RetentionCategory
from uitstroom.paths import PASSPHRASE_ENV
from uitstroom.services.audit import AuditService
from uitstroom.services.backups import BackupError
from uitstroom.services.database import Database, open_database
from uitstroom.services.errors import ConflictError, ValidationError
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.retention import RetentionService, cohort_figures, purge_backup
from uitstroom.services.vault import set_up
from uitstroom.storage import cipher

NOW = datetime(2026, 11, 23, 9, 30)
TODAY = NOW.date()
NOTES = RetentionCategory.BEGELEIDINGSNOTITIES
SUPPORT = RetentionCategory.ONDERSTEUNINGSBEHOEFTE
WHOLE = RetentionCategory.LEERLINGGEGEVENS


@pytest.fixture
def db(tmp_path: Path, backend: Backend) -> Iterator[Database]:
    database = make_database(tmp_path, backend=backend)
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="De Horizon", coordinator_name="Marloes Verbeek")
    )
    yield database
    database.close()


def add(db: Database, number: str, cohort: str, route: Route = Route.ARBEID, **changes) -> int:
    """A pupil with everything that hangs from one: guardian, route, stage, a note."""
    pupils = PupilService(db.sessions, clock=fixed_clock(NOW))
    pupil = make_pupil(
        leerlingnummer=number,
        ondersteuningsbehoefte="Werkt het best met vaste begeleider.",
        uitstroomprofiel=Uitstroomprofiel.ARBEID,
        route=RouteDetails(route=route),
        **changes,
    )
    pupil_id = pupils.create(pupil, cohort).pupil.id
    assert pupil_id is not None
    pupils.save_stage(pupil_id, Stage(leerbedrijf="Bakkerij Öztürk"))
    pupils.add_note(pupil_id, "Gesprek met moeder over de stage.")
    return pupil_id


def service(db: Database, **kwargs) -> RetentionService:
    return RetentionService(db.sessions, backup=purge_backup(db), clock=lambda: NOW, **kwargs)


def count(db: Database, table: str, pupil_id: int) -> int:
    with db.engine.connect() as connection:
        return connection.execute(
            text(f"SELECT count(*) FROM {table} WHERE pupil_id = :id"), {"id": pupil_id}
        ).scalar_one()


def test_the_preview_lists_who_what_and_since_when(db: Database) -> None:
    old = add(db, "100001", "2019-2020", roepnaam="Çelik", achternaam="Aydın", tussenvoegsel="")
    add(db, "100002", "2026-2027")
    preview = service(db).preview(TODAY)
    assert [(i.pupil_id, i.name, i.cohort_label, i.category, i.since) for i in preview.items] == [
        (old, "Çelik Aydın", "2019-2020", WHOLE, date(2024, 8, 1))
    ]
    assert preview.items[0].what == "Alle gegevens: de leerling wordt verwijderd"
    assert preview.summary == "Opschonen: 1 leerling verwijderen."


def test_purging_removes_the_pupil_everywhere_but_keeps_the_figures(db: Database) -> None:
    old = add(db, "100001", "2019-2020", route=Route.DOORLEREN)
    add(db, "100002", "2019-2020", route=Route.ARBEID)
    current = add(db, "100003", "2026-2027")
    figures_before = cohort_figures(db.sessions)
    assert figures_before["2019-2020"]["route"] == {"arbeid": 1, "doorleren": 1}

    result = service(db).purge(TODAY)

    assert result.summary == "Opgeschoond: 2 leerlingen verwijderd."
    pupils = PupilService(db.sessions)
    assert [s.leerlingnummer for s in pupils.summaries()] == ["100003"]
    for table in ("guardian", "route", "stage", "timeline_entry"):
        assert count(db, table, old) == 0, table
    assert count(db, "timeline_entry", current) > 0
    # The anonymous figures are the same as before the purge.
    assert cohort_figures(db.sessions) == figures_before
    # The backup made first still holds the pupils; the rotation removes it within weeks.
    # A server has no file to copy: its administrator backs it up.
    if db.path is None:
        assert result.backup is None
    else:
        assert result.backup is not None and result.backup.name.endswith("-voor-opschonen.db")
        copy = cipher.connect(result.backup, db.key)
        assert copy.execute("SELECT count(*) FROM pupil").fetchone() == (3,)
        copy.close()

    lines = [(e.action, e.pupil_id, e.detail) for e in AuditService(db.sessions).entries()]
    purged = [line for line in lines if line[0] is AuditAction.PURGED]
    assert (AuditAction.PURGED, old, "bewaartermijn verlopen: alle gegevens verwijderd") in purged
    summary = purged[0]
    assert summary[1] is None
    assert summary[2].startswith("opschoning op 2026-11-23: 2 leerlingen verwijderd")
    if result.backup is not None:
        assert f"back-up vooraf: {result.backup.name}" in summary[2]
    else:
        assert "back-up" not in summary[2]
    assert RetentionService(db.sessions).last_purge_on() == TODAY


def test_notes_and_support_needs_can_go_before_the_pupil(db: Database) -> None:
    pupil_id = add(db, "100001", "2022-2023")
    retention = service(db)
    retention.save_rules({NOTES: 0, SUPPORT: 12, WHOLE: 60})
    opened = PupilService(db.sessions).record(pupil_id)  # a detail view that stays open

    preview = retention.preview(TODAY)
    assert [(i.category, i.since, i.what) for i in preview.items] == [
        (NOTES, date(2025, 8, 1), "1 notitie op de tijdlijn"),
        (SUPPORT, date(2026, 8, 1), "Ondersteuningsbehoefte"),
    ]
    retention.purge(TODAY, expected=preview)

    record = PupilService(db.sessions).record(pupil_id)
    assert record.pupil.ondersteuningsbehoefte == ""
    assert [t.text for t in record.timeline if t.kind.value == "notitie"] == []
    assert "Bewaartermijn verlopen: 1 notitie verwijderd." in [t.text for t in record.timeline]
    assert record.stages[0].leerbedrijf == "Bakkerij Öztürk"
    # The open view cannot write the wiped text back.
    with pytest.raises(ConflictError):
        PupilService(db.sessions, clock=fixed_clock(NOW)).save(replace(opened.pupil, klas="PRO4Z"))
    assert retention.preview(TODAY).items == ()


@pytest.mark.sqlite_only("the backup before a purge is a copy of the file")
def test_a_failed_backup_purges_nothing(db: Database, tmp_path: Path) -> None:
    add(db, "100001", "2019-2020")
    blocked = tmp_path / "geen-map"
    blocked.write_text("een bestand waar de back-upmap had moeten staan")
    retention = RetentionService(
        db.sessions, backup=purge_backup(replace(db, backup_dir=blocked)), clock=lambda: NOW
    )
    before = dump(db)
    with pytest.raises(BackupError):
        retention.purge(TODAY)
    assert dump(db) == before


def test_a_preview_that_no_longer_matches_purges_nothing(db: Database) -> None:
    add(db, "100001", "2019-2020")
    retention = service(db)
    preview = retention.preview(TODAY)
    add(db, "100002", "2018-2019")  # came in while the preview was open
    before = dump(db)
    with pytest.raises(ConflictError, match="niets opgeschoond"):
        retention.purge(TODAY, expected=preview)
    assert dump(db) == before


def test_a_date_in_the_future_is_refused(db: Database) -> None:
    add(db, "100001", "2026-2027")
    retention = service(db)
    assert retention.preview(date(2031, 8, 1)).items  # looking ahead is fine
    before = dump(db)
    with pytest.raises(ValidationError, match="datum in de toekomst"):
        retention.purge(date(2031, 8, 1))
    assert dump(db) == before


def test_periods_are_checked_and_their_change_is_logged(db: Database) -> None:
    retention = service(db)
    assert retention.rules() == {NOTES: 24, SUPPORT: 24, WHOLE: 24}
    before = dump(db)
    with pytest.raises(ValidationError, match="kies 0 tot 120 maanden"):
        retention.save_rules({NOTES: -1})
    assert dump(db) == before
    retention.save_rules({NOTES: 12})
    assert retention.rules()[NOTES] == 12
    last = AuditService(db.sessions).entries()[0]
    assert (last.action, last.detail) == (
        AuditAction.SETTINGS,
        "bewaartermijnen: begeleidingsnotities 24 -> 12 maanden",
    )


def test_the_purge_is_due_monthly_and_a_clean_database_needs_none(db: Database) -> None:
    retention = service(db)
    assert retention.is_due(TODAY)
    add(db, "100001", "2019-2020")
    retention.purge(TODAY)
    assert not retention.is_due(date(2026, 12, 22))
    assert retention.is_due(date(2026, 12, 23))
    before = dump(db)
    assert retention.purge(TODAY).summary.startswith("Er zijn geen gegevens")
    assert dump(db) == before


# --- headless ----------------------------------------------------------------------------------


@pytest.fixture
def school_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text(TEST_PASSPHRASE, encoding="utf-8")
    monkeypatch.setenv(PASSPHRASE_ENV, str(secret))
    path = tmp_path / "school.db"
    database = open_database(path, set_up(path, TEST_PASSPHRASE), tmp_path / "backups")
    add(database, "100001", "2019-2020", roepnaam="Zoë", achternaam="Meer")
    add(database, "100002", "2026-2027")
    database.close()
    return path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


def test_uitstroom_purge_preview_shows_numbers_not_names_and_wipes_nothing(
    school_file: Path,
) -> None:
    before = dump(school_file)
    code, text = run("--db", str(school_file), "purge", "--date", "2026-11-23", "--preview")
    assert code == 0
    assert "100001" in text and "verlopen sinds 01-08-2024" in text
    assert "100002" not in text and "Zoë" not in text
    assert "Er is niets gewist (--preview)." in text
    assert dump(school_file) == before


def test_uitstroom_purge_backs_up_then_wipes(school_file: Path, tmp_path: Path) -> None:
    code, text = run("--db", str(school_file), "purge", "--date", "2026-11-23")
    assert code == 0, text
    assert "Opgeschoond: 1 leerling verwijderd." in text
    assert "voor-opschonen" in text and "vijf weken" in text
    assert list((tmp_path / "backups").glob("*-voor-opschonen.db"))
    assert "100001" not in dump(school_file)


def test_uitstroom_purge_refuses_a_future_date(school_file: Path, capsys) -> None:
    before = dump(school_file)
    code, text = run("--db", str(school_file), "purge", "--date", "2099-01-01")
    assert code == 1 and text == ""
    assert "datum in de toekomst" in capsys.readouterr().err
    assert dump(school_file) == before
