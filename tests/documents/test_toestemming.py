"""The toestemmingsformulier read back as a parent reads it: every part of the Paspoort with a
box to tick, the rules in plain words, and the right person on the signature line."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from samples import MADE, PUPIL, SCHOOL, page_texts, pdf_of, text_of

from uitstroom.documents.toestemming import BOX, render, render_batch
from uitstroom.domain.consent_form import CONSENT_RULES, ConsentFormDoc
from uitstroom.domain.handover import Consenter, Receiver, Section


def form(**changes: object) -> ConsentFormDoc:
    doc = ConsentFormDoc(
        school=SCHOOL,
        pupil=PUPIL,
        receiver=Receiver.GEMEENTE,
        organisation="Gemeente Utrecht",
        signer=Consenter.OUDER,
        signer_names=("Ayşe Çelik", "Johan van der Meer"),
        made_on=MADE,
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def test_every_part_has_a_box_and_a_parent_signs_below_sixteen() -> None:
    text = text_of(pdf_of(render, form()))
    assert text.count(BOX) == len(Section)
    for section in Section:
        assert section.label in text, section
    for expected in (
        "Toestemming om gegevens te delen",
        "Zoë van der Meer-Çelik",
        "Gemeente, Werk en Inkomen: Gemeente Utrecht",
        "3 maart 2027",
        "jonger dan 16. Een ouder of verzorger tekent.",
        "Ayşe Çelik",
        "Johan van der Meer",
        "Geef dit formulier terug aan Marloes Verbeek",
        "Let op: dit gaat over gezondheid of extra hulp.",
        "Pagina 1 van",
    ):
        assert expected in text, expected
    flat = " ".join(text.split())
    for rule in CONSENT_RULES:
        assert " ".join(rule.split()) in flat, rule
    assert "tekent zelf" not in text


def test_a_pupil_of_sixteen_signs_alone() -> None:
    text = text_of(pdf_of(render, form(signer=Consenter.LEERLING)))
    assert "is 16 jaar of ouder en tekent zelf." in text
    assert "Ayşe Çelik" not in text and "Ouder of verzorger" not in text


def test_parts_already_allowed_are_named() -> None:
    text = text_of(pdf_of(render, form(already=frozenset({Section.WIE, Section.KAN}))))
    assert "Eerder gaf u al toestemming voor: Wie ben je?, Wat kan je?." in text


def test_a_klas_batch_starts_every_form_on_its_own_page_with_its_own_count() -> None:
    other = replace(PUPIL, name="Daan de Vries")
    stream = io.BytesIO()
    render_batch([form(), form(pupil=other, signer=Consenter.LEERLING)], stream)
    pages = page_texts(stream.getvalue())
    starts = [n for n, page in enumerate(pages) if "Toestemming om gegevens te delen" in page]
    assert len(starts) == 2
    assert "Daan de Vries" in pages[starts[1]] and "Zoë" not in pages[starts[1]]
    assert all("Pagina 1 van" in pages[n] for n in starts)
    assert len(PdfReader(io.BytesIO(stream.getvalue())).pages) == len(pages)
