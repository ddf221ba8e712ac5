"""The overdracht as the receiver reads it: for whom, on whose consent, and only the parts
that receiver may see. A part without consent leaves no text and no heading behind."""

from __future__ import annotations

from dataclasses import replace

from samples import (
    SHORT_TEXTS,
    long_paspoort,
    missing_words,
    overdracht,
    page_texts,
    pdf_of,
    text_of,
)

from uitstroom.documents.overdracht import render
from uitstroom.domain.handover import Section

PRIVATE = {Section.NODIG, Section.AANPAK, Section.ONDERSTEUNING}
SHARED = tuple(section for section in Section if section not in PRIVATE)


def test_parts_without_consent_leave_no_text_and_no_heading() -> None:
    text = text_of(pdf_of(render, overdracht(SHARED)))
    for section in PRIVATE:
        assert section.label not in text
        for sentence in SHORT_TEXTS[section].split("\n\n"):
            assert sentence not in text
    for word in ("ondersteuning", "aanpak", "aanpassing", "dyslexie", "koptelefoon", "nodig"):
        assert word not in text.lower(), word
    assert "Voor de andere delen is geen toestemming gegeven" in text


def test_it_says_for_whom_on_whose_consent_and_holds_the_shared_parts() -> None:
    text = text_of(pdf_of(render, overdracht(SHARED)))
    for expected in (
        "Overdracht van Zoë van der Meer-Çelik",
        "Voor Mbo-instelling: ROC Midden",
        "Toestemming van Zoë van der Meer-Çelik op 3 maart 2027",
        "Over de leerling",
        "Doorleren: Entree, Assistent bouwen, wonen en onderhoud (ROC Midden)",
        "Wie ben je?",
        SHORT_TEXTS[Section.WIE],
        "Bouwbedrijf Öztürk & Zn.",
        "Kozijnen stellen, veilig werken op de steiger.",
        "VCA Basis",
        "ayse.celik@example.nl",
        "Marloes Verbeek",
        "vertrouwelijk",
    ):
        assert expected in text, expected


def test_with_consent_for_every_part_nothing_is_said_to_be_missing() -> None:
    text = text_of(pdf_of(render, overdracht(tuple(Section))))
    assert "geen toestemming" not in text
    assert SHORT_TEXTS[Section.ONDERSTEUNING] in text


def test_a_long_overdracht_runs_over_numbered_pages_and_nothing_is_cut_off() -> None:
    doc = replace(long_paspoort(), sections=SHARED, receiver="Jobcoach: Çağlar Coaching")
    pdf = pdf_of(render, doc)
    pages = page_texts(pdf)
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in page
    shared = " ".join(doc.texts[section] for section in SHARED if section in doc.texts)
    assert missing_words(pdf, shared) == []
    withheld = doc.texts[Section.ONDERSTEUNING].split()
    assert set(withheld).isdisjoint(" ".join(pages).split())
