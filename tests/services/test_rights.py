"""A parent asks what the school holds about their child, and later asks to erase it: the
inzage as a PDF and JSON in the folder the coordinator chose, the erasure after typing the
leerlingnummer, both in the audit trail with the internal number only."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from factories import TEST_PASSPHRASE, dump, fixed_clock, make_database, make_pupil
from pg import Backend
from uitstroom import cli
from uitstroom.domain.audit import AuditAction, AuditEntry
from uitstroom.domain.enums import Route
from uitstroom.domain.model import (
    Guardian,
    Pupil,
    RouteChange,
    RouteDetails,
    SchoolSettings,
    Stage,
    TimelineEntry,
)
from uitstroom.paths import PASSPHRASE_ENV
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database, open_database
from uitstroom.services.errors import NotFoundError, ServiceError, ValidationError
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.retention import cohort_figures
from uitstroom.services.rights import RightsService
from uitstroom.services.vault import set_up

NOW = datetime(2026, 11, 23, 9, 30)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def db(tmp_path: Path, backend: Backend) -> Iterator[Database]:
    database = make_database(tmp_path, backend=backend)
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="De Horizon", coordinator_name="Marloes Verbeek")
    )
    yield database
    database.close()


def fill(db: Database, number: str = "200001", **changes) -> int:
    pupils = PupilService(db.sessions, clock=fixed_clock(NOW))
    pupil = make_pupil(
        leerlingnummer=number,
        ondersteuningsbehoefte="Heeft baat bij vaste werktijden.",
        guardians=(
            Guardian(name="Ayşe Çelik", relation="moeder", phone="06 98765432"),
            Guardian(name="Jan van der Meer", relation="vader", email="jan@example.nl"),
        ),
        route=RouteDetails(route=Route.ARBEID, werkgever="Zorgcentrum De Linde"),
        **changes,
    )
    pupil_id = pupils.create(pupil, "2026-2027").pupil.id
    assert pupil_id is not None
    pupils.save_stage(pupil_id, Stage(leerbedrijf="Bakkerij Öztürk"))
    pupils.add_note(pupil_id, "Zoë wil in de keuken van een zorgcentrum werken.")
    pupils.open(pupil_id)
    return pupil_id


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


# --- inzage ------------------------------------------------------------------------------------


def test_the_inzage_holds_everything_as_pdf_and_json(db: Database, tmp_path: Path) -> None:
    pupil_id = fill(db)
    folder = tmp_path / "voor ouders"
    folder.mkdir()
    files = RightsService(db.sessions, clock=fixed_clock(NOW)).export_inzage(pupil_id, folder)
    assert {p.name for p in folder.iterdir()} == {
        "inzage-200001-2026-11-23.pdf",
        "inzage-200001-2026-11-23.json",
    }

    text = pdf_text(files.pdf)
    for expected in (
        "Zoë van der Meer",
        "Ayşe Çelik",
        "Route arbeid",
        "Zorgcentrum De Linde",
        "Bakkerij Öztürk",
        "Zoë wil in de keuken van een zorgcentrum werken.",
        "Heeft baat bij vaste werktijden.",
        "Bekeken, met de ondersteuning en de notities",
        "Dit overzicht gemaakt",
        "Autoriteit Persoonsgegevens",
    ):
        assert expected in text, expected

    body = json.loads(files.json.read_text(encoding="utf-8"))
    assert files.json.read_bytes().decode("utf-8")  # UTF-8, names unescaped
    assert "Zoë" in files.json.read_text(encoding="utf-8")
    leerling = body["leerling"]
    assert leerling["geboortedatum"] == "2009-05-14"
    assert leerling["route"]["route"] == "arbeid"
    assert [g["name"] for g in leerling["guardians"]] == ["Ayşe Çelik", "Jan van der Meer"]
    assert body["tijdlijn"][-1]["text"] == "Zoë wil in de keuken van een zorgcentrum werken."
    assert body["tijdlijn"][-1]["at"] == "2026-11-23T09:30:00"
    assert [e["action"] for e in body["logboek"]] == [
        "toegevoegd",
        "gewijzigd",
        "gewijzigd",
        "bekeken_ondersteuning",
        "inzage",
    ]
    assert body["bewaren_tot_en_met"]["De notities op de tijdlijn"] == "2031-07-31"


def test_the_json_has_every_field_of_every_record(db: Database, tmp_path: Path) -> None:
    pupil_id = fill(db)
    files = RightsService(db.sessions).export_inzage(pupil_id, tmp_path)
    body = json.loads(files.json.read_text(encoding="utf-8"))

    def names(kind: type) -> set[str]:
        return {f.name for f in dataclasses.fields(kind)}

    assert set(body["leerling"]) == names(Pupil)
    assert set(body["leerling"]["route"]) == names(RouteDetails)
    assert set(body["leerling"]["guardians"][0]) == names(Guardian)
    assert set(body["stages"][0]) == names(Stage)
    assert set(body["tijdlijn"][0]) == names(TimelineEntry)
    assert set(body["logboek"][0]) == names(AuditEntry)
    assert {"routewijzigingen", "bij_laatste_import", "in_uitstroom_sinds"} <= set(body)
    assert names(RouteChange)  # route changes, when there are any, go through the same code


def test_the_inzage_is_logged_and_a_missing_folder_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    pupil_id = fill(db)
    service = RightsService(db.sessions)
    before = dump(db)
    with pytest.raises(ServiceError, match="bestaat niet"):
        service.export_inzage(pupil_id, tmp_path / "weg")
    assert dump(db) == before
    service.export_inzage(pupil_id, tmp_path)
    last = AuditService(db.sessions).entries()[0]
    assert (last.action, last.pupil_id, last.detail) == (
        AuditAction.INZAGE,
        pupil_id,
        "pdf en json",
    )


def test_a_new_pupil_never_sees_the_log_of_an_erased_one_with_the_same_number(
    db: Database, tmp_path: Path
) -> None:
    first = fill(db)
    RightsService(db.sessions).erase(first, "200001")
    pupils = PupilService(db.sessions, clock=fixed_clock(NOW))
    second = pupils.create(make_pupil(leerlingnummer="300001"), "2026-2027").pupil.id
    assert second == first + 1  # never given out again (AUTOINCREMENT, migration 0003)
    data = RightsService(db.sessions).inzage(second)
    assert [(e.action, e.detail) for e in data.audit] == [(AuditAction.CREATED, "cohort 2026-2027")]


# --- erasure -----------------------------------------------------------------------------------


def rows_about(db: Database, pupil_id: int) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            table: connection.execute(
                text(f"SELECT count(*) FROM {table} WHERE pupil_id = :id"), {"id": pupil_id}
            ).scalar_one()
            for table in ("guardian", "route", "route_change", "stage", "timeline_entry")
        }


def test_erasure_removes_the_pupil_and_everything_hanging_from_it(db: Database) -> None:
    pupil_id = fill(db)
    other = (
        PupilService(db.sessions, clock=fixed_clock(NOW))
        .create(
            make_pupil(
                leerlingnummer="200002",
                roepnaam="Daan",
                tussenvoegsel="",
                achternaam="Bakker",
                guardians=(),
            ),
            "2026-2027",
        )
        .pupil.id
    )
    figures = cohort_figures(db.sessions)
    service = RightsService(db.sessions, clock=Clock())
    assert rows_about(db, pupil_id)["guardian"] == 2

    erased = service.erase(pupil_id, " 200001 ")

    assert (erased.guardians, erased.stages, erased.timeline) == (2, 1, 3)
    assert set(rows_about(db, pupil_id).values()) == {0}
    assert [s.id for s in PupilService(db.sessions).summaries()] == [other]
    assert cohort_figures(db.sessions) == figures  # the anonymous counts remain
    last = AuditService(db.sessions).entries()[0]
    assert (last.action, last.pupil_id, last.actor) == (
        AuditAction.ERASED,
        pupil_id,
        "Marloes Verbeek",
    )
    everything = dump(db)
    for personal in ("Zoë", "Ayşe", "Öztürk", "200001", "vaste werktijden"):
        assert personal not in everything
    with pytest.raises(NotFoundError):
        service.find("200001")


def test_a_wrong_leerlingnummer_erases_nothing(db: Database) -> None:
    pupil_id = fill(db)
    before = dump(db)
    with pytest.raises(ValidationError, match="Er is niets gewist"):
        RightsService(db.sessions).erase(pupil_id, "20000")
    assert dump(db) == before


# --- headless ----------------------------------------------------------------------------------


@pytest.fixture
def school_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text(TEST_PASSPHRASE, encoding="utf-8")
    monkeypatch.setenv(PASSPHRASE_ENV, str(secret))
    path = tmp_path / "school.db"
    database = open_database(path, set_up(path, TEST_PASSPHRASE), tmp_path / "backups")
    SchoolService(database.sessions).save_settings(SchoolSettings(name="De Horizon"))
    fill(database)
    database.close()
    return path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


def test_uitstroom_inzage_writes_both_files(school_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    code, text = run("--db", str(school_file), "inzage", "--pupil", "200001", "--out", str(out))
    assert code == 0, text
    (pdf,) = out.glob("inzage-200001-*.pdf")
    assert "Zoë van der Meer" in pdf_text(pdf)
    assert len(list(out.glob("inzage-200001-*.json"))) == 1
    assert str(pdf) in text


def test_uitstroom_wis_asks_for_yes_then_erases(school_file: Path, capsys) -> None:
    before = dump(school_file)
    code, _text = run("--db", str(school_file), "wis", "--pupil", "200001")
    assert code == 2 and "--yes" in capsys.readouterr().err
    code, _text = run("--db", str(school_file), "wis", "--pupil", "999999", "--yes")
    assert code == 1 and "geen leerling met leerlingnummer 999999" in capsys.readouterr().err
    assert dump(school_file) == before

    code, text = run("--db", str(school_file), "wis", "--pupil", "200001", "--yes")
    assert code == 0 and "Gewist: de leerling met 2 ouders/verzorgers, 1 stages" in text
    assert "Zoë" not in dump(school_file)
