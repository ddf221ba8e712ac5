"""The inzage PDF read back as a parent's PDF reader would: names with their accents, the
route, the notes, and long texts that run over pages with nothing cut off."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from factories import make_pupil
from uitstroom.documents.inzage import render_inzage
from uitstroom.documents.inzage_data import Inzage, KeptUntil
from uitstroom.domain.audit import AuditAction, AuditEntry
from uitstroom.domain.enums import Route, TimelineKind
from uitstroom.domain.model import (
    Guardian,
    PupilRecord,
    RouteChange,
    RouteDetails,
    SchoolSettings,
    Stage,
    TimelineEntry,
)

MADE = datetime(2026, 11, 23, 9, 30)
SCHOOL = SchoolSettings(
    name="Praktijkschool De Horizon",
    coordinator_name="Marloes Verbeek",
    coordinator_phone="030 123 45 67",
)


def inzage(record: PupilRecord, audit: tuple[AuditEntry, ...] = ()) -> Inzage:
    return Inzage(
        school=SCHOOL,
        record=record,
        audit=audit,
        made_at=MADE,
        made_by="Marloes Verbeek",
        kept_until=(KeptUntil("De notities op de tijdlijn", date(2031, 7, 31)),),
        nazorg_until=date(2029, 7, 31),
    )


def rendered(data: Inzage) -> bytes:
    stream = io.BytesIO()
    render_inzage(data, stream)
    return stream.getvalue()


def text_of(pdf: bytes) -> str:
    """The text with line breaks as spaces: a title may wrap."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_names_route_and_notes_are_in_the_pdf_as_written() -> None:
    record = PupilRecord(
        pupil=make_pupil(
            guardians=(Guardian(name="Ayşe Çelik", relation="moeder"),),
            route=RouteDetails(route=Route.DOORLEREN, opleiding="Helpende zorg en welzijn"),
            ondersteuningsbehoefte="Korte instructies, ook op papier.",
        ),
        stages=(Stage(leerbedrijf="Bakkerij Öztürk", start=date(2026, 9, 1)),),
        route_history=(
            RouteChange(date(2027, 1, 12), Route.ARBEID, Route.DOORLEREN, "Na gesprek", "M"),
        ),
        timeline=(
            TimelineEntry(MADE, "Marloes Verbeek", TimelineKind.NOTITIE, "Belafspraak met moeder."),
        ),
    )
    audit = (
        AuditEntry(MADE, "mverbeek", "Marloes Verbeek", AuditAction.EDITED, 7, "velden: klas"),
    )
    text = text_of(rendered(inzage(record, audit)))
    for expected in (
        "Inzage: de gegevens van Zoë van der Meer",
        "Ayşe Çelik",
        "Doorleren",
        "Helpende zorg en welzijn",
        "Bakkerij Öztürk",
        "1 september 2026",
        "12 januari 2027: van ‘Route arbeid’ naar ‘Doorleren’",
        "Belafspraak met moeder.",
        "Korte instructies, ook op papier.",
        "Gegevens veranderd",
        "veranderd: klas",
        "tot en met 31 juli 2029",
        "Marloes Verbeek: 030 123 45 67",
        "Pagina 1 van",
    ):
        assert expected in text, expected


def test_an_empty_record_says_so_instead_of_showing_empty_boxes() -> None:
    record = PupilRecord(pupil=make_pupil(guardians=(), telefoon="", email=""))
    text = text_of(rendered(inzage(record)))
    assert "Er staan geen ouders of verzorgers in." in text
    assert "Er staan geen stages in." in text
    assert "Hier is niets over opgeschreven." in text
    assert "E-mail" not in text.split("Ouders en verzorgers")[0]  # left out, not blank


def numbered(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{n:04d}" for n in range(count))


def test_very_long_texts_run_over_pages_and_nothing_is_cut_off() -> None:
    support = numbered("steun", 1200)
    note = numbered("noot", 2500)  # longer than a page on its own
    record = PupilRecord(
        pupil=replace(
            make_pupil(ondersteuningsbehoefte=support),
            route=RouteDetails(route=Route.ARBEID, toelichting=numbered("route", 600)),
        ),
        stages=tuple(
            Stage(leerbedrijf=f"Bedrijf {n}", toelichting=numbered(f"stage{n}x", 400))
            for n in range(3)
        ),
        timeline=tuple(
            TimelineEntry(MADE, "Marloes Verbeek", TimelineKind.NOTITIE, text)
            for text in (note, *(numbered(f"kort{n}x", 120) for n in range(20)))
        ),
    )
    audit = tuple(
        AuditEntry(MADE, "mverbeek", "Marloes Verbeek", AuditAction.VIEWED_SUPPORT, 7, "x")
        for _ in range(150)
    )
    pdf = rendered(inzage(record, audit))
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 10
    words = set(re.findall(r"[a-z0-9]+", text_of(pdf)))
    for prefix, count in (("steun", 1200), ("noot", 2500), ("route", 600), ("stage2x", 400)):
        missing = [n for n in range(count) if f"{prefix}{n:04d}" not in words]
        assert missing == [], f"{prefix}: {missing[:5]}"
    for number, page in enumerate(reader.pages, start=1):
        assert f"Pagina {number} van {pages}" in page.extract_text()


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_the_fonts_are_embedded(tmp_path: Path) -> None:
    path = tmp_path / "inzage.pdf"
    path.write_bytes(rendered(inzage(PupilRecord(pupil=make_pupil()))))
    table = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    dejavu = [line for line in table.splitlines() if "DejaVuSans" in line]
    # Embedded and subset: ë, ş and Ç print the same on every computer.
    assert len(dejavu) >= 2 and all(" yes yes " in line for line in dejavu)
