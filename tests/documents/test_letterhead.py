"""The letterhead every document shares: the school's address and contacts at the top right of
each page, and a long document title cut short before it runs into them."""

from __future__ import annotations

import io

from pypdf import PdfReader

from uitstroom.documents.base import Letterhead, para, render
from uitstroom.domain.handover import SchoolHeader, contact_lines

SCHOOL = SchoolHeader(
    "De Horizon (voorbeeldschool)",
    address="Zonnelaan 12\n3512 AB Utrecht\n",
    phone="030 123 45 00",
    email="info@example.nl",
    website="www.dehorizon.example",
)


def test_the_contact_lines_put_the_address_on_one_line_and_leave_out_what_is_empty() -> None:
    assert SCHOOL.contact_lines == (
        "Zonnelaan 12, 3512 AB Utrecht",
        "030 123 45 00  ·  info@example.nl",
        "www.dehorizon.example",
    )
    assert contact_lines("", "", "info@example.nl", "") == ("info@example.nl",)
    assert contact_lines(" ", "", "", "") == ()


def test_every_page_has_the_contacts_and_a_long_title_is_cut_short() -> None:
    title = "Transitieplan — " + "Maximiliaan-Alexander van den Heuvel-Oudshoorn " * 2
    stream = io.BytesIO()
    render(
        stream,
        Letterhead.for_school(SCHOOL, title),
        [para("Tekst. " * 1200)],
        title="proef",
    )
    pages = [page.extract_text() for page in PdfReader(stream).pages]
    assert len(pages) >= 2
    for page in pages:
        assert "Zonnelaan 12, 3512 AB Utrecht" in page
        assert "www.dehorizon.example" in page
        assert "…" in page  # the title at the top, cut short before the contacts
