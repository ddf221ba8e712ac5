from dataclasses import replace
from datetime import date

import pytest

from factories import make_pupil
from uitstroom.domain.model import Guardian, Stage
from uitstroom.domain.names import full_name, sort_name
from uitstroom.domain.validation import (
    check_email_domains,
    email_domains,
    is_school_address,
    parse_date,
    pupil_problems,
    stage_problems,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14-05-2009", date(2009, 5, 14)),
        ("4-5-2009", date(2009, 5, 4)),
        ("2009-05-14", date(2009, 5, 14)),
        ("14/05/2009", date(2009, 5, 14)),
        ("14.05.2009", date(2009, 5, 14)),
        ("29-02-2008", date(2008, 2, 29)),
        ("2009-05-14 00:00:00", date(2009, 5, 14)),
    ],
)
def test_dates_in_the_forms_schools_export(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2010", "29-02-2009", "31-04-2010", "00-01-2010"])
def test_impossible_dates_are_named(text: str) -> None:
    with pytest.raises(ValueError, match=f"'{text}' bestaat niet"):
        parse_date(text)


@pytest.mark.parametrize("text", ["14 mei 2009", "2009", "", "14-05-09"])
def test_non_dates_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="dd-mm-jjjj"):
        parse_date(text)


def test_valid_pupil_has_no_problems() -> None:
    assert pupil_problems(make_pupil(), TODAY) == []


def test_pupil_problems_are_dutch_sentences() -> None:
    pupil = make_pupil(
        roepnaam=" ",
        geboortedatum=date(2027, 1, 1),
        email="geen-adres",
        guardians=(Guardian(name="", phone="06 11111111"),),
    )
    problems = pupil_problems(pupil, TODAY)
    assert "Vul de roepnaam in." in problems
    assert any("in de toekomst" in p for p in problems)
    assert any(p.startswith("E-mail leerling") for p in problems)
    assert "Ouder/verzorger 1: vul ook de naam in." in problems


def test_born_today_is_allowed_but_tomorrow_is_not() -> None:
    assert pupil_problems(make_pupil(geboortedatum=TODAY), TODAY) == []
    tomorrow = replace(make_pupil(), geboortedatum=date(2026, 11, 24))
    assert pupil_problems(tomorrow, TODAY) != []


def test_stage_checks() -> None:
    good = Stage(
        leerbedrijf="Bakkerij", start=date(2026, 9, 1), end=date(2027, 1, 31), dagen_per_week=2
    )
    assert stage_problems(good) == []
    bad = replace(good, leerbedrijf="", end=date(2026, 8, 1), dagen_per_week=6)
    assert len(stage_problems(bad)) == 3


def test_names_file_under_the_achternaam() -> None:
    assert full_name("Sanne", "de", "Vries") == "Sanne de Vries"
    assert full_name("Ömer", "", "Çelik") == "Ömer Çelik"
    names = [("Sanne", "de", "Vries"), ("Bram", "", "Bakker"), ("Anouk", "van", "Dijk")]
    ordered = sorted(names, key=lambda n: sort_name(*n))
    assert [n[2] for n in ordered] == ["Bakker", "Dijk", "Vries"]


def test_school_addresses_are_the_domain_and_its_parts_only() -> None:
    domains = email_domains(" @Roc.nl;student.roc.nl  roc.nl")
    assert domains == ("roc.nl", "student.roc.nl")
    assert is_school_address("a@roc.nl", domains)
    assert is_school_address("A@Leerling.ROC.nl", domains)
    assert not is_school_address("a@notroc.nl", domains)
    assert not is_school_address("a@roc.nl.example.com", domains)
    assert not is_school_address("roc.nl", domains)
    assert not is_school_address("a@roc.nl", ())
    assert check_email_domains("roc.nl, student.roc.nl") is None
    assert check_email_domains("roc") is not None
