"""The transitieplan read back as parents would read it: the pupil's name as written, the
route, every agreement with its date in words, who to call, and signature lines that stay
together on one page."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from samples import (
    long_transitieplan,
    missing_words,
    page_texts,
    pdf_of,
    text_of,
    transitieplan,
)

from uitstroom.documents.base import CONTENT_WIDTH, people_table
from uitstroom.documents.transitieplan import render
from uitstroom.domain.handover import AgreementLine, PersonLine, SchoolHeader


def test_the_plan_holds_name_route_agreements_and_contacts_as_written() -> None:
    text = text_of(pdf_of(render, transitieplan()))
    for expected in (
        "Transitieplan van Zoë van der Meer-Çelik",
        "14 mei 2009",
        "PRO4A",
        "Doorleren: Entree, Assistent bouwen, wonen en onderhoud (ROC Midden)",
        "schooljaar 2026-2027",
        "Zelf met de bus naar stage reizen.",
        "Aanmelden bij ROC Midden vóór 1 april.",
        "Wat Wie Wanneer Klaar",
        "Aanmelden bij ROC Midden Leerling do 1 april 2027 ja",  # with its weekday
        "Intakegesprek plannen Mbo do 15 april 2027 nog niet",
        "Identiteitskaart aanvragen Ouder/verzorger geen datum nog niet",
        "Nguyễn Thị Ánh",
        "ROC Midden, intake Entree",
        "a.nguyen@rocmidden.nl",
        "Kenji Ōtsuka",
        "Ayşe Yılmaz",
        "Bouwbedrijf Öztürk & Zn.",
        "Ayşe Çelik",
        "Johan van der Meer",
        "Pagina 1 van",
    ):
        assert expected in text, expected


def test_everyone_who_signs_has_a_line_on_the_same_page() -> None:
    pages = page_texts(pdf_of(render, transitieplan()))
    signing = [page for page in pages if "Handtekeningen" in page]
    assert len(signing) == 1
    page = signing[0].split("Handtekeningen", 1)[1]
    for who in ("Leerling Zoë van der Meer-Çelik", "Ouder of verzorger Ayşe Çelik",
                "Ouder of verzorger Johan van der Meer", "School Marloes Verbeek"):  # fmt: skip
        assert who in page, who


def test_without_parents_or_coordinator_the_names_are_written_in_by_hand() -> None:
    doc = transitieplan(guardians=(), school=SchoolHeader(name="De Horizon"))
    text = text_of(pdf_of(render, doc))
    assert "Ouder of verzorger Naam:" in text
    assert "School Naam:" in text
    assert "Ouders en verzorgers" not in text


def test_an_empty_plan_says_what_is_missing() -> None:
    text = text_of(pdf_of(render, transitieplan(goals=(), agreements=(), contacts=())))
    assert "Er zijn nog geen doelen opgeschreven." in text
    assert "Er zijn nog geen afspraken gemaakt." in text
    assert "Er staan nog geen contactpersonen in." in text


def test_a_long_plan_runs_over_numbered_pages_and_nothing_is_cut_off() -> None:
    doc = long_transitieplan()
    pdf = pdf_of(render, doc)
    pages = page_texts(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in page
    everything = " ".join([*doc.goals, *(line.what for line in doc.agreements)])
    assert missing_words(pdf, everything) == []
    # The signature block is whole on the last page, after the last agreement.
    assert "Handtekeningen" in pages[-1] and "School Marloes Verbeek" in pages[-1]


def test_an_agreement_taller_than_a_page_continues_on_the_next() -> None:
    huge = " ".join(f"stap{n:04d}" for n in range(1500))
    pdf = pdf_of(render, transitieplan(agreements=(AgreementLine(huge, "School", None),)))
    assert len(page_texts(pdf)) >= 3
    assert missing_words(pdf, huge) == []


def test_a_table_never_leaves_one_contact_alone_on_the_next_page() -> None:
    people = [PersonLine("School", f"Contact {n}", "De Horizon", "030 123 45 67") for n in range(5)]
    table = people_table(people)
    table.wrap(CONTENT_WIDTH, 1000)
    heights = table._rowHeights
    first, rest = table.split(CONTENT_WIDTH, sum(heights[:5]) + 1)  # room for all but one
    assert len(first._cellvalues) == 4 and len(rest._cellvalues) == 3  # header repeats


def test_a_long_role_is_never_split_into_two_words() -> None:
    from uitstroom.domain.handover import PersonLine

    doc = transitieplan()
    school = PersonLine("School (uitstroomcoördinator)", "Marloes Verbeek", "De Horizon", "030")
    text = text_of(pdf_of(render, replace(doc, contacts=(school, *doc.contacts))))
    assert "School (uitstroomcoördinator)" in text


def test_a_long_e_mail_address_stays_on_one_line() -> None:
    """'youssef.0@leerling.voorbeeldschool.n' with the 'l' on the next line read as another
    address on the printed page."""
    doc = transitieplan()
    email = "youssef.0@leerling.voorbeeldschool.nl"
    pupil = PersonLine("Leerling", "Youssef Mulder", "", "06 90668968", email)
    text = text_of(pdf_of(render, replace(doc, contacts=(pupil, *doc.contacts))))
    assert email in text


def test_jargon_in_the_plan_is_explained_once_at_the_end() -> None:
    doc = transitieplan()
    doc = replace(
        doc,
        agreements=(AgreementLine("Praktijkverklaring van SBB aanvragen", "School", None),),
    )
    text = text_of(pdf_of(render, doc))
    assert text.count("Wat betekenen deze woorden?") == 1
    assert "SBB: Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven." in text
    assert "praktijkverklaring: een papier van SBB." in text
