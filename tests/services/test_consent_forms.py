"""Consent on paper (issue 19, item 2): the form printed for one pupil or a klas, the signed
form recorded in the register with its scan, the scan kept encrypted and in the inzage."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from factories import dump, fixed_clock, make_pupil
from uitstroom.domain.consent_form import ScanFile
from uitstroom.domain.handover import Consent, Consenter, LegalBasis, Receiver, Section
from uitstroom.domain.model import Guardian, SchoolSettings
from uitstroom.services.audit import AuditService
from uitstroom.services.consent_forms import ConsentFormService
from uitstroom.services.database import Database
from uitstroom.services.errors import ValidationError
from uitstroom.services.handover import HandoverService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.rights import RightsService

NOW = datetime(2026, 11, 23, 9, 30)
ACTOR = "Marloes Verbeek"
# A scanned page as a small PDF, as a scanner would send it.
SCAN = b"%PDF-1.4\n% getekend formulier\n%%EOF\n"


def add(database: Database, number: str, birth: date, klas: str = "PRO4A") -> int:
    pupil = make_pupil(
        leerlingnummer=number,
        geboortedatum=birth,
        klas=klas,
        guardians=(Guardian(name="Ayşe Çelik", relation="moeder"),),
    )
    created = PupilService(database.sessions, clock=fixed_clock(NOW)).create(pupil, "2026-2027")
    assert created.pupil.id is not None
    return created.pupil.id


@pytest.fixture
def school(database: Database) -> Database:
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="Praktijkschool De Horizon", coordinator_name=ACTOR)
    )
    return database


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_form_asks_the_right_signer_by_the_rule(school: Database) -> None:
    young = add(school, "300001", date(2011, 1, 5))
    older = add(school, "300002", date(2010, 11, 23))  # 16 today
    forms = ConsentFormService(school.sessions, clock=fixed_clock(NOW))
    young_text = text_of(forms.render_form(young, Receiver.GEMEENTE, None, NOW.date()))
    assert "jonger dan 16. Een ouder of verzorger tekent." in young_text
    assert "Ayşe Çelik" in young_text
    older_text = text_of(forms.render_form(older, Receiver.GEMEENTE, None, NOW.date()))
    assert "16 jaar of ouder en tekent zelf." in older_text
    assert "Praktijkschool De Horizon" in older_text


def test_a_klas_prints_in_one_file_and_cancelling_writes_nothing(
    school: Database, tmp_path: Path
) -> None:
    ids = [add(school, f"30001{n}", date(2010, 3, n + 1)) for n in range(3)]
    forms = ConsentFormService(school.sessions, clock=fixed_clock(NOW))
    target = tmp_path / "formulieren PRO4A.pdf"
    assert not forms.write_forms(
        ids, Receiver.MBO, None, target, NOW.date(), progress=lambda done, _: done < 2
    )
    assert not target.exists()
    assert forms.write_forms(ids, Receiver.MBO, None, target, NOW.date())
    pages = [page.extract_text() for page in PdfReader(target).pages]
    assert sum("Toestemming om gegevens te delen" in page for page in pages) == 3
    entries = AuditService(school.sessions).entries()
    assert sum("toestemmingsformulier" in e.detail for e in entries) == 3


def test_the_returned_form_is_recorded_with_its_scan_and_shown_in_the_inzage(
    school: Database, tmp_path: Path
) -> None:
    pupil = add(school, "300003", date(2009, 5, 14))
    handover = HandoverService(school.sessions, clock=fixed_clock(NOW))
    consent = handover.record_consent(
        pupil,
        Consent(
            Receiver.GEMEENTE,
            LegalBasis.TOESTEMMING,
            frozenset({Section.WIE, Section.KAN}),
            date(2026, 11, 20),
            Consenter.LEERLING,
            "Zoë van der Meer",
        ),
        scan=ScanFile("formulier zoë.pdf", SCAN),
    )
    assert consent.id is not None
    (listed,) = handover.consents(pupil)
    assert listed.scan_name == "formulier zoë.pdf"
    assert handover.consent_scan(consent.id) == ScanFile("formulier zoë.pdf", SCAN)
    folder = tmp_path / "inzage"
    folder.mkdir()
    files = RightsService(school.sessions, clock=fixed_clock(NOW)).export_inzage(pupil, folder)
    assert "formulier zoë.pdf (scan bewaard, bijgevoegd)" in "\n".join(
        page.extract_text() for page in PdfReader(files.pdf).pages
    )
    (scan_copy,) = files.scans
    assert scan_copy.read_bytes() == SCAN and scan_copy.suffix == ".pdf"
    assert "formulier_zo" in scan_copy.name


def test_a_scan_that_is_no_form_leaves_the_register_as_it_was(school: Database) -> None:
    pupil = add(school, "300004", date(2009, 5, 14))
    before = dump(school)
    with pytest.raises(ValidationError, match="PDF, PNG of JPG"):
        HandoverService(school.sessions, clock=fixed_clock(NOW)).record_consent(
            pupil,
            Consent(
                Receiver.MBO,
                LegalBasis.TOESTEMMING,
                frozenset({Section.WIE}),
                date(2026, 11, 20),
                Consenter.LEERLING,
                "Zoë van der Meer",
            ),
            scan=ScanFile("formulier.docx", b"PK\x03\x04"),
        )
    assert dump(school) == before
