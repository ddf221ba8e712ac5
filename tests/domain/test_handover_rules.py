"""Who consents, and what may go where: the rules of domain.handover on their edge days."""

from __future__ import annotations

from datetime import date

import pytest

from uitstroom.domain.handover import (
    Consent,
    Consenter,
    LegalBasis,
    Receiver,
    Section,
    age_on,
    allowed_sections,
    consent_problems,
    required_consenter,
)

BORN = date(2010, 5, 14)


def consent(**changes: object) -> Consent:
    values: dict[str, object] = {
        "receiver": Receiver.MBO,
        "basis": LegalBasis.TOESTEMMING,
        "sections": frozenset({Section.WIE, Section.KAN}),
        "given_on": date(2026, 5, 14),
        "consenter": Consenter.LEERLING,
        "consenter_name": "Zoë van der Meer",
    }
    values.update(changes)
    return Consent(**values)  # type: ignore[arg-type]


def test_a_parent_consents_the_day_before_the_16th_birthday_the_pupil_on_the_day() -> None:
    assert required_consenter(BORN, date(2026, 5, 13)) is Consenter.OUDER
    assert required_consenter(BORN, date(2026, 5, 14)) is Consenter.LEERLING


def test_someone_born_on_29_february_consents_themself_from_that_day_in_a_leap_year() -> None:
    leap = date(2008, 2, 29)
    assert required_consenter(leap, date(2024, 2, 28)) is Consenter.OUDER
    assert required_consenter(leap, date(2024, 2, 29)) is Consenter.LEERLING
    # In a common year the birthday is 1 March (2100 is no leap year).
    assert age_on(leap, date(2023, 2, 28)) == 14
    assert age_on(leap, date(2023, 3, 1)) == 15
    assert required_consenter(date(2084, 2, 29), date(2100, 2, 28)) is Consenter.OUDER
    assert required_consenter(date(2084, 2, 29), date(2100, 3, 1)) is Consenter.LEERLING


def test_without_a_birth_date_a_parent_consents() -> None:
    assert required_consenter(None, date(2027, 1, 1)) is Consenter.OUDER


@pytest.mark.parametrize(
    ("given_on", "who", "wrong"),
    [
        (date(2026, 5, 13), Consenter.LEERLING, True),
        (date(2026, 5, 13), Consenter.OUDER, False),
        (date(2026, 5, 14), Consenter.LEERLING, False),
        (date(2026, 5, 14), Consenter.OUDER, True),
    ],
)
def test_consent_by_the_wrong_person_is_refused_with_what_to_do(
    given_on: date, who: Consenter, wrong: bool
) -> None:
    problems = consent_problems(consent(given_on=given_on, consenter=who), BORN, date(2026, 6, 1))
    assert bool(problems) is wrong
    if wrong:
        assert "16" in problems[0]


def test_a_legal_task_needs_no_consenter_but_does_need_parts() -> None:
    task = consent(
        receiver=Receiver.DOORSTROOMPUNT,
        basis=LegalBasis.WETTELIJKE_TAAK,
        consenter=None,
        consenter_name="",
    )
    assert consent_problems(task, BORN, date(2026, 6, 1)) == []
    assert consent_problems(consent(sections=frozenset()), BORN, date(2026, 6, 1)) == [
        "Kies welke delen gedeeld mogen worden."
    ]


def test_withdrawn_consent_stops_counting_on_the_day_of_withdrawal() -> None:
    given = consent(withdrawn_on=date(2027, 3, 1))
    assert given.valid_on(date(2027, 2, 28))
    assert not given.valid_on(date(2027, 3, 1))
    assert allowed_sections([given], Receiver.MBO, None, date(2027, 2, 28)) == {
        Section.WIE,
        Section.KAN,
    }
    assert allowed_sections([given], Receiver.MBO, None, date(2027, 3, 1)) is None


def test_consent_for_one_organisation_does_not_cover_another_of_the_same_kind() -> None:
    only_roc = consent(organisation_id=7)
    any_mbo = consent(sections=frozenset({Section.STAGES}))
    assert allowed_sections([only_roc], Receiver.MBO, 8, date(2026, 6, 1)) is None
    assert allowed_sections([only_roc, any_mbo], Receiver.MBO, 7, date(2026, 6, 1)) == {
        Section.WIE,
        Section.KAN,
        Section.STAGES,
    }
    assert allowed_sections([only_roc], Receiver.GEMEENTE, 7, date(2026, 6, 1)) is None
