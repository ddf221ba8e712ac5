"""Letters from the school and Cohort in cijfers, on a real database: the letterhead on every
document, one letter per pupil in one PDF, the school's own text kept (and a wrong one refused
with the database as it was), and the figures' workbook read back."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from factories import dump, make_pupil
from uitstroom.domain.enums import AanmeldStatus, Route
from uitstroom.domain.handover import DocumentKind
from uitstroom.domain.letters import DEFAULT_TEXTS, LetterKind, LetterText, Meeting
from uitstroom.domain.model import RouteDetails, SchoolSettings
from uitstroom.services.database import Database
from uitstroom.services.errors import ValidationError
from uitstroom.services.figures import FiguresService
from uitstroom.services.handover import DocumentService, HandoverService
from uitstroom.services.letters import LetterService
from uitstroom.services.pupils import PupilService, SchoolService

TODAY = date(2026, 12, 4)
COHORT = "2026-2027"


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def school(database: Database) -> Database:
    SchoolService(database.sessions).save_settings(
        SchoolSettings(
            name="De Horizon (voorbeeldschool)",
            coordinator_name="Marloes Verbeek",
            coordinator_phone="030 123 45 67",
            coordinator_email="m.verbeek@example.nl",
            address="Zonnelaan 12\n3512 AB Utrecht",
            phone="030 123 45 00",
            email="info@example.nl",
            website="www.dehorizon.example",
        )
    )
    return database


def add_pupils(db: Database) -> list[int]:
    service = PupilService(db.sessions)
    ids = []
    for number, (roepnaam, achternaam, klas) in enumerate(
        [("Zoë", "Çelik", "PRO4A"), ("Sam", "de Vries", "PRO4A"), ("Daan", "Bakker", "PRO4B")]
    ):
        record = service.create(
            make_pupil(
                leerlingnummer=f"30000{number}",
                roepnaam=roepnaam,
                tussenvoegsel="",
                achternaam=achternaam,
                klas=klas,
            ),
            COHORT,
        )
        assert record.pupil.id is not None
        ids.append(record.pupil.id)
    return ids


def test_every_document_carries_the_school_address_and_contacts(school: Database) -> None:
    pupil_id = add_pupils(school)[0]
    pdf = (
        HandoverService(school.sessions)
        .alongside(DocumentService)
        .make(DocumentKind.TRANSITIEPLAN, pupil_id, TODAY)
        .pdf
    )
    for page in pages_of(pdf):
        assert "Zonnelaan 12, 3512 AB Utrecht" in page
        assert "info@example.nl" in page
        assert "www.dehorizon.example" in page


def test_a_batch_holds_one_letter_per_pupil_each_with_its_own_name(school: Database) -> None:
    ids = add_pupils(school)
    pdf = LetterService(school.sessions).letters(
        LetterKind.TRANSITIEPLAN,
        ids[:2],
        Meeting(date(2027, 2, 9), "15.30 uur", "lokaal 12"),
        TODAY,
    )
    pages = pages_of(pdf)
    assert len(pages) == 2
    assert "Aan de ouder(s) of verzorger(s) van Zoë Çelik" in pages[0]
    assert "Beste ouder(s) of verzorger(s) van Zoë," in pages[0]
    assert "dinsdag 9 februari 2027 om 15.30 uur" in pages[0]
    assert "Sam" not in pages[0]
    assert "Aan de ouder(s) of verzorger(s) van Sam de Vries" in pages[1]
    assert "Zonnelaan 12, 3512 AB Utrecht" in pages[1]
    assert "030 123 45 67" in pages[1]  # the coordinator's number, to call back
    assert "Pagina 1 van 1" in pages[1]


def test_the_schools_own_text_is_kept_and_used_and_the_default_comes_back(
    school: Database,
) -> None:
    ids = add_pupils(school)
    service = LetterService(school.sessions)
    own = LetterText("Kom praten over {roepnaam}", "{aanhef},\n\nWe zien u graag op {datum}.")
    service.save_text(LetterKind.UITSTROOMOVERLEG, own)
    assert LetterService(school.sessions).text(LetterKind.UITSTROOMOVERLEG) == own
    page = pages_of(service.letters(LetterKind.UITSTROOMOVERLEG, ids[:1], Meeting(None), TODAY))[0]
    assert "Kom praten over Zoë" in page
    assert "We zien u graag op (datum volgt)." in page
    service.save_text(LetterKind.UITSTROOMOVERLEG, DEFAULT_TEXTS[LetterKind.UITSTROOMOVERLEG])
    assert not service.is_own_text(LetterKind.UITSTROOMOVERLEG)


def test_a_text_with_an_unknown_field_is_refused_and_nothing_changes(school: Database) -> None:
    before = dump(school)
    with pytest.raises(ValidationError) as refused:
        LetterService(school.sessions).save_text(
            LetterKind.TRANSITIEPLAN, LetterText("Uitnodiging", "Beste {voornaam}")
        )
    assert "{voornaam}" in str(refused.value)
    assert dump(school) == before


def test_the_workbook_holds_the_counts_and_a_named_row_per_pupil(
    school: Database, tmp_path: Path
) -> None:
    ids = add_pupils(school)
    pupils = PupilService(school.sessions)
    record = pupils.record(ids[0])
    route = RouteDetails(
        route=Route.DOORLEREN, aanmeldstatus=AanmeldStatus.AANGEMELD, aanmelddatum=date(2027, 4, 1)
    )
    pupils.save(replace(record.pupil, route=route))
    service = FiguresService(school.sessions)
    report = service.report(COHORT, TODAY)
    assert report.figures.registration.on_time == 1
    target = tmp_path / "cijfers.xlsx"
    service.write_xlsx(report, target)
    book = load_workbook(target)
    counts = [tuple(row) for row in book["Cijfers"].iter_rows(values_only=True)]
    assert ("Leerlingen", 3) in counts
    assert ("Op tijd", 1) in counts
    rows = list(book["Leerlingen"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Naam", "Klas", "Uitstroomprofiel")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Zoë Çelik", "Sam de Vries", "Daan Bakker"}
    assert by_name["Zoë Çelik"][3] == "Doorleren"
    assert by_name["Zoë Çelik"][6] == "Op tijd"
    pdf = service.pdf(report)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = pages_of(pdf)[0]
    assert "Cohort in cijfers 2026-2027" in text
    assert "Zoë" not in text  # the director's page holds counts, no names


def test_the_exitgesprek_letter_goes_to_the_student_and_others_to_the_parents(
    school: Database,
) -> None:
    ids = add_pupils(school)
    service = LetterService(school.sessions)
    exit_page = pages_of(service.letters(LetterKind.EXITGESPREK, ids[:1], Meeting(None), TODAY))[0]
    assert "Beste Zoë," in exit_page
    assert "ouder(s)" not in exit_page
    plan_page = pages_of(service.letters(LetterKind.TRANSITIEPLAN, ids[:1], Meeting(None), TODAY))[
        0
    ]
    assert "Beste ouder(s) of verzorger(s) van Zoë," in plan_page
