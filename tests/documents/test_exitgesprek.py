"""The exitgesprek summary read back as the student would: their name as written, what they
said about the next step and the help they want, what happens now (calls or none), whom to
call, and a long text that runs onto a second, numbered page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from samples import SCHOOL, numbered, page_texts, pdf_of, text_of

from uitstroom.documents.exitgesprek import render
from uitstroom.domain.exit import ExitSummaryDoc

MBO_SCHOOL = replace(
    SCHOOL,
    name="ROC Midden",
    coordinator_name="Fatima El Amrani",
    coordinator_phone="030 765 43 21",
    coordinator_email="nazorg@rocmidden.nl",
    nazorg_years=1,
)


def summary(**changes: object) -> ExitSummaryDoc:
    doc = ExitSummaryDoc(
        school=MBO_SCHOOL,
        student_name="Zoë Çelik-Ōtsuka",
        opleiding="Medewerker bakkerij",
        crebo="25423",
        niveau="Niveau 2",
        leerweg="BBL",
        held_on=date(2027, 3, 2),
        mentor="Joris de Vries",
        reason_text="Gestopt zonder diploma: Werk gevonden",
        next_step_text="Werk: Bakkerij Öztürk in Utrecht",
        help_wanted=("Geld en schulden", "Wonen"),
        contact_after="06 12 34 56 78, zoe.celik@example.nl",
        nazorg_agreed=True,
        handover_receivers=(),
        what_next=(
            "We bellen je over een paar maanden om te horen hoe het gaat.",
            "Je mentor Joris de Vries geeft je vraag over geld door aan de schuldhulp.",
        ),
        made_on=date(2027, 3, 3),
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def flat(pdf: bytes) -> str:
    return text_of(pdf)


def test_the_summary_holds_the_student_the_next_step_the_help_and_the_calls() -> None:
    text = flat(pdf_of(render, summary()))
    for expected in (
        "Je exitgesprek: Zoë Çelik-Ōtsuka",
        "ROC Midden · gesprek op 2 maart 2027",
        "Medewerker bakkerij (crebo 25423)",
        "Niveau 2, BBL",
        "Wat we hebben besproken",
        "Waarom je van school gaat Gestopt zonder diploma: Werk gevonden",
        "Wat je hierna gaat doen Werk: Bakkerij Öztürk in Utrecht",
        "Waar je hulp bij wilt Je wilt hulp bij:",
        "Geld en schulden",
        "Wonen",
        "06 12 34 56 78, zoe.celik@example.nl",
        "Wat gebeurt er nu?",
        "We bellen je over een paar maanden om te horen hoe het gaat.",
        "Wie kun je bellen?",
        "Fatima El Amrani",
        "030 765 43 21",
        "nazorg@rocmidden.nl",
        "Gesprek op 2 maart 2027 met Joris de Vries.",
        "Gemaakt op 3 maart 2027.",
        "Pagina 1 van 1",
    ):
        assert expected in text, expected
    order = ["Wat we hebben besproken", "Wat gebeurt er nu?", "Wie kun je bellen?"]
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)


def test_a_refusal_says_no_calls_will_come() -> None:
    text = flat(pdf_of(render, summary(nazorg_agreed=False, what_next=())))
    assert "Je wilt geen nazorggesprekken. Wij bellen je dus niet." in text
    assert "bellen of mailen we je" not in text


def test_without_sentences_the_answers_still_say_what_happens() -> None:
    doc = summary(what_next=(), handover_receivers=("Doorstroompunt",), help_wanted=())
    text = flat(pdf_of(render, doc))
    assert "Het komende jaar bellen of mailen we je een paar keer" in text
    assert "gegevens doorgeven aan: Doorstroompunt" in text
    assert "Je hebt gezegd dat je nu geen hulp nodig hebt." in text


def test_empty_answers_say_so_and_an_unknown_school_contact_points_to_the_mentor() -> None:
    school = replace(MBO_SCHOOL, coordinator_name="", coordinator_phone="", coordinator_email="")
    doc = summary(
        school=school,
        reason_text="",
        next_step_text="",
        contact_after="",
        nazorg_agreed=None,
        what_next=(),
        held_on=None,
    )
    text = flat(pdf_of(render, doc))
    assert "Dat hebben we niet opgeschreven." in text
    assert "Dat weet je nog niet." in text
    assert "Er zijn geen nieuwe afspraken gemaakt." in text
    assert "Vraag op school naar Joris de Vries." in text
    assert "Gesprek op" not in text


def test_a_long_summary_flows_onto_a_second_numbered_page() -> None:
    long_step = numbered("stap", 40)
    sentences = tuple(numbered(f"zin{n}x", 45) for n in range(5))
    pdf = pdf_of(render, summary(next_step_text=long_step, what_next=sentences))
    pages = page_texts(pdf)
    assert len(pages) == 2
    assert "Pagina 1 van 2" in pages[0] and "Pagina 2 van 2" in pages[1]
    assert "Zoë Çelik-Ōtsuka" in pages[0]
    words = set(" ".join(pages).split())
    assert all(word in words for word in " ".join(sentences).split())
    assert "nazorg@rocmidden.nl" in pages[1]
