"""Letter texts: the fields a school may use, filled per pupil, and a text with a wrong field
refused in Dutch before it is kept."""

from __future__ import annotations

from datetime import date

import pytest

from uitstroom.domain.letters import (
    DEFAULT_TEXTS,
    FIELDS,
    Addressee,
    LetterKind,
    LetterText,
    Meeting,
    answer_by,
    fields_in,
    fill,
    text_problems,
    values_for,
)

SAM = Addressee("Sam de Vries", "Sam", "PRO4A", "mw. Kramer")


@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_default_text_uses_known_fields_only(kind: LetterKind) -> None:
    text = DEFAULT_TEXTS[kind]
    assert text_problems(text) == []
    assert set(fields_in(text.body)) <= set(FIELDS)


def test_a_letter_to_parents_names_the_pupil_and_the_day_with_its_weekday() -> None:
    values = values_for(
        SAM,
        Meeting(date(2027, 2, 9), "15.30 uur", "lokaal 12"),
        "De Horizon",
        "Marloes Verbeek",
        "030 123 45 67",
        "m.verbeek@example.nl",
        date(2026, 12, 4),
    )
    body = fill(DEFAULT_TEXTS[LetterKind.TRANSITIEPLAN].body, values)
    assert body.startswith("Beste ouder(s) of verzorger(s) van Sam,")
    assert "Wanneer: dinsdag 9 februari 2027 om 15.30 uur" in body
    assert "Waar: lokaal 12" in body
    assert "vóór 2 februari 2027" in body
    assert "{" not in body


def test_an_adult_or_mbo_student_is_written_to_directly() -> None:
    student = Addressee("Noor Bakker", "Noor", to_pupil=True)
    values = values_for(student, Meeting(None), "ROC", "", "", "", date(2026, 12, 4))
    assert values["aanhef"] == "Beste Noor"
    assert values["datum"] == "(datum volgt)"


@pytest.mark.parametrize(
    ("meeting", "today", "expected"),
    [
        (date(2027, 2, 9), date(2026, 12, 4), date(2027, 2, 2)),  # a week before
        (date(2026, 12, 8), date(2026, 12, 4), date(2026, 12, 5)),  # never before tomorrow
        (date(2026, 12, 11), date(2026, 12, 4), date(2026, 12, 5)),  # a week ahead: tomorrow
    ],
)
def test_the_answer_day_is_a_week_before_the_talk_but_not_in_the_past(
    meeting: date, today: date, expected: date
) -> None:
    assert answer_by(meeting, today) == expected


def test_an_unknown_field_is_named_with_the_fields_to_choose_from() -> None:
    problems = text_problems(LetterText("Uitnodiging", "Beste {voornaam}, tot {datum}."))
    assert len(problems) == 1
    assert "{voornaam}" in problems[0]
    assert "{roepnaam}" in problems[0]


def test_a_loose_brace_and_an_empty_subject_are_refused() -> None:
    problems = text_problems(LetterText(" ", "Beste {roepnaam, welkom"))
    assert "Vul het onderwerp van de brief in." in problems
    assert any("losse accolade" in problem for problem in problems)
